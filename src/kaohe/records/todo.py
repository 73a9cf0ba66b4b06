"""What daily records make people owe (待办): records to review, returned records to fix, the month to
close, quality signals to look at and month-close anchors to check. Each item links to a page its
person may use; `kaohe.todo` gathers them."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import zone
from kaohe.messages import t
from kaohe.org.models import Department, Staff
from kaohe.records.models import MonthClose, RecordStatus, WorkRecord
from kaohe.records.month import may_close
from kaohe.todo import Todo, Urgency

SIGNAL_DAYS = 7  # late entries of the last week are what the appraisal office looks at first
ANCHOR_DAYS = 30  # month closes whose ledger anchors an inspector should copy out


def owed(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    yield from _to_review(db, actor)
    yield from _returned(db, actor)
    yield from _months_to_close(db, actor, now)
    yield from _signals(db, actor, now)
    yield from _anchors(db, actor, now)


def _to_review(db: Session, actor: Principal) -> Iterator[Todo]:
    # The same rule as service.pending_for_leader, counted rather than loaded.
    if actor.staff_id is None or not actor.can(Perm.records_review):
        return
    count, oldest = db.execute(
        select(func.count(), func.min(WorkRecord.ended_at)).join(Staff, WorkRecord.staff_id == Staff.id)
        .where(Staff.supervisor_id == actor.staff_id, WorkRecord.status == RecordStatus.submitted,
               WorkRecord.staff_id != actor.staff_id,
               or_(WorkRecord.recorded_by.is_(None), WorkRecord.recorded_by != actor.user_id))).one()
    if count:
        yield Todo("records.review", t("records.todo_review"), count, "/records/review",
                   detail=t("records.todo_review_oldest", date=oldest.astimezone(zone()).strftime("%m月%d日")))


def _returned(db: Session, actor: Principal) -> Iterator[Todo]:
    if actor.staff_id is None:
        return
    count = db.scalar(select(func.count()).select_from(WorkRecord).where(
        WorkRecord.staff_id == actor.staff_id, WorkRecord.status == RecordStatus.returned)) or 0
    yield Todo("records.returned", t("records.todo_returned"), count,
               f"/records?staff_id={actor.staff_id}&status=returned", urgency=Urgency.soon)


def _previous_month(now: datetime) -> str:
    return (now.astimezone(zone()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def _months_to_close(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    if not actor.can(Perm.records_close_month):
        return
    month = _previous_month(now)
    closed = set(db.scalars(select(MonthClose.department_id).where(MonthClose.month == month)))
    for department in db.scalars(select(Department).where(Department.is_active.is_(True))
                                 .order_by(Department.code)):
        if department.id not in closed and may_close(actor, department.id):
            yield Todo("records.close", t("records.todo_close", month=month, name=department.name),
                       1, f"/records/month?department_id={department.id}&month={month}", urgency=Urgency.soon)


def _signals(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    if not actor.can(Perm.records_signals):
        return
    count = db.scalar(select(func.count()).select_from(WorkRecord).join(Staff, WorkRecord.staff_id == Staff.id)
                      .where(actor.staff_filter(Perm.records_signals), WorkRecord.late.is_(True),
                             WorkRecord.entered_at >= now - timedelta(days=SIGNAL_DAYS))) or 0
    yield Todo("records.signals", t("records.todo_signals", days=SIGNAL_DAYS), count, "/records/signals")


def _anchors(db: Session, actor: Principal, now: datetime) -> Iterator[Todo]:
    if not actor.can(Perm.ledger_read) or actor.can(Perm.records_import):
        return  # the inspector's duty; HR and the administrator write the ledger rather than watch it
    count = db.scalar(select(func.count()).select_from(MonthClose)
                      .where(MonthClose.closed_at >= now - timedelta(days=ANCHOR_DAYS))) or 0
    yield Todo("records.anchors", t("records.todo_anchors", days=ANCHOR_DAYS), count, "/ledger")
