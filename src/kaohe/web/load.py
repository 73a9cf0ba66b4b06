"""Load shedding: at most `max_in_flight` requests are served at once per process; the others wait
their turn for at most `queue_wait_seconds`, then get 503 with Retry-After (docs/design.md, "Under load").

A pure ASGI middleware rather than `@app.middleware("http")`: it must answer before any of the app's
work starts, cost next to nothing per request, and leave streaming bodies alone. It sits inside the
security middleware, so its 503 carries the same headers as every other answer.
"""

import asyncio
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from kaohe.bootstrap import pool_size_for
from kaohe.config import Settings
from kaohe.messages import t

# Answered without waiting for a turn: files that touch no database, and the liveness probe, which a
# load balancer must still reach when the process is saturated.
BYPASS_PREFIXES = ("/static/",)
BYPASS_PATHS = frozenset({"/healthz"})


def busy_response(scope: Scope, retry_after: int) -> Response:
    """The 503 a saturated server gives: a Chinese error page, or the API's JSON error shape."""
    message = t("common.busy", seconds=retry_after)
    headers = {"Retry-After": str(retry_after)}
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": message, "errors": []}, ensure_ascii=False).encode("utf-8")
        return Response(body, status_code=503, headers=headers, media_type="application/json")
    from kaohe.web.templating import render

    # The error layout reads the anonymous CSRF token the security middleware leaves in the state.
    scope.setdefault("state", {}).setdefault("anon_csrf", "")
    response = render(Request(scope), "error.html", {"status": 503, "message": message, "details": []},
                      status_code=503)
    response.headers.update(headers)
    return response


class LoadShedding:
    """Serve at most `limit` requests at once; a request that waits `wait_seconds` for a turn gets 503."""

    def __init__(self, app: ASGIApp, *, limit: int, wait_seconds: float, retry_after: int) -> None:
        if limit < 1:
            raise ValueError("the in-flight limit must be at least 1")
        self.app = app
        self.limit = limit
        self.wait_seconds = max(0.0, wait_seconds)
        self.retry_after = retry_after
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        # One semaphore per event loop: a uvicorn worker has one loop, but test clients start a loop
        # per client, and an asyncio semaphore must not be shared across loops.
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._loop, self._slots = loop, asyncio.Semaphore(self.limit)
        return self._slots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in BYPASS_PATHS or scope["path"].startswith(BYPASS_PREFIXES):
            await self.app(scope, receive, send)
            return
        slots = self._semaphore()
        if not await self._acquire(slots):
            await busy_response(scope, self.retry_after)(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()

    async def _acquire(self, slots: asyncio.Semaphore) -> bool:
        if not slots.locked():
            await slots.acquire()  # a free slot: taken at once, no timer armed
            return True
        try:
            async with asyncio.timeout(self.wait_seconds):
                await slots.acquire()
        except TimeoutError:
            return False
        return True


def in_flight_limit(settings: Settings) -> int:
    """Requests served at once per process: KAOHE_MAX_IN_FLIGHT, else the database pool's size, so a
    request that got its turn finds a free connection instead of waiting for one."""
    return settings.max_in_flight or pool_size_for(settings.database_url, settings.db_pool_size)
