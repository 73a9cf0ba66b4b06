"""Every router of the application, wired explicitly in one place.

Routers are authenticated by default: every page router gets the CSRF check and `page_guard` (signed
in, with a password of one's own), and every API router the CSRF check and `current_principal`, here
rather than in the feature. Only the sign-in pages are mounted without them, and say so below.
Features declare paths relative to their mount (`/api/v1` is added here).
"""

from fastapi import Depends, FastAPI

from kaohe.audit import pages as audit_pages
from kaohe.audit import views as audit_views
from kaohe.auth import admin_pages
from kaohe.auth import pages as auth_pages
from kaohe.auth import views as auth_views
from kaohe.calendar import pages as calendar_pages
from kaohe.calendar import views as calendar_views
from kaohe.feedback import pages as feedback_pages
from kaohe.feedback import views as feedback_views
from kaohe.metrics import pages as metrics_pages
from kaohe.metrics import views as metrics_views
from kaohe.org import pages as org_pages
from kaohe.org import views as org_views
from kaohe.quarterly import pages as quarterly_pages
from kaohe.quarterly import result_pages as quarterly_result_pages
from kaohe.quarterly import result_views as quarterly_result_views
from kaohe.quarterly import views as quarterly_views
from kaohe.ratings import pages as ratings_pages
from kaohe.ratings import views as ratings_views
from kaohe.records import pages as records_pages
from kaohe.records import views as records_views
from kaohe.scheme import pages as scheme_pages
from kaohe.scheme import views as scheme_views
from kaohe.warnings import pages as warnings_pages
from kaohe.warnings import views as warnings_views
from kaohe.web.deps import csrf_protect, current_principal, page_guard
from kaohe.workspace import pages as workspace_pages
from kaohe.workspace import views as workspace_views

API_PREFIX = "/api/v1"
PAGES = (org_pages, admin_pages, audit_pages, calendar_pages, scheme_pages, records_pages, workspace_pages,
         quarterly_pages, quarterly_result_pages, metrics_pages, ratings_pages, feedback_pages,
         warnings_pages)
APIS = (auth_views, org_views, audit_views, calendar_views, scheme_views, records_views, workspace_views,
        quarterly_views, quarterly_result_views, metrics_views, ratings_views, feedback_views,
        warnings_views)


def include_routers(app: FastAPI) -> None:
    csrf = Depends(csrf_protect)
    # Public on purpose: sign-in, sign-out and the password change check the session themselves.
    app.include_router(auth_pages.router, dependencies=[csrf], include_in_schema=False)
    # Public on purpose: a service recipient's single-use rating link needs no account (the token is the key).
    app.include_router(ratings_pages.public, dependencies=[csrf], include_in_schema=False)
    for module in PAGES:
        app.include_router(module.router, dependencies=[csrf, Depends(page_guard)], include_in_schema=False)
    for module in APIS:
        app.include_router(module.router, prefix=API_PREFIX, dependencies=[csrf, Depends(current_principal)])

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}
