"""Writing the demo quarter of records through the real use cases, so every record has its versions,
history, audit rows and ledger entries exactly as if people had entered and reviewed them."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.demo.data import DemoUnit
from kaohe.demo.records import build_demo_records
from kaohe.errors import KaoheError
from kaohe.org.models import Department, Staff
from kaohe.records import month as month_service
from kaohe.records import service
from kaohe.records.models import TaskItem
from kaohe.records.schemas import RecordCreate, ReviewIn


def load_demo_records(db: Session, unit: DemoUnit, *, today: date, seed: int = 2026) -> dict[str, int]:
    """Tasks, records, reviews and month closes for the quarter before `today`; returns counts."""
    demo = build_demo_records(unit, today=today, seed=seed)
    staff = {s.employee_no: s for s in db.scalars(select(Staff))}
    principals: dict[str, Principal] = {}

    def principal(employee_no: str) -> Principal:
        if employee_no not in principals:
            user = db.scalar(select(User).where(User.staff_id == staff[employee_no].id))
            assert user is not None
            principals[employee_no] = auth_service.principal_for(user)
        return principals[employee_no]

    task_ids = {}
    for task in demo.tasks:
        row = TaskItem(staff_id=staff[task.employee_no].id, year=task.deadline.year, code=task.code,
                       title=task.title, target=task.target, weight=task.weight, deadline=task.deadline,
                       indicator_codes=[], progress=task.progress, progress_source="demo")
        db.add(row)
        db.flush()
        task_ids[task.code] = row.id
    db.flush()
    reviews: list[tuple[datetime, str, int, str, str, int | None]] = []
    for record in demo.records:
        created = service.create_record(db, actor=principal(record.employee_no), now=record.entered_at,
                                        record_in=RecordCreate(
                                            title=record.title, started_at=record.started_at,
                                            ended_at=record.ended_at, stage_result=record.stage_result,
                                            difficulties=record.difficulties,
                                            task_item_id=task_ids.get(record.task_code or "")))
        if record.review and record.reviewed_at:
            leader = staff[record.employee_no].supervisor
            assert leader is not None
            reviews.append((record.reviewed_at, leader.employee_no, created.record.id, record.review,
                            record.comment, record.mark))
    # Leaders review in batches, as they would on a Monday morning.
    batches: dict[tuple[datetime, str, str, str, int | None], list[int]] = defaultdict(list)
    for at, leader_no, record_id, action, comment, mark in sorted(reviews):
        batches[(at.replace(minute=0, second=0, microsecond=0), leader_no, action, comment, mark)].append(record_id)
    for (at, leader_no, action, comment, mark), ids in sorted(batches.items(), key=lambda item: item[0][0]):
        service.review(db, actor=principal(leader_no), now=at,
                       review_in=ReviewIn(record_ids=ids, action=action, comment=comment, quality_mark=mark))
    closes = _close_past_months(db, unit, staff, principal, today)
    return {"tasks": len(demo.tasks), "records": len(demo.records), "reviews": len(reviews), "closes": closes}


def _close_past_months(db: Session, unit: DemoUnit, staff: dict[str, Staff], principal, today: date) -> int:  # type: ignore[no-untyped-def]
    """Heads close each finished month with nothing left to review."""
    closes = 0
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = [(first - timedelta(days=31 * back)).strftime("%Y-%m") for back in (2, 1, 0)]
    departments = {d.code: d for d in db.scalars(select(Department))}
    for demo_department in unit.departments:
        if not demo_department.head_no:
            continue
        head = principal(demo_department.head_no)
        department = departments[demo_department.code]
        if not month_service.may_close(head, department.id):
            continue
        for month in months:
            _start, end = service.month_bounds(month)
            when = end + timedelta(days=2, hours=1)
            if when.date() >= today:
                continue
            try:
                with db.begin_nested():
                    state = month_service.department_month(db, actor=head, department_id=department.id, month=month,
                                                           now=when)
                    summary = (f"{department.name}{month}共记录 {state.figures['records']} 条，"
                               f"已确认 {state.figures['confirmed_share']}%，补录 {state.figures['late_share']}%。"
                               "重点工作总体按计划推进，下月继续压缩办理时限。")
                    month_service.close_month(db, actor=head, department_id=department.id, month=month,
                                              summary=summary, now=when.astimezone(zone()))
                    closes += 1
            except KaoheError:
                pass  # a month with records still waiting stays open, as it would in reality
    return closes
