"""The installed `kaohe` command run as a separate process, as staff and inspectors run it."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SECRET = "x" * 40  # the secret key of the app in tests/conftest.py: the ledger key derives from it


def _installed_command() -> str:
    beside = Path(sys.executable).with_name("kaohe")
    found = str(beside) if beside.exists() else shutil.which("kaohe")
    assert found, "the kaohe command is not installed next to this Python"
    return found


KAOHE = _installed_command()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_kaohe(url: str, *args: str, secret: str = SECRET, ledger_key: str | None = None) -> Run:
    """`kaohe ARGS…` against the database at `url`, with only the settings given here."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("KAOHE_")}
    env.update(KAOHE_DATABASE_URL=url, KAOHE_SECRET_KEY=secret, KAOHE_ENVIRONMENT="test")
    if ledger_key is not None:
        env["KAOHE_LEDGER_KEY"] = ledger_key
    done = subprocess.run([KAOHE, *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    return Run(done.returncode, done.stdout, done.stderr)
