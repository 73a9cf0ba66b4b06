"""`kaohe calendar …`: the working-day calendar (statutory holidays, 调休 days, the unit's closures)."""

from datetime import datetime
from pathlib import Path

import typer

from kaohe.calendar import service
from kaohe.calendar.views import CALENDAR_FILE_MAX
from kaohe.clikit import CLI_ACTOR, read_file, unit_of_work
from kaohe.errors import Invalid, NotFound
from kaohe.messages import t

calendar_app = typer.Typer(help=t("cli.calendar_help"), no_args_is_help=True)


@calendar_app.command("seed", help=t("cli.calendar_seed_help"))
def calendar_seed(force: bool = typer.Option(False, help=t("cli.calendar_force"))) -> None:
    with unit_of_work() as db:
        years = service.seed_from_package(db, actor=CLI_ACTOR, force=force)
    typer.echo(t("cli.calendar_seeded", years="、".join(map(str, years))) if years
               else t("cli.calendar_all_seeded"))


@calendar_app.command("import", help=t("cli.calendar_import_help"))
def calendar_import(file: Path, year: int = typer.Option(..., help=t("cli.calendar_year"))) -> None:
    data = read_file(file, max_bytes=CALENDAR_FILE_MAX)
    with unit_of_work() as db:
        official, closures = service.import_year(db, actor=CLI_ACTOR, data=data, filename=file.name, year=year)
    typer.echo(t("cli.calendar_imported", year=year, official=official, closures=closures))


@calendar_app.command("show", help=t("cli.calendar_show_help"))
def calendar_show(year: int) -> None:
    with unit_of_work() as db:
        if year not in {y.year for y in service.loaded_years(db)}:
            raise NotFound(t("cli.calendar_not_loaded", year=year))
        for day in service.special_days(db, year):
            typer.echo(f"{day.day}  {day.kind.label}  {day.name}")


@calendar_app.command("deadline", help=t("cli.calendar_deadline_help"))
def calendar_deadline(
    start: str = typer.Argument(..., help=t("cli.calendar_start")),
    working_days: int = typer.Option(0, help=t("cli.calendar_working_days")),
    hours: int = typer.Option(0, help=t("cli.calendar_hours")),
) -> None:
    try:
        when = datetime.fromisoformat(start)
    except ValueError:
        raise Invalid(t("cli.calendar_bad_start")) from None
    with unit_of_work() as db:
        end = service.load_calendar(db).deadline(
            when, hours=hours or None, working_days=None if hours else working_days)
    typer.echo(end.strftime("%Y-%m-%d %H:%M:%S"))
