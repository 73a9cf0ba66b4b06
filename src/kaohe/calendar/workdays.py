"""The working-day calendar: pure, no database, no clock.

Which days are working days in China is decided each year by the State Council: statutory
holidays (which may fall on weekends) and adjusted workdays (调休: weekend days worked to bridge a
holiday). The `chinesecalendar` package knows the years published when it was released; HR imports
later years. A date in a year nobody has loaded is refused, never guessed, because a guessed
deadline that turns out wrong cannot be taken back once a notice period or appeal window has run.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache

import chinese_calendar
from chinese_calendar import constants as package_data

from kaohe.errors import Invalid
from kaohe.messages import t

# The deadline of a working-day period is the last second of its last day.
END_OF_DAY = time(23, 59, 59)


class DayKind(StrEnum):
    holiday = "holiday"  # 法定节假日
    workday = "workday"  # 调休上班
    closure = "closure"  # 单位停工/闭馆日

    @property
    def label(self) -> str:
        return t(f"calendar.kind.{self.value}")


@dataclass(frozen=True)
class SpecialDay:
    day: date
    kind: DayKind
    name: str = ""


@dataclass(frozen=True)
class YearArrangement:
    """The official holidays and adjusted workdays of one year."""

    year: int
    days: tuple[SpecialDay, ...]


class CalendarError(Invalid, ValueError):
    """A date the calendar cannot answer for; `.message` is Chinese, `.year` the year concerned."""

    def __init__(self, message: str, *, year: int | None = None) -> None:
        super().__init__(message)
        self.year = year


def weekday_name(d: date) -> str:
    return t(f"calendar.weekday.{d.weekday()}")


@cache
def _package_years() -> tuple[int, ...]:
    # The package answers for exactly the years between its first and last listed holiday.
    if not package_data.holidays:
        return ()
    years = [d.year for d in package_data.holidays]
    return tuple(range(min(years), max(years) + 1))


def package_years() -> list[int]:
    """The years the installed chinesecalendar has data for, probed from the package itself."""
    return list(_package_years())


def _package_name(value: str) -> str:
    # The package names days by the English value of its Holiday enum; show the Chinese one.
    try:
        return chinese_calendar.Holiday(value).chinese
    except ValueError:
        return value


def arrangement_from_package(year: int) -> YearArrangement:
    """The year's holidays and adjusted workdays as published in chinesecalendar."""
    known = _package_years()
    if year not in known:
        if not known:
            raise CalendarError(t("calendar.package_empty"), year=year)
        raise CalendarError(
            t("calendar.package_year_unknown", year=year, first=known[0], last=known[-1]), year=year
        )
    days = [
        SpecialDay(day=d, kind=DayKind.holiday, name=_package_name(name))
        for d, name in package_data.holidays.items()
        if d.year == year
    ] + [
        SpecialDay(day=d, kind=DayKind.workday, name=_package_name(name))
        for d, name in package_data.workdays.items()
        if d.year == year
    ]
    return YearArrangement(year=year, days=tuple(sorted(days, key=lambda s: s.day)))


class WorkCalendar:
    """Answers working-day questions for the loaded years, plus the unit's own closures."""

    def __init__(self, years: Mapping[int, YearArrangement], closures: Iterable[SpecialDay] = ()) -> None:
        self._kinds: dict[date, DayKind] = {}
        for year, arrangement in years.items():
            if arrangement.year != year:
                raise ValueError(f"arrangement of {arrangement.year} given for year {year}")
            for special in arrangement.days:
                if special.day.year != year:
                    raise ValueError(f"{special.day} is not in the arrangement's year {year}")
                self._kinds[special.day] = special.kind
        # A closure wins over an adjusted workday: the unit is shut whatever the State Council says.
        for closure in closures:
            if closure.kind is not DayKind.closure:
                raise ValueError(f"{closure.day} given as a closure has kind {closure.kind}")
            self._kinds[closure.day] = DayKind.closure
        self._years = frozenset(years)

    @property
    def years(self) -> frozenset[int]:
        return self._years

    def is_workday(self, d: date) -> bool:
        if isinstance(d, datetime):
            d = d.date()
        if d.year not in self._years:
            raise CalendarError(t("calendar.year_not_loaded", year=d.year, day=d.isoformat()), year=d.year)
        kind = self._kinds.get(d)
        if kind is None:
            return d.weekday() < 5
        return kind is DayKind.workday

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is not counted, and n=0 gives `start`."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """The working days d with start < d <= end; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def deadline(
        self, start: datetime, *, hours: int | None = None, working_days: int | None = None
    ) -> datetime:
        """When a period that begins at `start` ends.

        `hours` counts wall-clock hours, weekends and holidays included (record entry within 24
        hours). `working_days` ends at 23:59:59 of the n-th working day after start's date, so an
        event on Friday afternoon with 5 working days runs to the end of the next Friday. `start`
        should be in local (China) time; the result keeps its tzinfo.
        """
        if hours is not None and working_days is None:
            if hours < 0:
                raise ValueError(f"hours must not be negative, got {hours}")
            return start + timedelta(hours=hours)
        if working_days is not None and hours is None:
            if working_days < 0:
                raise ValueError(f"working_days must not be negative, got {working_days}")
            last_day = self.add_working_days(start.date(), working_days)
            return datetime.combine(last_day, END_OF_DAY, tzinfo=start.tzinfo)
        raise ValueError("give exactly one of hours and working_days")
