"""The arithmetic of a quarter's phases, pure: which months a quarter spans, the phase that follows,
when a phase starts and when it is due on the working-day calendar, and how far from that deadline a
day is. No database, no clock: the calendar and "today" come in as arguments.

A phase runs for `n` working days *beginning on its first day*, which is itself a working day: data
collection of 5 working days starting on Thursday 8 October 2026 is due at the end of Tuesday
13 October (Saturday 10 October being a 调休 workday). Collection starts on the first working day after
the quarter ends, or on the day HR starts it if that is later; each later phase starts on the day HR
moves the quarter into it (the next working day, if that day is not one).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from kaohe.calendar.workdays import WorkCalendar
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.quarterly.models import ORDER, QuarterPhase


@dataclass(frozen=True)
class Period:
    quarter: int
    starts_on: date
    ends_on: date


def periods(year: int, quarters: int) -> list[Period]:
    """The year cut into `quarters` equal runs of whole months (4 by default: the calendar quarters)."""
    if quarters < 1 or 12 % quarters:
        raise Invalid(t("quarter.quarters_not_even", quarters=quarters))
    months = 12 // quarters
    out = []
    for index in range(quarters):
        first = date(year, index * months + 1, 1)
        after = date(year + 1, 1, 1) if index == quarters - 1 else date(year, (index + 1) * months + 1, 1)
        out.append(Period(index + 1, first, after - timedelta(days=1)))
    return out


def next_phase(phase: QuarterPhase) -> QuarterPhase | None:
    """The phase after `phase`, None after the last."""
    index = ORDER.index(phase)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def first_working_day(calendar: WorkCalendar, day: date) -> date:
    """`day` itself if it is a working day, else the next one (raises for a year nobody loaded)."""
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Window:
    starts_on: date
    deadline: date


def window(calendar: WorkCalendar, *, phase: QuarterPhase, quarter_ends_on: date, today: date,
           working_days: int) -> Window:
    """When `phase`, started by HR on `today`, begins and is due."""
    earliest = today
    if phase is QuarterPhase.collection:
        earliest = max(today, quarter_ends_on + timedelta(days=1))
    start = first_working_day(calendar, earliest)
    return Window(start, calendar.add_working_days(start, max(working_days, 1) - 1))


@dataclass(frozen=True)
class Standing:
    """Where `today` stands against a deadline, in working days."""

    left: int  # working days after today up to and including the deadline (0 on the deadline itself)
    overdue: int  # working days after the deadline up to and including today

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0


def standing(calendar: WorkCalendar, *, deadline: date, today: date) -> Standing:
    if today > deadline:
        return Standing(0, max(1, calendar.working_days_between(deadline, today)))
    return Standing(calendar.working_days_between(today, deadline), 0)
