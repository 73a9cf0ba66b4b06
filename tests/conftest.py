"""Shared fixtures: real databases on both backends, the demo unit, and signed-in clients per role.

Every database test runs against SQLite and, when PostgreSQL's binaries exist (CI installs them),
against a real PostgreSQL too. Each test gets its own copy of a migrated template, so use cases
commit for real and tests cannot see each other.
"""

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support.databases import PostgresServer, find_pg_bin

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.config import Settings
from kaohe.demo.data import build_demo_unit
from kaohe.demo.load_unit import load_demo_unit
from kaohe.migrate import upgrade

DEMO_PASSWORD = "demo-Passw0rd-2026"
# The demo accounts in the order the generator lists them.
ROLE_ACCOUNTS = ("admin", "hr", "leader", "dept_head", "liaison", "committee", "inspector", "staff_rep",
                 "staff", "staff2")
_counter = itertools.count()


def _backends() -> list[str]:
    wanted = os.environ.get("KAOHE_TEST_BACKENDS", "sqlite,postgresql").split(",")
    return [b for b in wanted if b != "postgresql" or find_pg_bin() is not None]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    bin_dir = find_pg_bin()
    if bin_dir is None or "postgresql" not in _backends():
        yield None
        return
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


TEST_SECRET = "x" * 40  # the secret key of the test app (`settings`): its ledger key signs the demo's entries


def _build_demo(url: str) -> None:
    engine = make_engine(url)
    try:
        # The demo's audit rows have ledger entries: sign them with the key the tests' app verifies with.
        keyed = Settings(database_url=url, environment="test", secret_key=TEST_SECRET, demo_password=DEMO_PASSWORD)
        with make_session_factory(engine, keyed)() as db:
            load_demo_unit(db, build_demo_unit(), password=DEMO_PASSWORD)
            db.commit()
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def templates(pg_server: PostgresServer | None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Migrated template databases per backend: 'empty' and 'demo'."""
    out: dict[str, dict[str, str]] = {}
    root = tmp_path_factory.mktemp("templates")
    if "sqlite" in _backends():
        empty = root / "empty.db"
        upgrade(f"sqlite:///{empty}")
        demo = root / "demo.db"
        shutil.copy(empty, demo)
        _build_demo(f"sqlite:///{demo}")
        out["sqlite"] = {"empty": str(empty), "demo": str(demo)}
    if pg_server is not None:
        pg_server.create("tpl_empty")
        upgrade(pg_server.url("tpl_empty"))
        pg_server.create("tpl_demo", template="tpl_empty")
        _build_demo(pg_server.url("tpl_demo"))
        out["postgresql"] = {"empty": "tpl_empty", "demo": "tpl_demo"}
    return out


@pytest.fixture(params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _clone(backend: str, kind: str, templates: dict, pg_server: PostgresServer | None, tmp_path: Path
           ) -> Iterator[str]:
    if backend == "sqlite":
        target = tmp_path / f"{kind}.db"
        shutil.copy(templates["sqlite"][kind], target)
        yield f"sqlite:///{target}"
        return
    assert pg_server is not None
    name = f"t{next(_counter)}_{os.getpid()}"
    url = pg_server.create(name, template=templates["postgresql"][kind])
    yield url
    pg_server.drop(name)


@pytest.fixture
def demo_url(backend: str, templates: dict, pg_server: PostgresServer | None, tmp_path: Path) -> Iterator[str]:
    """A fresh database holding the demo unit."""
    yield from _clone(backend, "demo", templates, pg_server, tmp_path)


@pytest.fixture
def empty_url(backend: str, templates: dict, pg_server: PostgresServer | None, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database."""
    yield from _clone(backend, "empty", templates, pg_server, tmp_path)


@pytest.fixture
def settings(demo_url: str) -> Settings:
    return Settings(database_url=demo_url, environment="test", secret_key=TEST_SECRET, demo_password=DEMO_PASSWORD)


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    from kaohe.main import create_app

    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def db(app):  # type: ignore[no-untyped-def]
    """A session on the app's database, for arranging data and checking what was saved."""
    session = app.state.session_factory()
    yield session
    session.close()


@pytest.fixture(scope="session")
def accounts() -> dict[str, str]:
    """Role name → username of the demo account playing it."""
    unit = build_demo_unit()
    assert len(unit.accounts) == len(ROLE_ACCOUNTS)
    return dict(zip(ROLE_ACCOUNTS, (a.username for a in unit.accounts), strict=True))


class Client(TestClient):
    csrf: str = ""

    def form(self, url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        """POST a form with the CSRF token, as the browser would."""
        return self.post(url, data={"csrf_token": self.csrf, **(data or {})}, follow_redirects=False, **kwargs)


@pytest.fixture
def anon(app) -> Iterator[Client]:  # type: ignore[no-untyped-def]
    with Client(app, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def client_as(app, db, accounts):  # type: ignore[no-untyped-def]
    """client_as("hr") → a client signed in as the demo account playing that role."""
    from sqlalchemy import select

    clients: list[Client] = []

    def make(role_or_username: str) -> Client:
        username = accounts.get(role_or_username, role_or_username)
        user = db.scalar(select(User).where(User.username == username))
        assert user is not None, username
        token, row = auth_service.open_session(db, app.state.settings, user=user, ip="testclient", user_agent="pytest")
        db.commit()
        client = Client(app, base_url="http://testserver")
        client.cookies.set("kaohe_session", token)
        client.csrf = row.csrf_token
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
