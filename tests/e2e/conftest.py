"""Browser journeys: the app served by `kaohe serve` (its own process) on loopback, driven by a headless Chromium.

SQLite only: each test gets its own copy of a demo database built once per session here (not through
the `templates` fixture, which would also start PostgreSQL), and its own server on a free port.
The browser is Debian's Chromium; Playwright's own browser downloads are never used.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import DEMO_PASSWORD, _build_demo
from tests.support.cli import KAOHE

from kaohe.bootstrap import Database
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
    database: Database

    def sessions(self):  # type: ignore[no-untyped-def]
        """A session on the served database, to arrange data and check what was saved."""
        return self.database.sessions()

    def staff_id(self, employee_no: str) -> int:
        """The database id of the staff member with this 工号."""
        with self.sessions() as db:
            staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == employee_no))
        assert staff_id is not None, employee_no
        return staff_id

    def staff_by_name(self, name: str) -> Staff | None:
        with self.sessions() as db:
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
    """`kaohe serve` as its own process, on a free loopback port, against a fresh copy of the demo database."""
    db_path = tmp_path / "demo.db"
    shutil.copy(e2e_demo_template, db_path)
    url_db = f"sqlite:///{db_path}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_")}
    env.update({"KAOHE_DATABASE_URL": url_db, "KAOHE_ENVIRONMENT": "test", "KAOHE_SECRET_KEY": "e" * 40,
                "KAOHE_DEMO_PASSWORD": DEMO_PASSWORD})
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([KAOHE, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError(f"kaohe serve did not answer {url}/healthz: {(tmp_path / 'serve.log').read_text()}")
        time.sleep(0.1)
    database = Database.connect(url_db)
    yield LiveServer(url=url, database=database)
    database.dispose()
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    # Per module, not per session: Playwright's sync API keeps an asyncio loop running in the main
    # thread while it is open, and the tests after the journeys (anyio.run, asyncio clients) need it gone.
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
        # A wide or irreversible action asks first (data-confirm); the person in these journeys says yes,
        # and every question asked is kept so a journey can check what it said.
        context.questions = []

        def answer(dialog):  # type: ignore[no-untyped-def]
            context.questions.append(dialog.message)
            dialog.accept()

        context.on("page", lambda page: page.on("dialog", answer))
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
