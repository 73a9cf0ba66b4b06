"""The working-day calendar in the database: seed from the package, import, edit, load."""

from datetime import date

from sqlalchemy import delete, extract, select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.calendar.arrangement import parse_arrangement_file
from kaohe.calendar.models import CalendarDay, CalendarYear
from kaohe.calendar.workdays import (
    CalendarError,
    DayKind,
    SpecialDay,
    WorkCalendar,
    YearArrangement,
    arrangement_from_package,
    package_years,
)
from kaohe.errors import Forbidden, Invalid
from kaohe.messages import t


def _require(actor: Principal | None) -> None:
    if actor is not None and not actor.can(Perm.calendar_write):
        raise Forbidden(t("common.forbidden"))


def _year_days(db: Session, year: int):  # type: ignore[no-untyped-def]
    return select(CalendarDay).where(extract("year", CalendarDay.day) == year)


def _store_year(db: Session, year: int, source: str, official: tuple[SpecialDay, ...],
                closures: list[SpecialDay], *, replace_closures: bool) -> None:
    kinds = [DayKind.holiday, DayKind.workday] + ([DayKind.closure] if replace_closures else [])
    for day in db.scalars(_year_days(db, year).where(CalendarDay.kind.in_(kinds))):
        db.delete(day)
    db.flush()
    for special in (*official, *closures):
        existing = db.get(CalendarDay, special.day)
        if existing is not None:
            db.delete(existing)
            db.flush()
        db.add(CalendarDay(day=special.day, kind=special.kind, name=special.name[:60]))
    row = db.get(CalendarYear, year)
    if row is None:
        db.add(CalendarYear(year=year, source=source))
    else:
        row.source = source


def seed_from_package(db: Session, *, actor: Principal | None = None, years: list[int] | None = None,
                      force: bool = False) -> list[int]:
    """Load statutory holidays and adjusted workdays from chinesecalendar; returns the years loaded."""
    _require(actor)
    loaded = []
    known = set(db.scalars(select(CalendarYear.year)))
    for year in years or package_years():
        if year in known and not force:
            continue
        arrangement = arrangement_from_package(year)
        _store_year(db, year, "chinesecalendar", arrangement.days, [], replace_closures=False)
        loaded.append(year)
    if loaded:
        audit.record(db, actor=actor, action="calendar.seed", entity_type="calendar",
                     entity_id=",".join(map(str, loaded))[:64],
                     summary=t("calendar.audit_seed", years="、".join(map(str, loaded))))
    db.flush()
    return loaded


def import_year(db: Session, *, actor: Principal | None, data: bytes, filename: str, year: int) -> tuple[int, int]:
    """Replace a year's official arrangement (and add its closures) from a file; all or nothing."""
    _require(actor)
    if not 2000 <= year <= 2100:
        raise Invalid(t("calendar.year_out_of_range", year=year))
    arrangement, closures, errors = parse_arrangement_file(data, filename, year=year)
    if errors:
        raise Invalid(t("calendar.import_failed", count=len(errors)), details=errors)
    if arrangement is None and db.get(CalendarYear, year) is None:
        raise Invalid(t("calendar.import_needs_official", year=year))
    official = arrangement.days if arrangement else None
    if official is not None:
        _store_year(db, year, "import", official, closures, replace_closures=False)
    else:
        for special in closures:
            existing = db.get(CalendarDay, special.day)
            if existing is not None:
                db.delete(existing)
                db.flush()
            db.add(CalendarDay(day=special.day, kind=special.kind, name=special.name[:60]))
    audit.record(db, actor=actor, action="calendar.import", entity_type="calendar", entity_id=year,
                 summary=t("calendar.audit_import", year=year, official=len(official or ()),
                           closures=len(closures)))
    db.flush()
    return len(official or ()), len(closures)


def set_day(db: Session, *, actor: Principal, day: date, kind: DayKind, name: str) -> None:
    """Add or change one special day of a loaded year."""
    _require(actor)
    if db.get(CalendarYear, day.year) is None:
        raise CalendarError(t("calendar.year_not_loaded", year=day.year, day=day.isoformat()), year=day.year)
    if kind is DayKind.workday and day.weekday() < 5:
        raise Invalid(t("calendar.workday_on_weekday", day=day.isoformat()))
    existing = db.get(CalendarDay, day)
    before = {"kind": existing.kind.value, "name": existing.name} if existing else None
    if existing is None:
        db.add(CalendarDay(day=day, kind=kind, name=name.strip()[:60]))
    else:
        existing.kind, existing.name = kind, name.strip()[:60]
    audit.record(db, actor=actor, action="calendar.set_day", entity_type="calendar_day", entity_id=day.isoformat(),
                 summary=t("calendar.audit_set_day", day=day.isoformat(), kind=kind.label),
                 before=before, after={"kind": kind.value, "name": name.strip()[:60]})
    db.flush()


def remove_day(db: Session, *, actor: Principal, day: date) -> None:
    """Make a special day an ordinary day again."""
    _require(actor)
    existing = db.get(CalendarDay, day)
    if existing is None:
        return
    before = {"kind": existing.kind.value, "name": existing.name}
    db.execute(delete(CalendarDay).where(CalendarDay.day == day))
    audit.record(db, actor=actor, action="calendar.remove_day", entity_type="calendar_day",
                 entity_id=day.isoformat(), summary=t("calendar.audit_remove_day", day=day.isoformat()),
                 before=before)
    db.flush()


def loaded_years(db: Session) -> list[CalendarYear]:
    return list(db.scalars(select(CalendarYear).order_by(CalendarYear.year)))


def special_days(db: Session, year: int) -> list[CalendarDay]:
    return list(db.scalars(_year_days(db, year).order_by(CalendarDay.day)))


def load_calendar(db: Session) -> WorkCalendar:
    """The whole calendar in one query, for deadline computations."""
    years = {y.year: [] for y in loaded_years(db)}  # type: dict[int, list[SpecialDay]]
    closures = []
    for row in db.scalars(select(CalendarDay)):
        special = SpecialDay(day=row.day, kind=row.kind, name=row.name)
        if row.kind is DayKind.closure:
            closures.append(special)
        elif row.day.year in years:
            years[row.day.year].append(special)
    return WorkCalendar({y: YearArrangement(year=y, days=tuple(d)) for y, d in years.items()}, closures)
