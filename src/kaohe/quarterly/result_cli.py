"""`kaohe quarter compute 2026Q3` and `kaohe quarter export 2026Q3 FILE.xlsx`: the quarter's results for
operators and checks, through the same use cases as the pages."""

from pathlib import Path

import typer

from kaohe.clikit import read_file, unit_of_work
from kaohe.clock import now
from kaohe.config import get_settings
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.quarterly import results, service


def _parse(text: str) -> tuple[int, int]:
    if not text.strip():
        raise Invalid(t("quarter.cli.quarter_missing"))
    return service.parse_quarter(text)


def register(quarter_app: typer.Typer, actor: object) -> None:
    """Add the result commands to `kaohe quarter`, acting as `actor` (the quarter commands' principal)."""

    @quarter_app.command("compute", help=t("quarterly_results.compute_help"))
    def quarter_compute(quarter: str = typer.Argument("", help=t("quarter.cli.quarter"))) -> None:
        year, number = _parse(quarter)
        with unit_of_work() as db:
            summary = results.compute_quarter(db, actor=actor, year=year, quarter=number,  # type: ignore[arg-type]
                                              now=now())
        typer.echo(t("quarterly_results.computed", quarter=service.quarter_label(year, number),
                     people=summary.people, changed=summary.changed, flagged=summary.flagged))

    @quarter_app.command("export", help=t("quarterly_results.export_help"))
    def quarter_export(quarter: str = typer.Argument("", help=t("quarter.cli.quarter")),
                       file: Path = typer.Argument(..., help=t("quarterly_results.export_file"))) -> None:
        year, number = _parse(quarter)
        if file.suffix.lower() != ".xlsx":
            raise Invalid(t("quarterly_results.export_suffix", path=str(file)))
        with unit_of_work() as db:
            rows = results.export_rows(db, actor=actor, year=year, quarter=number)  # type: ignore[arg-type]
        try:
            file.write_bytes(results.write_xlsx(rows))
        except OSError as exc:
            raise Invalid(t("quarterly_results.export_unwritable", path=str(file), reason=exc.strerror or "")) from None
        typer.echo(t("quarterly_results.exported", count=len(rows), quarter=service.quarter_label(year, number),
                     path=str(file)))

    @quarter_app.command("import-history", help=t("quarterly_results.history_help"))
    def quarter_import_history(file: Path = typer.Argument(..., help=t("quarterly_results.history_file")),
                               replace: bool = typer.Option(False, "--replace",
                                                            help=t("quarterly_results.history_replace"))) -> None:
        data = read_file(file, max_bytes=get_settings().upload_max_bytes)
        with unit_of_work() as db:
            done = results.import_history(db, actor=actor, data=data, filename=file.name,  # type: ignore[arg-type]
                                          replace=replace, now=now())
        typer.echo(t("quarterly_results.history.done", count=done.count, people=done.people, quarters=done.quarters,
                     replaced=done.replaced))
