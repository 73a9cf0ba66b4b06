"""What every `kaohe` command shares: the acting principal, the unit of work, file reading, and the
one place that turns failures into a Chinese line and an exit code (never a traceback).

Feature `cli.py` modules define their commands with these; `kaohe/cli.py` wires them together.
"""

import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import typer
from sqlalchemy.exc import DBAPIError, NoSuchTableError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import Database
from kaohe.config import get_settings
from kaohe.errors import KaoheError
from kaohe.messages import t

# Commands act as the system administrator: whoever runs them already holds the server.
CLI_ACTOR = Principal(user_id=None, username="cli", display_name="命令行", staff_id=None,
                      staff_department_id=None, grants=(Grant(Role.admin, None),))

EXIT_REFUSED = 1  # the input or the state was refused, with a reason
EXIT_INTERNAL = 70  # EX_SOFTWARE: something unexpected; nothing was saved


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """The command's one transaction: committed when the block ends, rolled back on any error."""
    database = Database.from_settings(get_settings())
    try:
        with database.unit_of_work() as session:
            yield session
    finally:
        database.dispose()


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing a missing file; one byte past the limit lets the import name it."""
    if not path.is_file():
        raise KaoheError(t("cli.file_missing", file=path))
    with path.open("rb") as fh:
        return fh.read(max_bytes + 1)


def _database_name() -> str:
    return get_settings().database_url.split("@")[-1]


def _report(exc: BaseException) -> str:
    """Keep the traceback for the operator in a file; the screen gets one line."""
    fd, name = tempfile.mkstemp(prefix="kaohe-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"{datetime.now().isoformat()} kaohe {' '.join(sys.argv[1:])}\n")
        fh.write("".join(traceback.format_exception(exc)))
    return name


def run(app: Callable[..., object]) -> None:
    """Run the Typer app; refusals and unexpected errors become Chinese lines with exit codes."""
    try:
        # Without standalone mode click returns the code of `typer.Exit` instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except KaoheError as exc:
        typer.echo(t("cli.error", message=exc.message), err=True)
        for detail in exc.details:
            typer.echo(f"  - {detail}", err=True)
        sys.exit(EXIT_REFUSED)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        typer.echo(t("cli.aborted"), err=True)
        sys.exit(EXIT_REFUSED)
    except Exception as exc:
        import click

        if isinstance(exc, click.exceptions.UsageError):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, OperationalError | ProgrammingError | NoSuchTableError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated
        ):
            typer.echo(t("cli.database_unusable", database=_database_name(), log=_report(exc)), err=True)
            sys.exit(EXIT_INTERNAL)
        typer.echo(t("cli.internal_error", log=_report(exc)), err=True)
        sys.exit(EXIT_INTERNAL)
