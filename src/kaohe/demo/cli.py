"""`kaohe demo`: build the demo unit (or a synthetic unit of N people) in an empty database."""

import typer

from kaohe.auth.roles import Role
from kaohe.clikit import unit_of_work
from kaohe.clock import today
from kaohe.config import get_settings
from kaohe.demo.data import build_demo_unit, build_synthetic_unit
from kaohe.demo.load_quarters import load_demo_quarters, principal_of
from kaohe.demo.load_records import load_demo_records
from kaohe.demo.load_schemes import load_demo_schemes
from kaohe.demo.load_unit import load_demo_unit
from kaohe.messages import t
from kaohe.org.enums import label


def demo(
    staff: int = typer.Option(0, help=t("cli.demo_staff")),
    seed: int = typer.Option(2026, help=t("cli.demo_seed")),
) -> None:
    settings = get_settings()
    unit = build_synthetic_unit(staff, seed=seed) if staff else build_demo_unit(seed=seed)
    counts: dict[str, int] = {}
    with unit_of_work() as db:
        sign_ins = load_demo_unit(db, unit, password=settings.demo_password)
        if not staff:
            hr = next(s.username for s in sign_ins if Role.hr in s.roles)
            load_demo_schemes(db, hr_username=hr, today=today())
            counts = load_demo_records(db, unit, today=today(), seed=seed)
            counts |= load_demo_quarters(db, hr=principal_of(db, hr), principal=lambda no: principal_of(db, no),
                                         today=today(), seed=seed)
    typer.echo(t("cli.demo_unit", name=unit.name, departments=len(unit.departments), staff=len(unit.staff)))
    if counts:
        typer.echo(t("cli.demo_records", **counts))
        typer.echo(t("cli.demo_quarters", **counts))
    typer.echo(t("cli.demo_accounts", password=settings.demo_password))
    for s in sign_ins:
        roles = "、".join(label(Role(r)) for r in s.roles)
        typer.echo(f"  {s.username:<10} {roles:<24} {s.description}")
