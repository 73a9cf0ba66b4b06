"""`kaohe quarter …`: open an appraisal year, see where a quarter stands, move it on, reopen it.
Later commands of the quarter (`compute`, `export`) join the same `quarter_app`."""

import typer

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.clikit import CLI_ACTOR, unit_of_work
from kaohe.clock import local, now
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.quarterly import result_cli, service
from kaohe.quarterly.models import TIMED

quarter_app = typer.Typer(help=t("quarter.cli.help"), no_args_is_help=True)

# Commands act as the administrator (kaohe.clikit), and for the appraisal office, whose duty moving a
# quarter through its phases is: whoever runs them already holds the server.
QUARTER_ACTOR = Principal(user_id=None, username=CLI_ACTOR.username, display_name=CLI_ACTOR.display_name,
                          staff_id=None, staff_department_id=None,
                          grants=(*CLI_ACTOR.grants, Grant(Role.hr, None)))


def _quarter(text: str) -> tuple[int, int]:
    if not text.strip():
        raise Invalid(t("quarter.cli.quarter_missing"))
    return service.parse_quarter(text)


def _year(text: str) -> int:
    text = text.strip()
    if not text:
        raise Invalid(t("quarter.cli.year_missing"))
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise Invalid(t("quarter.bad_year", text=text[:20]))
    return int(text)


def _date(day: object) -> str:
    return day.strftime("%Y-%m-%d") if day is not None else "—"  # type: ignore[attr-defined]


@quarter_app.command("open", help=t("quarter.cli.open_help"))
def quarter_open(year: str = typer.Argument("", help=t("quarter.cli.year"))) -> None:
    number = _year(year)
    with unit_of_work() as db:
        made = service.open_year(db, actor=QUARTER_ACTOR, year=number, now=now())
        labels = "、".join(service.quarter_label(c.year, c.quarter) for c in made)
    typer.echo(t("quarter.cli.opened", year=number, count=len(made), labels=labels))


@quarter_app.command("status", help=t("quarter.cli.status_help"))
def quarter_status(quarter: str = typer.Argument("", help=t("quarter.cli.quarter"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        shown = service.detail(db, actor=QUARTER_ACTOR, year=year, quarter=number, now=now())
        cycle = shown.cycle
        typer.echo(t("quarter.cli.status_head", label=shown.label, code=cycle.code, phase=shown.phase_label,
                     start=_date(cycle.starts_on), end=_date(cycle.ends_on)))
        for phase in TIMED:
            run = shown.runs.get(phase)
            if run is None:
                typer.echo(t("quarter.cli.status_phase_pending", phase=service.phase_label(phase)))
                continue
            typer.echo(t("quarter.cli.status_phase", phase=service.phase_label(phase), start=_date(run.starts_on),
                         deadline=_date(run.deadline), days=run.working_days))
        standing = shown.standing
        if standing.error:
            typer.echo(standing.error)
        elif standing.standing is not None:
            typer.echo(t("quarter.cli.overdue", days=standing.standing.overdue) if standing.overdue
                       else t("quarter.cli.days_left", days=standing.standing.left))
        for phase, items in shown.owed.items():
            for item in items:
                typer.echo(t("quarter.cli.owed", phase=service.phase_label(phase), department=item.department,
                             who=item.who, what=item.what))
        for row in shown.history:
            typer.echo(t("quarter.cli.history", at=local(row.at).strftime("%Y-%m-%d %H:%M"),
                         who=row.actor_name, before=service.phase_label(row.from_phase) if row.from_phase else "—",
                         after=service.phase_label(row.to_phase), reason=row.reason or "—"))


def _moved(cycle_label: str, shown: service.CycleView) -> str:
    run = shown.run
    if run is None:
        return t("quarter.cli.now_in", label=cycle_label, phase=shown.phase_label)
    return t("quarter.cli.now_in_until", label=cycle_label, phase=shown.phase_label, start=_date(run.starts_on),
             deadline=_date(run.deadline))


@quarter_app.command("advance", help=t("quarter.cli.advance_help"))
def quarter_advance(quarter: str = typer.Argument("", help=t("quarter.cli.quarter")),
                    reason: str = typer.Option("", help=t("quarter.cli.reason"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        service.advance(db, actor=QUARTER_ACTOR, year=year, quarter=number, reason=reason, now=now())
        shown = service.detail(db, actor=QUARTER_ACTOR, year=year, quarter=number, now=now())
        typer.echo(_moved(shown.label, shown))


@quarter_app.command("reopen", help=t("quarter.cli.reopen_help"))
def quarter_reopen(quarter: str = typer.Argument("", help=t("quarter.cli.quarter")),
                   reason: str = typer.Option("", help=t("quarter.cli.reopen_reason"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        service.reopen(db, actor=QUARTER_ACTOR, year=year, quarter=number, reason=reason, now=now())
        shown = service.detail(db, actor=QUARTER_ACTOR, year=year, quarter=number, now=now())
        typer.echo(_moved(shown.label, shown))


result_cli.register(quarter_app, QUARTER_ACTOR)
