"""`kaohe serve` as its own process on a free loopback port, for tests that need a real event loop
(the e2e journeys have their own, with a browser; this one has none)."""

import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from tests.support.cli import KAOHE

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def served(database: Path, folder: Path, env: dict[str, str] | None = None, workers: int = 1) -> Iterator[str]:
    """The base URL of `kaohe serve --workers N` on the SQLite file `database`; stopped afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_")}
    environment.update({"KAOHE_DATABASE_URL": f"sqlite:///{database}", "KAOHE_ENVIRONMENT": "test",
                        "KAOHE_SECRET_KEY": "s" * 40, **(env or {})})
    log_path = folder / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([KAOHE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                                   str(workers)], env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_up(url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError(f"kaohe serve did not answer {url}/healthz: {log_path.read_text()}")
        time.sleep(0.1)


def signed_in(url: str, username: str, password: str) -> tuple[httpx.Client, str]:
    """A client signed in through the login form (its anonymous CSRF token echoed), and the session's
    CSRF token as the pages carry it."""
    client = httpx.Client(base_url=url, timeout=30)
    login = client.get("/login")
    token = _CSRF.search(login.text)
    assert token is not None, login.text[:500]
    answer = client.post("/login", data={"csrf_token": token.group(1), "username": username, "password": password})
    assert answer.status_code in (200, 303), answer.text[:500]
    home = client.get("/tasks")
    session_token = _CSRF.search(home.text)
    assert home.status_code == 200 and session_token is not None, home.text[:500]
    return client, session_token.group(1)
