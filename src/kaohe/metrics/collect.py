"""The daily-record figures collected from the records, and what has arrived for a quarter (completeness).

The records' figures are computed for the whole unit in one grouped query, never typed in. A
daily-records indicator the records cannot measure (理论学习完成率, 专业培训达标率 …) is listed as not
collectable automatically rather than filled with an invented number.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.calendar import service as calendar_service
from kaohe.calendar.workdays import CalendarError
from kaohe.clock import local, zone
from kaohe.errors import Forbidden
from kaohe.messages import t
from kaohe.metrics import service
from kaohe.metrics.catalog import (
    DAILY_RECORDS,
    Quarter,
    collected_sources,
    data_source_of,
    person_leaves,
    record_figure,
    source_leaves,
    source_names,
    timeliness,
)
from kaohe.metrics.models import MetricBatch, MetricValue
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.records.models import WorkRecord
from kaohe.scheme.indicators import Indicator
from kaohe.scheme.models import Scheme


def quarter_bounds(quarter: Quarter) -> tuple[datetime, datetime]:
    """[start, end) of the quarter in the unit's time zone."""
    start = datetime(quarter.year, 3 * quarter.number - 2, 1, tzinfo=zone())
    end = datetime(quarter.year + (quarter.number == 4), (3 * quarter.number) % 12 + 1, 1, tzinfo=zone())
    return start, end


def record_counts(db: Session, quarter: Quarter) -> dict[int, tuple[int, int]]:
    """Each active person's records of the quarter (by end time, as the record score counts them):
    (submitted, late), in one grouped query."""
    start, end = quarter_bounds(quarter)
    rows = db.execute(
        select(WorkRecord.staff_id, func.count(WorkRecord.id), func.count(case((WorkRecord.late.is_(True), 1))))
        .join(Staff, and_(WorkRecord.staff_id == Staff.id, Staff.status == StaffStatus.active))
        .where(WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
        .group_by(WorkRecord.staff_id)).all()
    return {staff_id: (submitted, late) for staff_id, submitted, late in rows}


def collect_records(db: Session, *, actor: Principal, quarter: Quarter, now: datetime) -> service.Stored | None:
    """Compute the quarter's daily-record figures for everyone and store them as one batch, replacing
    the previous collection (kept as history); None when the scheme names no figure the records give."""
    if not actor.can(Perm.metrics_import):
        raise Forbidden(t("common.forbidden"))
    scheme = service.scheme_for(db, quarter)
    figures = {code: record_figure(node) for code, node in source_leaves(scheme, DAILY_RECORDS).items()}
    figures = {code: figure for code, figure in figures.items() if figure is not None}
    if not figures:
        return None
    counts = record_counts(db, quarter)
    values: list[tuple[int, str, Decimal, int | None]] = []
    for staff_id, (submitted, late) in sorted(counts.items()):
        for code, figure in figures.items():
            value = timeliness(submitted, late) if figure == "timeliness" else None
            if value is not None:
                values.append((staff_id, code, value, None))
    return service._store(db, actor=actor, source=DAILY_RECORDS, quarter=quarter, values=values, replace=True,
                          now=now, channel="records", filename="", sha256="")


# --- completeness --------------------------------------------------------------------------------------

@dataclass
class Missing:
    staff: Staff
    indicators: list[str]  # the names of the indicators without a value


@dataclass
class DepartmentRow:
    department: Department
    expected: int = 0
    complete: int = 0
    missing: list[Missing] = field(default_factory=list)


@dataclass
class SourceRow:
    key: str
    name: str
    importable: bool
    indicators: list[Indicator]
    not_collectable: list[Indicator]  # daily-records indicators the records cannot measure
    departments: list[DepartmentRow]
    expected: int = 0
    complete: int = 0
    last_import: datetime | None = None


@dataclass
class Completeness:
    quarter: Quarter
    sources: list[SourceRow]
    first: datetime | None
    last: datetime | None
    working_days: int | None  # first to last import, both days counted, on the unit's calendar
    calendar_error: str | None
    deadline_days: int | None  # the scheme's deadlines.data_collection.working_days
    batches: list[MetricBatch]

    @property
    def late(self) -> bool:
        return self.working_days is not None and self.deadline_days is not None and self.working_days > self.deadline_days


def _expected(scheme: Scheme, staff: Staff, department: Department, cache: dict) -> list[Indicator]:  # type: ignore[type-arg]
    key = (staff.post_category, staff.level, department.code, staff.post_name)
    if key not in cache:
        cache[key] = person_leaves(scheme, category=staff.post_category, level=staff.level,
                                   department=department.code, post=staff.post_name)
    return cache[key]


def collection_days(first: date, last: date, db: Session) -> tuple[int | None, str | None]:
    """Working days from the first to the last day of collection, both counted; or why they cannot be."""
    try:
        calendar = calendar_service.load_calendar(db)
        return calendar.working_days_between(first, last) + (1 if calendar.is_workday(first) else 0), None
    except CalendarError as error:
        return None, error.message


def completeness(db: Session, *, actor: Principal, quarter: Quarter) -> Completeness:
    """Per source and department: how many people have every value they should, who lacks which, and
    how many working days the collection took against the scheme's deadline."""
    if not actor.can(Perm.metrics_read):
        raise Forbidden(t("common.forbidden"))
    scheme = service.scheme_for(db, quarter)
    names = source_names(scheme)
    have: set[tuple[int, str]] = set(db.execute(  # type: ignore[arg-type]
        select(MetricValue.staff_id, MetricValue.indicator_code)
        .where(MetricValue.year == quarter.year, MetricValue.quarter == quarter.number)).all())
    cache: dict = {}  # type: ignore[type-arg]
    people = service.active_staff(db)
    sources: list[SourceRow] = []
    batches = service.batches_of(db, quarter=quarter)
    last_of: dict[str, datetime] = {}
    for batch in batches:
        last_of[batch.source] = batch.created_at
    for key in collected_sources(scheme):
        leaves = source_leaves(scheme, key)
        records = key == DAILY_RECORDS
        uncollectable = [node for node in leaves.values() if records and record_figure(node) is None]
        skipped = {node.code for node in uncollectable}
        rows: dict[int, DepartmentRow] = {}
        for staff, department in people:
            wanted = [node for node in _expected(scheme, staff, department, cache)
                      if data_source_of(node) == key and node.code not in skipped]
            if not wanted:
                continue
            row = rows.setdefault(department.id, DepartmentRow(department=department))
            row.expected += 1
            lacking = [node.name for node in wanted if (staff.id, node.code) not in have]
            if lacking:
                row.missing.append(Missing(staff=staff, indicators=lacking))
            else:
                row.complete += 1
        departments = sorted(rows.values(), key=lambda r: r.department.code)
        sources.append(SourceRow(key=key, name=names.get(key, key), importable=not records,
                                 indicators=list(leaves.values()), not_collectable=uncollectable,
                                 departments=departments, expected=sum(r.expected for r in departments),
                                 complete=sum(r.complete for r in departments), last_import=last_of.get(key)))
    first = batches[0].created_at if batches else None
    last = batches[-1].created_at if batches else None
    days, problem = (None, None)
    if first is not None and last is not None:
        days, problem = collection_days(local(first).date(), local(last).date(), db)
    deadline = scheme.deadlines.data_collection.working_days
    return Completeness(quarter=quarter, sources=sources, first=first, last=last, working_days=days,
                        calendar_error=problem, deadline_days=deadline, batches=batches)


def expected_for(db: Session, *, staff: Staff, quarter: Quarter) -> list[Indicator]:
    """The quantitative indicators a person should have values of in the quarter."""
    scheme = service.scheme_for(db, quarter)
    department = db.get(Department, staff.department_id)
    assert department is not None
    return _expected(scheme, staff, department, {})


def by_source(nodes: Sequence[Indicator]) -> dict[str, list[Indicator]]:
    out: dict[str, list[Indicator]] = defaultdict(list)
    for node in nodes:
        out[data_source_of(node)].append(node)
    return dict(out)

