"""Fixtures shared by the command tests: the database `kaohe init && kaohe demo` built, once a session."""

import uuid
from pathlib import Path

import pytest
from tests.support.cli import Ran, kaohe

DEMO_PASSWORD = "cli-Demo-pass-2026"  # the same as tests/integration/cli/test_commands.py's


def run(url: str, home: Path, *args: str) -> Ran:
    ran = kaohe(*args, url=url, cwd=home, env={"KAOHE_DEMO_PASSWORD": DEMO_PASSWORD})
    assert "Traceback" not in ran.text, ran.text
    return ran


@pytest.fixture(scope="session")
def built_units(pg_server, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Per backend, once a session: a database that `kaohe init` and `kaohe demo` built as processes, as a
    new user would (the demo takes half a minute; every module gets its own copy of it)."""
    made: dict[str, tuple[str, Path, Ran, Ran]] = {}
    names: list[str] = []

    def get(backend: str) -> tuple[str, Path, Ran, Ran]:
        if backend not in made:
            home = tmp_path_factory.mktemp(f"cli-built-{backend}")
            if backend == "sqlite":
                url = f"sqlite:///{home / 'kaohe.db'}"
            else:
                name = f"cli_tpl_{uuid.uuid4().hex[:10]}"
                names.append(name)
                url = pg_server.create(name)
            made[backend] = (url, home, run(url, home, "init"), run(url, home, "demo"))
        return made[backend]

    yield get
    for name in names:
        pg_server.drop(name)


