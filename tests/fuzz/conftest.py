"""The whole API fuzzed by Schemathesis against `kaohe serve` (its own process) on loopback.

One server per backend, on a fresh copy of the demo database, for the module. Each fuzz test signs in
as one role with a session cookie (opened in the database, as `client_as` does) and sends the session's
CSRF token in the header, as the browser's HTMX requests do. Cookies rather than API tokens, because
`DELETE /tokens/{id}` is part of what is fuzzed and would revoke the token the run depends on.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import DEMO_PASSWORD, _backends
from tests.support.cli import KAOHE
from tests.support.databases import PostgresServer

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.bootstrap import Database
from kaohe.config import Settings

SECRET = "f" * 40


@dataclass
class FuzzServer:
    backend: str
    url: str
    database: Database
    settings: Settings
    # Ids the fuzz run must not reset, strip of roles or deactivate: the fuzzing accounts and their staff.
    protected_users: set[int] = field(default_factory=set)
    protected_staff: set[int] = field(default_factory=set)
    decoy_user: int = 0
    decoy_staff: int = 0


@dataclass
class Tally:
    """Cases sent per (backend, role) and operation, printed at the end of the session."""

    cases: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    statuses: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)

    def add(self, backend: str, role: str, operation: str, status: int) -> None:
        ops = self.cases.setdefault((backend, role), {})
        ops[operation] = ops.get(operation, 0) + 1
        codes = self.statuses.setdefault((backend, role), {})
        codes[status] = codes.get(status, 0) + 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError(f"kaohe serve did not answer {url}/healthz: {log.read_text()}")
        time.sleep(0.1)


TALLY = Tally()


@pytest.fixture(scope="session")
def fuzz_tally() -> Tally:
    return TALLY


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """The counts for the record: cases sent and answers received, per backend and role."""
    for (backend, role), ops in sorted(TALLY.cases.items()):
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(TALLY.statuses[(backend, role)].items()))
        terminalreporter.write_line(f"schemathesis {backend} as {role}: {sum(ops.values())} cases over {len(ops)} "
                                    f"operations; responses {codes}")


@pytest.fixture(scope="module", params=_backends())
def fuzz_server(request: pytest.FixtureRequest, templates: dict, pg_server: PostgresServer | None,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    """`kaohe serve` on a free loopback port over a fresh copy of the demo database of one backend."""
    backend = request.param
    root = tmp_path_factory.mktemp(f"fuzz-{backend}")
    if backend == "sqlite":
        shutil.copy(templates["sqlite"]["demo"], root / "demo.db")
        db_url, drop = f"sqlite:///{root / 'demo.db'}", None
    else:
        assert pg_server is not None
        name = f"fuzz_{os.getpid()}"
        db_url, drop = pg_server.create(name, template=templates["postgresql"]["demo"]), name
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_")}
    env.update({"KAOHE_DATABASE_URL": db_url, "KAOHE_ENVIRONMENT": "test", "KAOHE_SECRET_KEY": SECRET,
                "KAOHE_DEMO_PASSWORD": DEMO_PASSWORD})
    log_path = root / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen([KAOHE, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    settings = Settings(database_url=db_url, environment="test", secret_key=SECRET, demo_password=DEMO_PASSWORD)
    database = Database.connect(db_url, settings)
    try:
        _wait(url, server, log_path)
        yield FuzzServer(backend=backend, url=url, database=database, settings=settings)
    finally:
        database.dispose()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if drop is not None and pg_server is not None:
            pg_server.drop(drop)
        tail = log_path.read_text(errors="replace")
        if "Traceback" in tail:
            print(tail[-20_000:])


@pytest.fixture(params=["hr", "admin"])
def fuzz_role(request: pytest.FixtureRequest) -> str:
    return request.param


@dataclass
class Session:
    role: str
    cookies: dict[str, str]
    headers: dict[str, str]


@pytest.fixture
def fuzz_session(fuzz_server: FuzzServer, fuzz_role: str, accounts: dict[str, str]) -> Session:
    """A signed-in session of the role's demo account: its cookie and its CSRF header."""
    with fuzz_server.database.sessions() as db:
        users = {name: db.scalar(select(User).where(User.username == accounts[name]))
                 for name in ("hr", "admin", "staff2")}
        assert all(users.values()), users
        fuzz_server.protected_users = {users["hr"].id, users["admin"].id}
        fuzz_server.protected_staff = {u.staff_id for u in (users["hr"], users["admin"]) if u.staff_id}
        fuzz_server.decoy_user = users["staff2"].id
        fuzz_server.decoy_staff = users["staff2"].staff_id or 0
        token, row = auth_service.open_session(db, fuzz_server.settings, user=users[fuzz_role], ip="fuzz",
                                               user_agent="schemathesis")
        csrf = row.csrf_token
        db.commit()
    return Session(role=fuzz_role, cookies={"kaohe_session": token}, headers={"X-CSRF-Token": csrf})
