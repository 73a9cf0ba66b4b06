"""Every router of the application, in one place."""

from fastapi import Depends, FastAPI

from kaohe import api
from kaohe.audit import pages as audit_pages
from kaohe.auth import admin_pages
from kaohe.auth import pages as auth_pages
from kaohe.calendar import pages as calendar_pages
from kaohe.org import pages as org_pages
from kaohe.records import pages as records_pages
from kaohe.records import views as records_views
from kaohe.scheme import pages as scheme_pages
from kaohe.scheme import views as scheme_views
from kaohe.web.deps import csrf_protect


def include_routers(app: FastAPI) -> None:
    csrf = [Depends(csrf_protect)]
    for module in (auth_pages, org_pages, admin_pages, audit_pages, calendar_pages, scheme_pages,
                   records_pages):
        app.include_router(module.router, dependencies=csrf, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(scheme_views.router)
    app.include_router(records_views.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}
