"""`kaohe metrics import SOURCE 2026Q3 FILE` and `kaohe metrics collect-records 2026Q3`."""

from pathlib import Path

import typer

from kaohe.clikit import CLI_ACTOR, read_file, unit_of_work
from kaohe.clock import now
from kaohe.messages import t
from kaohe.metrics import collect, service
from kaohe.metrics.catalog import parse_quarter
from kaohe.metrics.importing import MAX_BYTES

metrics_app = typer.Typer(help=t("metrics.cli_help"), no_args_is_help=True)


@metrics_app.command("import", help=t("metrics.cli_import_help"))
def import_command(
    source: str = typer.Argument(..., help=t("metrics.cli_source")),
    quarter: str = typer.Argument(..., help=t("metrics.cli_quarter")),
    file: Path = typer.Argument(..., help=t("metrics.cli_file")),
    replace: bool = typer.Option(False, "--replace", help=t("metrics.cli_replace")),
) -> None:
    chosen = parse_quarter(quarter)
    data = read_file(file, max_bytes=MAX_BYTES)
    with unit_of_work() as db:
        stored = service.import_file(db, actor=CLI_ACTOR, source=source, quarter=chosen, data=data,
                                     filename=file.name, replace=replace, now=now())
    typer.echo(t("metrics.cli_imported", count=stored.count, people=stored.people, replaced=stored.replaced,
                 quarter=chosen.label))


@metrics_app.command("collect-records", help=t("metrics.cli_collect_help"))
def collect_command(quarter: str = typer.Argument(..., help=t("metrics.cli_quarter"))) -> None:
    chosen = parse_quarter(quarter)
    with unit_of_work() as db:
        stored = collect.collect_records(db, actor=CLI_ACTOR, quarter=chosen, now=now())
    if stored is None:
        typer.echo(t("metrics.cli_collect_none"))
        return
    typer.echo(t("metrics.cli_collected", count=stored.count, people=stored.people, quarter=chosen.label))
