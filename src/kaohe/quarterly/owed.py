"""What each phase of a quarter still owes, and by whom (Q6).

A feature contributes an *owed provider* for a phase: a function of the session, the quarter and the
viewer that yields `Owed` items, each naming who owes what and linking to the page where it is done.
`providers()` lists them explicitly per phase (a feature adds its own there, as the 待办 providers are
listed in `kaohe.bootstrap.todo_providers`). Today: the collection phase's month closes of the daily
records (R4); metric files and ratings add theirs when they arrive.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kaohe.auth.permissions import Principal
from kaohe.messages import t
from kaohe.org.models import Department
from kaohe.quarterly.models import TIMED, QuarterCycle, QuarterPhase
from kaohe.records.models import MonthClose


@dataclass(frozen=True)
class Owed:
    """One thing a phase is still waiting for: what, for which department, from whom."""

    key: str  # stable, for tests and the API: "records.month_close" …
    what: str  # Chinese
    who: str  # the person (or, with nobody named, the role) who owes it
    department: str
    count: int
    href: str


OwedProvider = Callable[[Session, QuarterCycle, Principal], Iterable[Owed]]


def months_of(cycle: QuarterCycle) -> list[str]:
    """The months of the quarter as 2026-07 … 2026-09."""
    out = []
    day = cycle.starts_on
    while day <= cycle.ends_on:
        out.append(day.strftime("%Y-%m"))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def months_to_close(db: Session, cycle: QuarterCycle, actor: Principal) -> Iterator[Owed]:
    """Data collection: every month of the quarter a department head has not closed yet (R4)."""
    months = months_of(cycle)
    closed = {(department_id, month) for department_id, month in db.execute(
        select(MonthClose.department_id, MonthClose.month).where(MonthClose.month.in_(months)))}
    departments = db.scalars(select(Department).options(joinedload(Department.head))
                             .where(Department.is_active.is_(True)).order_by(Department.code))
    for department in departments:
        open_months = [m for m in months if (department.id, m) not in closed]
        if not open_months:
            continue
        who = department.head.name if department.head else t("quarter.owed_no_head")
        yield Owed("records.month_close", t("quarter.owed_month_close", months="、".join(open_months)),
                   who, department.name, len(open_months),
                   f"/records/month?department_id={department.id}&month={open_months[0]}")


def providers() -> Mapping[QuarterPhase, tuple[OwedProvider, ...]]:
    """Every feature's owed providers, per phase, listed explicitly."""
    from kaohe.ratings.results import owed_ratings  # here: kaohe.ratings imports kaohe.quarterly

    return {
        QuarterPhase.collection: (months_to_close,),
        QuarterPhase.rating: (owed_ratings,),
        QuarterPhase.review: (),
    }


def owed(db: Session, *, cycle: QuarterCycle, actor: Principal,
         registry: Mapping[QuarterPhase, tuple[OwedProvider, ...]] | None = None
         ) -> dict[QuarterPhase, list[Owed]]:
    """What each timed phase of the quarter still waits for (items with nothing owed left out)."""
    registry = providers() if registry is None else registry
    return {phase: [item for provider in registry.get(phase, ()) for item in provider(db, cycle, actor)
                    if item.count > 0] for phase in TIMED}
