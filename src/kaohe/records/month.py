"""The monthly loop (R4): where each person's records stand, the department head's close, reminders."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.auth.roles import Scope
from kaohe.clock import zone
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.records.models import MonthClose, RecordStatus, TaskItem, WorkRecord
from kaohe.records.service import month_bounds


@dataclass(frozen=True)
class PersonMonth:
    staff: Staff
    submitted: int
    confirmed: int
    returned: int
    late: int
    tasks: int
    tasks_on_track: int

    @property
    def total(self) -> int:
        return self.submitted + self.confirmed + self.returned

    @property
    def stage(self) -> str:
        """Where the person's loop stands: individual → leader → department."""
        if self.returned:
            return "individual"  # records returned to the author
        if self.submitted:
            return "leader"  # waiting for the 分管领导
        if self.total == 0:
            return "empty"
        return "department"  # all confirmed: the department head can close


@dataclass
class DepartmentMonth:
    department: Department
    month: str
    people: list[PersonMonth]
    closed: MonthClose | None
    figures: dict[str, object] = field(default_factory=dict)


def may_close(actor: Principal, department_id: int) -> bool:
    return any(scope == Scope.unit or (scope == Scope.department and dept == department_id)
               for scope, dept in actor.scopes(Perm.records_close_month))


def department_month(db: Session, *, actor: Principal, department_id: int, month: str, now: datetime
                     ) -> DepartmentMonth:
    """Per person counts for the month, and the figures the head's summary starts from."""
    department = db.get(Department, department_id)
    if department is None:
        raise NotFound(t("org.department_not_found"))
    start, end = month_bounds(month)
    in_month = and_(WorkRecord.staff_id == Staff.id, WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
    rows = db.execute(
        select(Staff,
               func.count(case((WorkRecord.status == RecordStatus.submitted, 1))),
               func.count(case((WorkRecord.status == RecordStatus.confirmed, 1))),
               func.count(case((WorkRecord.status == RecordStatus.returned, 1))),
               func.count(case((WorkRecord.late.is_(True), 1))))
        .outerjoin(WorkRecord, in_month)
        .where(Staff.department_id == department_id, Staff.status == StaffStatus.active,
               actor.staff_filter(Perm.staff_read))
        .group_by(Staff.id).order_by(Staff.employee_no)).all()
    year = start.year
    # A task is on track when its progress keeps pace with the share of the year (or of its deadline) gone.
    tasks = db.execute(select(TaskItem.staff_id, TaskItem.progress, TaskItem.deadline)
                       .join(Staff, TaskItem.staff_id == Staff.id)
                       .where(TaskItem.year == year, Staff.department_id == department_id,
                              actor.staff_filter(Perm.staff_read))).all()
    per_task: dict[int, list[bool]] = {}
    for staff_id, progress, deadline in tasks:
        per_task.setdefault(staff_id, []).append(_on_track(progress, deadline, now, year))
    people = [PersonMonth(staff=s, submitted=sub, confirmed=conf, returned=ret, late=late,
                          tasks=len(per_task.get(s.id, [])), tasks_on_track=sum(per_task.get(s.id, [])))
              for s, sub, conf, ret, late in rows]
    total = sum(p.total for p in people)
    figures = {
        "people": len(people),
        "records": total,
        "records_per_person": round(total / len(people), 1) if people else 0,
        "late_share": round(100 * sum(p.late for p in people) / total, 1) if total else 0,
        "confirmed_share": round(100 * sum(p.confirmed for p in people) / total, 1) if total else 0,
        "tasks": sum(p.tasks for p in people),
        "tasks_on_track": sum(p.tasks_on_track for p in people),
        "waiting_leader": sum(p.submitted for p in people),
        "returned": sum(p.returned for p in people),
    }
    # The head's summary speaks of the whole department: for those who see all of it, or the leaders
    # of some of its people. Someone who sees nobody there is told it does not exist.
    scopes = actor.scopes(Perm.staff_read)
    whole = any(scope == Scope.unit or (scope == Scope.department and dept == department_id)
                for scope, dept in scopes)
    if not whole and not people:
        raise NotFound(t("org.department_not_found"))
    closed = None
    if whole or any(scope == Scope.supervised for scope, _ in scopes):
        closed = db.scalar(select(MonthClose).where(MonthClose.department_id == department_id,
                                                    MonthClose.month == month))
    return DepartmentMonth(department=department, month=month, people=people, closed=closed, figures=figures)


def _on_track(progress: int, deadline: date | None, now: datetime, year: int) -> bool:
    start = date(year, 1, 1)
    end = deadline or date(year, 12, 31)
    today = now.astimezone(zone()).date()
    if progress >= 100 or today <= start:
        return True
    if today >= end:
        return progress >= 100
    expected = 100 * (today - start).days / max(1, (end - start).days)
    return progress >= expected - 10  # ten points of slack before a task counts as behind


@dataclass(frozen=True)
class MonthClosed:
    """A month closed, and the anchor line of its ledger entry: staff keep it outside the system, and
    `kaohe ledger verify --anchor LINE` later proves the ledger up to the close was not rewritten."""

    close: MonthClose
    anchor: str


def close_month(db: Session, *, actor: Principal, department_id: int, month: str, summary: str, now: datetime
                ) -> MonthClosed:
    """The department head closes the month with the system's figures and their own text."""
    if not may_close(actor, department_id):
        raise Forbidden(t("common.forbidden"))
    summary = summary.strip()
    if len(summary) < 10:
        raise Invalid(t("records.close_needs_summary"))
    _start, end = month_bounds(month)
    if now < end:
        raise Invalid(t("records.close_too_early", month=month))
    state = department_month(db, actor=actor, department_id=department_id, month=month, now=now)
    if state.closed is not None:
        raise Conflict(t("records.already_closed", month=month))
    if state.figures["waiting_leader"]:
        raise Invalid(t("records.close_waiting", count=state.figures["waiting_leader"]))
    row = MonthClose(department_id=department_id, month=month, summary=summary, figures=state.figures,
                     closed_by=actor.user_id, closed_at=now)
    db.add(row)
    db.flush()
    entry = ledger_service.append(db, kind="month.close", at=now, payload={
        "close": row.id, "department": state.department.code, "department_id": department_id, "month": month,
        "by": actor.user_id, "summary": summary,
        # The ledger refuses floats (no canonical text form); shares are recorded as their decimal text.
        "figures": {k: str(v) if isinstance(v, float) else v for k, v in state.figures.items()}})
    audit.record(db, actor=actor, action="records.close_month", entity_type="department",
                 entity_id=department_id, summary=t("records.audit_close", name=state.department.name, month=month),
                 after={"month": month, **state.figures})
    db.flush()
    return MonthClosed(close=row, anchor=ledger_service.anchor_line(entry))


@dataclass(frozen=True)
class Reminder:
    who: str
    what: str
    count: int
    link: str


def reminders(db: Session, *, actor: Principal, now: datetime) -> list[Reminder]:
    """What is waiting on whom, among the people the actor may see."""
    scope = actor.staff_filter(Perm.staff_read)
    out: list[Reminder] = []
    returned = db.execute(
        select(Staff.id, Staff.name, func.count()).join(WorkRecord, WorkRecord.staff_id == Staff.id)
        .where(scope, WorkRecord.status == RecordStatus.returned).group_by(Staff.id, Staff.name)).all()
    out += [Reminder(name, t("records.remind_returned"), n, f"/records?staff_id={sid}&status=returned")
            for sid, name, n in returned]
    leader = Staff.__table__.alias("leader")
    pending = db.execute(
        select(leader.c.id, leader.c.name, func.count()).select_from(WorkRecord)
        .join(Staff, WorkRecord.staff_id == Staff.id).join(leader, Staff.supervisor_id == leader.c.id)
        .where(scope, WorkRecord.status == RecordStatus.submitted).group_by(leader.c.id, leader.c.name)).all()
    out += [Reminder(name, t("records.remind_review"), n, "/records/review") for _lid, name, n in pending]
    previous = (now.astimezone(zone()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    closed = set(db.scalars(select(MonthClose.department_id).where(MonthClose.month == previous)))
    for department in db.scalars(select(Department).where(Department.is_active.is_(True))):
        if department.id not in closed and (actor.has_unit_scope(Perm.staff_read)
                                            or may_close(actor, department.id)):
            head = department.head.name if department.head else department.name
            out.append(Reminder(head, t("records.remind_close", month=previous, name=department.name), 1,
                                f"/records/month?department_id={department.id}&month={previous}"))
    return out
