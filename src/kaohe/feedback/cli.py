"""`kaohe feedback status 2026Q3`: how many of each department's people have their written feedback drafted,
signed, acknowledged or disputed, for operators and checks."""

import typer

from kaohe.clikit import unit_of_work
from kaohe.errors import Invalid
from kaohe.feedback import service
from kaohe.messages import t
from kaohe.quarterly.service import parse_quarter, quarter_label

feedback_app = typer.Typer(help=t("feedback.cli.help"), no_args_is_help=True)


@feedback_app.command("status", help=t("feedback.cli.status_help"))
def feedback_status(quarter: str = typer.Argument("", help=t("feedback.cli.quarter"))) -> None:
    if not quarter.strip():
        raise Invalid(t("quarter.cli.quarter_missing"))
    year, number = parse_quarter(quarter)
    label = quarter_label(year, number)
    with unit_of_work() as db:
        rows = service.counts_by_department(db, year=year, quarter=number)
    if not rows:
        typer.echo(t("feedback.cli.no_results", quarter=label))
        return
    typer.echo(t("feedback.cli.status_head", quarter=label, results=sum(people for _n, people, _s in rows)))
    for name, people, states in rows:
        typer.echo(t("feedback.cli.status_line", department=name, results=people, none=states[None],
                     **{k: v for k, v in states.items() if k is not None}))
