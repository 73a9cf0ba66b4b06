"""`kaohe ratings propose 2026Q3` (the system's proposal of raters for the whole unit) and
`kaohe ratings status 2026Q3` (forms per rater group: assigned, submitted, in draft, people missing a group)."""

import typer

from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.clikit import CLI_ACTOR, unit_of_work
from kaohe.clock import now
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.quarterly import service as quarters
from kaohe.ratings import service

ratings_app = typer.Typer(help=t("ratings.cli.help"), no_args_is_help=True)

# The appraisal office's duty, run by whoever holds the server (as `kaohe quarter`).
RATINGS_ACTOR = Principal(user_id=None, username=CLI_ACTOR.username, display_name=CLI_ACTOR.display_name,
                          staff_id=None, staff_department_id=None, grants=(Grant(Role.hr, None),))


def _quarter(text: str) -> tuple[int, int]:
    if not text.strip():
        raise Invalid(t("ratings.cli.quarter_missing"))
    return quarters.parse_quarter(text)


@ratings_app.command("propose", help=t("ratings.cli.propose_help"))
def ratings_propose(quarter: str = typer.Argument("", help=t("ratings.cli.quarter"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        done = service.propose(db, actor=RATINGS_ACTOR, year=year, quarter=number, now=now())
    typer.echo(t("ratings.cli.proposed", label=service.label(year, number), added=done.added, people=done.people,
                 kept=done.kept))


@ratings_app.command("status", help=t("ratings.cli.status_help"))
def ratings_status(quarter: str = typer.Argument("", help=t("ratings.cli.quarter"))) -> None:
    year, number = _quarter(quarter)
    with unit_of_work() as db:
        cycle = service.cycle_of(db, year, number)
        groups = service.status(db, actor=RATINGS_ACTOR, year=year, quarter=number)
        typer.echo(t("ratings.cli.status_head", label=service.label(year, number),
                     phase=service.phase_label(cycle.phase)))
        for group in groups:
            typer.echo(t("ratings.cli.status_group", name=group.name, assigned=group.assigned,
                         submitted=group.submitted, draft=group.draft,
                         missing=group.assigned - group.submitted, without=group.people_without))
