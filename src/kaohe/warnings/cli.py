"""`kaohe warnings evaluate 2026Q3` and `kaohe warnings list 2026Q3`: the quarter's warnings for operators
and checks, through the same use cases as the pages."""

import typer

from kaohe.clikit import unit_of_work
from kaohe.clock import now
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.quarterly import service as quarter_service
from kaohe.quarterly.cli import QUARTER_ACTOR
from kaohe.warnings import service

warnings_app = typer.Typer(help=t("warnings.cli.help"), no_args_is_help=True)


def _quarter(text: str) -> tuple[int, int]:
    if not text.strip():
        raise Invalid(t("quarter.cli.quarter_missing"))
    return quarter_service.parse_quarter(text)


@warnings_app.command("evaluate", help=t("warnings.cli.evaluate_help"))
def evaluate(quarter: str = typer.Argument("", help=t("warnings.cli.quarter"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        summary = service.evaluate_quarter(db, actor=QUARTER_ACTOR, year=year, quarter=number, now=now())
    typer.echo(t("warnings.cli.evaluated", quarter=quarter_service.quarter_label(year, number),
                 raised=summary.raised, updated=summary.updated, withdrawn=summary.withdrawn,
                 reraised=summary.reraised, pending=summary.pending))


@warnings_app.command("list", help=t("warnings.cli.list_help"))
def list_(quarter: str = typer.Argument("", help=t("warnings.cli.quarter"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        rows = service.list_warnings(db, actor=QUARTER_ACTOR, filters=service.Filters(year=year, quarter=number))
        names = service.indicator_names(db, {year}) if rows else {}
        lines = [t("warnings.cli.row", no=w.staff.employee_no, name=w.staff.name, department=w.staff.department.name,
                   kind=service.kind_label(w.kind), status=service.status_label(w.status),
                   explain=service.explain(w, names)) for w in rows]
    if not lines:
        typer.echo(t("warnings.cli.none", quarter=quarter_service.quarter_label(year, number)))
        return
    typer.echo(t("warnings.cli.header"))
    for line in lines:
        typer.echo(line)
