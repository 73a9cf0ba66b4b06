"""Browser journeys: the real app served by uvicorn on loopback, driven by a headless Chromium.

SQLite only: each test gets its own copy of a demo database built once per session here (not through
the `templates` fixture, which would also start PostgreSQL), and its own server on a free port.
The browser is Debian's Chromium; Playwright's own browser downloads are never used.
"""

import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import select
from tests.conftest import DEMO_PASSWORD, _build_demo

from kaohe.config import Settings
from kaohe.migrate import upgrade
from kaohe.org.models import Staff

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
TIMEOUT_MS = 10_000


@dataclass
class LiveServer:
    url: str
    app: FastAPI

    def staff_id(self, employee_no: str) -> int:
        """The database id of the staff member with this 工号."""
        with self.app.state.session_factory() as db:
            staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == employee_no))
        assert staff_id is not None, employee_no
        return staff_id

    def staff_by_name(self, name: str) -> Staff | None:
        with self.app.state.session_factory() as db:
            return db.scalar(select(Staff).where(Staff.name == name))


@pytest.fixture(scope="session")
def e2e_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database holding the demo unit, copied afresh for every test."""
    path = tmp_path_factory.mktemp("e2e") / "demo.db"
    upgrade(f"sqlite:///{path}")
    _build_demo(f"sqlite:///{path}")
    return path


@pytest.fixture
def live_server(e2e_demo_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The app on http://127.0.0.1:<free port> against a fresh copy of the demo database."""
    from kaohe.main import create_app

    db_path = tmp_path / "demo.db"
    shutil.copy(e2e_demo_template, db_path)
    settings = Settings(database_url=f"sqlite:///{db_path}", environment="test", secret_key="e" * 40,
                        demo_password=DEMO_PASSWORD)
    app = create_app(settings)

    # Bind first, then hand the socket to uvicorn: no race for the port, and loopback only.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="e2e-uvicorn")
    thread.start()

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"the app did not answer {url}/healthz")
        time.sleep(0.05)

    yield LiveServer(url=url, app=app)

    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.skip(f"browser journeys need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server: LiveServer):  # type: ignore[no-untyped-def]
    """new_context(**options) → a fresh browser context (own cookies) pointed at the live server."""
    contexts = []

    def make(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):  # type: ignore[no-untyped-def]
    return new_context().new_page()


@pytest.fixture
def sign_in(accounts: dict[str, str]) -> Callable:
    """sign_in(page, "hr") → fills the login form as the demo account playing that role."""
    from playwright.sync_api import expect

    def do(page, role: str) -> None:  # type: ignore[no-untyped-def]
        page.goto("/login")
        page.get_by_label("用户名").fill(accounts.get(role, role))
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)
        expect(page.get_by_role("navigation", name="主导航")).to_be_visible()

    return do
