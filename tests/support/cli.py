"""Run the installed `kaohe` entry point as a separate process, the way a user runs it."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

KAOHE = str(Path(sys.executable).with_name("kaohe"))


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def kaohe(*args: str, url: str, cwd: Path | None = None, env: dict[str, str] | None = None,
          stdin: str | None = None, timeout: float = 180) -> Ran:
    """`kaohe ARGS…` against the database at `url`, in a fresh process with only the settings given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KAOHE_")}
    environment.update({"KAOHE_DATABASE_URL": url, "KAOHE_ENVIRONMENT": "development",
                        "KAOHE_SECRET_KEY": "cli-test-secret-" + "x" * 32, "TMPDIR": str(cwd or "/tmp"),
                        **(env or {})})
    done = subprocess.run([KAOHE, *args], env=environment, cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=timeout)
    return Ran(done.returncode, done.stdout, done.stderr)
