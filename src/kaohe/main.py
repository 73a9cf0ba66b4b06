"""The application factory: settings, database, middleware, error pages and routers."""

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.config import Settings, get_settings
from kaohe.errors import KaoheError, NotSignedIn, PasswordChangeRequired
from kaohe.messages import t
from kaohe.web.deps import CSRF_COOKIE
from kaohe.web.load import LoadShedding, in_flight_limit
from kaohe.web.openapi import install_openapi

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


def security_headers(headers: MutableHeaders, path: str, settings: Settings) -> None:
    """The headers every answer carries, error pages included (a route may set its own first)."""
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not path.startswith("/api/docs"):
        headers.setdefault("Content-Security-Policy", CSP)
    if not path.startswith("/static/"):
        # Pages and API answers show one person's data: never kept by a browser or a shared cache.
        headers.setdefault("Cache-Control", "no-store")
    if settings.https and settings.hsts_seconds > 0:
        headers.setdefault("Strict-Transport-Security", f"max-age={settings.hsts_seconds}; includeSubDomains")


class SecurityMiddleware:
    """Security headers and the anonymous CSRF cookie on every answer, as a pure ASGI middleware (no
    per-request task or body buffering). It is the outermost of the app's middleware, so the 503 of
    `LoadShedding` and the answers of the exception handlers pass through it; only the 500 page is
    made outside it, and `unexpected` adds the same headers itself."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        anon = Request(scope).cookies.get(CSRF_COOKIE, "")
        fresh = not anon or len(anon) < 20
        token = secrets.token_urlsafe(32) if fresh else anon
        scope.setdefault("state", {})["anon_csrf"] = token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if fresh:
                    cookie = Response()
                    cookie.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=self.settings.https)
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                security_headers(headers, scope["path"], self.settings)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _busy(request: Request, settings: Settings) -> Response:
    response = _error_response(request, 503, t("common.busy", seconds=settings.retry_after_seconds))
    response.headers["Retry-After"] = str(settings.retry_after_seconds)
    return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    in_flight = in_flight_limit(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in anyio's worker threads (40 by default). Each request in flight runs at
        # most one at a time, so as many threads as requests in flight: more would only queue for a
        # database connection, fewer would stall requests that already hold one.
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = in_flight
        # Ledger entries left pending by a failed seal are chained by a sweep every few seconds.
        from kaohe.ledger import sealer

        sweeper = sealer.start_background(_app.state.session_factory)
        try:
            yield
        finally:
            sweeper.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="kaohe 考核 API",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url, settings)
    app.state.session_factory = make_session_factory(app.state.engine, settings)

    # Last added is outermost: security headers wrap the shedding 503 and every handler's answer.
    app.add_middleware(LoadShedding, limit=in_flight, wait_seconds=settings.queue_wait_seconds,
                       retry_after=settings.retry_after_seconds)
    app.add_middleware(SecurityMiddleware, settings=settings)

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

    @app.exception_handler(PoolTimeout)
    async def pool_exhausted(request: Request, exc: PoolTimeout) -> Response:
        # Every connection stayed busy for db_pool_timeout_seconds: saturated, not broken.
        log.warning("no database connection free on %s %s: %s", request.method, request.url.path, exc)
        return _busy(request, settings)

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, exc: OperationalError) -> Response:
        if "database is locked" in str(exc.orig):
            # SQLite's busy timeout ran out waiting for the one write lock: saturated, try again.
            log.warning("SQLite write lock busy on %s %s", request.method, request.url.path)
            return _busy(request, settings)
        return await unexpected(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = _error_response(request, 500, t("common.server_error"))
        # Starlette renders this page outside every middleware, so the headers are added here.
        security_headers(response.headers, request.url.path, settings)
        return response

    static_dir = files("kaohe") / "web" / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    from kaohe.web.routes import include_routers

    include_routers(app)
    install_openapi(app)  # 4xx answers declared as the ErrorBody they are
    return app
