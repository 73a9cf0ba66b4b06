"""The quarterly record score (R6) of everyone the actor may see: one query, one vectorised pass."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Row, and_, case, func, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import zone
from kaohe.errors import Invalid
from kaohe.messages import t
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Staff
from kaohe.records.models import RecordStatus, WorkRecord
from kaohe.scheme import service as scheme_service
from kaohe.scoring.from_scheme import expected_per_quarter, record_score_rule
from kaohe.scoring.records import record_scores


@dataclass(frozen=True)
class PersonScore:
    staff: Staff
    submitted: int
    confirmed: int
    returned: int
    late: int
    mean_mark: float | None
    expected: float
    score: float


_CHINESE_QUARTER = re.compile(r"^\s*(\d{4})\s*年?\s*第?\s*([1-4一二三四])\s*季度?\s*$")


def normal_quarter(text: str) -> str:
    """A quarter as 2026-Q4, also when written 2026年第四季度 or 2026q4; the text unchanged otherwise."""
    match = _CHINESE_QUARTER.match(text)
    if match:
        return f"{match[1]}-Q{'一二三四'.index(match[2]) + 1 if match[2] in '一二三四' else match[2]}"
    return text.strip().upper()


def quarter_label(quarter: str) -> str:
    """2026-Q4 as people say it: 2026年第四季度."""
    year, q = quarter.split("-Q")
    return f"{year}年第{'一二三四'[int(q) - 1]}季度"


def recent_quarters(moment: datetime, count: int) -> list[str]:
    """The quarter of `moment` and the `count - 1` before it, newest first: the picker's choices."""
    local = moment.astimezone(zone())
    index = local.year * 4 + (local.month - 1) // 3
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index, index - count, -1)]


def quarter_bounds(quarter: str) -> tuple[datetime, datetime]:
    """[start, end) of a quarter written 2026-Q4, in China Standard Time."""
    try:
        year_text, q_text = normal_quarter(quarter).split("-Q")
        year, q = int(year_text), int(q_text)
        if not 1 <= q <= 4:
            raise ValueError
    except ValueError:
        raise Invalid(t("records.bad_quarter", quarter=quarter)) from None
    start = datetime(year, 3 * q - 2, 1, tzinfo=zone())
    end = datetime(year + (q == 4), (3 * q) % 12 + 1, 1, tzinfo=zone())
    return start, end


def quarter_of(moment: datetime) -> str:
    local = moment.astimezone(zone())
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def quarter_tallies(db: Session, quarter: str, *where: ColumnElement[bool],
                    subject: tuple[Any, ...] = (Staff,)) -> list[Row[Any]]:
    """(*subject, submitted, confirmed, returned, late, mean mark) of every active person matching `where`
    for the quarter, in 工号 order: one grouped query. `subject`: the person as an entity (the default) or
    as the few columns a bulk computation needs."""
    start, end = quarter_bounds(quarter)
    in_quarter = and_(WorkRecord.staff_id == Staff.id, WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
    return list(db.execute(
        select(*subject, func.count(WorkRecord.id),
               func.count(case((WorkRecord.status == RecordStatus.confirmed, 1))),
               func.count(case((WorkRecord.status == RecordStatus.returned, 1))),
               func.count(case((WorkRecord.late.is_(True), 1))),
               func.avg(WorkRecord.quality_mark))
        .outerjoin(WorkRecord, in_quarter)
        .where(Staff.status == StaffStatus.active, *where)
        .group_by(Staff.id).order_by(Staff.employee_no)).all())


def quarter_scores(db: Session, *, actor: Principal, quarter: str) -> tuple[list[PersonScore], dict[str, float]]:
    """Every visible active person's counts for the quarter and their record score, best first."""
    start, _end = quarter_bounds(quarter)
    scheme = scheme_service.current(db, year=start.year)
    rule = record_score_rule(scheme)  # every number from the year's scheme (records.score)
    rows = quarter_tallies(db, quarter, actor.staff_filter(Perm.staff_read))
    expected = expected_per_quarter(scheme)
    n = len(rows)
    scores = record_scores(
        confirmed=np.array([r[2] for r in rows], dtype=np.float64),
        returned=np.array([r[3] for r in rows], dtype=np.float64),
        late=np.array([r[4] for r in rows], dtype=np.float64),
        submitted=np.array([r[1] for r in rows], dtype=np.float64),
        expected=np.full(n, expected, dtype=np.float64),
        mean_mark=np.array([float(r[5]) if r[5] is not None else np.nan for r in rows], dtype=np.float64),
        rule=rule) if n else np.array([])
    people = [PersonScore(staff=r[0], submitted=r[1], confirmed=r[2], returned=r[3], late=r[4],
                          mean_mark=float(r[5]) if r[5] is not None else None, expected=expected,
                          score=round(float(s), 1)) for r, s in zip(rows, scores, strict=True)]
    people.sort(key=lambda p: (-p.score, p.staff.employee_no))
    return people, {"record_weight": scheme.records.weight, "expected": expected}
