"""The application factory: settings, database, middleware, error pages and routers."""

import logging
import secrets
from importlib.resources import files
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.config import Settings, get_settings
from kaohe.errors import KaoheError, NotSignedIn, PasswordChangeRequired
from kaohe.messages import t
from kaohe.web.deps import CSRF_COOKIE

log = logging.getLogger("kaohe")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, status: int, message: str, details: list[str] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message, "errors": details or []}, status_code=status)
    from kaohe.web.templating import render

    return render(request, "error.html", {"status": status, "message": message, "details": details or []},
                  status_code=status)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="kaohe 考核 API",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.session_factory = make_session_factory(app.state.engine, settings)

    @app.middleware("http")
    async def security(request: Request, call_next):  # type: ignore[no-untyped-def]
        anon = request.cookies.get(CSRF_COOKIE, "")
        fresh = not anon or len(anon) < 20
        request.state.anon_csrf = secrets.token_urlsafe(32) if fresh else anon
        response: Response = await call_next(request)
        if fresh:
            response.set_cookie(CSRF_COOKIE, request.state.anon_csrf, httponly=True, samesite="lax",
                                secure=settings.https)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    @app.exception_handler(KaoheError)
    async def kaohe_error(request: Request, exc: KaoheError) -> Response:
        if isinstance(exc, NotSignedIn) and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if isinstance(exc, PasswordChangeRequired) and not _wants_json(request):
            return RedirectResponse("/account/password", status_code=303)
        return _error_response(request, exc.status_code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        from kaohe.messages.validation import body_model, describe

        details = describe(exc.errors(), model=body_model(request.scope.get("route")))
        return _error_response(request, 422, t("common.invalid_input"), details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: t("common.not_found"), 405: t("common.method_not_allowed")}.get(
            exc.status_code, t("common.error")
        )
        return _error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error_response(request, 500, t("common.server_error"))

    static_dir = files("kaohe") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    from kaohe.web.routes import include_routers

    include_routers(app)
    return app
