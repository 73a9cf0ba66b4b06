"""`kaohe import staff` / `kaohe export staff`: the roster as a spreadsheet, all rows or none."""

from pathlib import Path

import typer

from kaohe.clikit import CLI_ACTOR, read_file, unit_of_work
from kaohe.config import get_settings
from kaohe.messages import t
from kaohe.org import roster_service


def import_staff(file: Path) -> None:
    settings = get_settings()
    data = read_file(file, max_bytes=settings.upload_max_bytes)
    with unit_of_work() as db:
        outcome = roster_service.import_roster(db, actor=CLI_ACTOR, data=data, filename=file.name,
                                               max_bytes=settings.upload_max_bytes)
    typer.echo(t("cli.import_staff_done", created=outcome.created, updated=outcome.updated))


def export_staff(file: Path) -> None:
    fmt = "csv" if file.suffix.lower() == ".csv" else "xlsx"
    with unit_of_work() as db:
        body = roster_service.export_roster(db, actor=CLI_ACTOR, fmt=fmt)
    file.write_bytes(body)
    typer.echo(t("cli.export_staff_done", file=file))


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    import_app.command("staff", help=t("cli.import_staff_help"))(import_staff)
    export_app.command("staff", help=t("cli.export_staff_help"))(export_staff)
