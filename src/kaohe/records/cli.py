"""`kaohe import records FILE`: past daily records from a spreadsheet, all rows or none."""

from pathlib import Path

import typer

from kaohe.clikit import CLI_ACTOR, read_file, unit_of_work
from kaohe.clock import now
from kaohe.config import get_settings
from kaohe.messages import t
from kaohe.records import importing_service


def import_records(file: Path) -> None:
    data = read_file(file, max_bytes=get_settings().upload_max_bytes)
    with unit_of_work() as db:
        count = importing_service.import_records(db, actor=CLI_ACTOR, data=data, filename=file.name, now=now())
    typer.echo(t("cli.import_records_done", count=count))


def register(import_app: typer.Typer) -> None:
    import_app.command("records", help=t("cli.import_records_help"))(import_records)
