"""Arranging a quarter with results through the real use cases, for the written-feedback tests: the year
opened, attendance values imported for a few people of staff's department (so the department has means to
compare with), the quarter moved to rating, computed, and moved to review."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.metrics import service as metrics_service
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.models import Staff
from kaohe.quarterly import results, service
from kaohe.quarterly.models import QuarterPhase

YEAR, QUARTER = 2026, 3
ATTENDANCE = "QIN.1.1"  # 出勤率, bands in the default scheme: ≥ 98 → 100, ≥ 95 → 85, ≥ 90 → 70, otherwise 40


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=zone())


def advance_to(db: Session, hr: Principal, phase: QuarterPhase) -> None:
    while service.find_cycle(db, YEAR, QUARTER).phase is not phase:  # type: ignore[union-attr]
        service.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=at(10, 12), reason="测试推进")
    db.commit()


def arrange_results(db: Session, hr: Principal, *, staff_id: int, staff_value: str = "92",
                    others: tuple[str, ...] = ("99", "99", "96")) -> None:
    """Results for the quarter, under review: staff's attendance `staff_value`, colleagues' `others`."""
    service.open_year(db, actor=hr, year=YEAR, now=at(1, 5))
    db.commit()
    advance_to(db, hr, QuarterPhase.collection)
    person = db.get(Staff, staff_id)
    assert person is not None
    colleagues = list(db.scalars(select(Staff.employee_no).where(
        Staff.department_id == person.department_id, Staff.id != staff_id).order_by(Staff.employee_no)))
    items = [{"employee_no": person.employee_no, "indicator_code": ATTENDANCE, "value": staff_value}]
    items += [{"employee_no": no, "indicator_code": ATTENDANCE, "value": v}
              for no, v in zip(colleagues, others, strict=False)]
    metrics_service.import_api(db, actor=hr, idempotency_key=None, now=at(10, 13), batch_in=MetricBatchIn(
        source="attendance_system", year=YEAR, quarter=QUARTER, replace=False, items=items))
    db.commit()
    advance_to(db, hr, QuarterPhase.rating)
    results.compute_quarter(db, actor=hr, year=YEAR, quarter=QUARTER, now=at(10, 20))
    db.commit()
    advance_to(db, hr, QuarterPhase.review)
