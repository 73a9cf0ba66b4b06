"""Writing the demo quarter of records through the real use cases, so every record has its versions,
history, audit rows and ledger entries exactly as if people had entered and reviewed them."""

import struct
import zlib
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.auth import service as auth_service
from kaohe.auth.models import User
from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.demo.data import DemoUnit
from kaohe.demo.records import DEMO_WEEKS, build_demo_records
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
        if record.evidence:
            service.add_evidence(db, actor=principal(record.employee_no), record_id=created.record.id,
                                 filename=record.evidence, data=evidence_file(record.evidence, record.title),
                                 now=record.entered_at + timedelta(minutes=2))
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
    last_review: dict[str, datetime] = {}
    for record in demo.records:
        if record.reviewed_at:
            key = record.ended_at.astimezone(zone()).strftime("%Y-%m")
            last_review[key] = max(last_review.get(key, record.reviewed_at), record.reviewed_at)
    closes = _close_past_months(db, unit, staff, principal, today, last_review)
    return {"tasks": len(demo.tasks), "records": len(demo.records), "reviews": len(reviews), "closes": closes}


def _close_past_months(db: Session, unit: DemoUnit, staff: dict[str, Staff], principal, today: date,  # type: ignore[no-untyped-def]
                       reviewed: dict[str, datetime]) -> int:
    """Heads close each finished month of the story once its last record is reviewed (within the next
    month's first week); a month with records still waiting stays open, and is the head's 待办."""
    closes = 0
    months = _months_before(today, weeks=DEMO_WEEKS)
    departments = {d.code: d for d in db.scalars(select(Department))}
    moment = datetime.combine(today, datetime.min.time(), tzinfo=zone())
    for demo_department in unit.departments:
        if not demo_department.month_closer_no:
            continue
        head = principal(demo_department.month_closer_no)
        department = departments[demo_department.code]
        if not month_service.may_close(head, department.id):
            continue
        for month in months:
            _start, end = service.month_bounds(month)
            when = max(end + timedelta(hours=10), reviewed.get(month, end) + timedelta(hours=1))
            if when >= moment:
                continue
            try:
                with db.begin_nested():
                    state = month_service.department_month(db, actor=head, department_id=department.id, month=month,
                                                           now=when)
                    month_service.close_month(db, actor=head, department_id=department.id, month=month,
                                              summary=month_summary(department.name, month, state.figures),
                                              now=when.astimezone(zone()))
                    closes += 1
            except KaoheError:
                pass  # records still waiting for their leader: the month stays open
    return closes


def _months_before(today: date, *, weeks: int) -> list[str]:
    """Every month the story touches that has ended before `today`, oldest first."""
    month = (today - timedelta(weeks=weeks)).replace(day=1)
    out = []
    while month < today.replace(day=1):
        out.append(month.strftime("%Y-%m"))
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def month_summary(name: str, month: str, figures: dict) -> str:  # type: ignore[type-arg]
    """A head's summary that says what the month's figures say, and nothing they do not."""
    if not figures["records"]:
        return f"{name}{month}没有日常工作记录。已提醒科室人员按时记录，下月起每周检查一次。"
    text = (f"{name}{month}共 {figures['people']} 人记录 {figures['records']} 条，人均 "
            f"{figures['records_per_person']} 条，已确认 {figures['confirmed_share']}%，补录占 {figures['late_share']}%。")
    if figures["tasks"]:
        behind = figures["tasks"] - figures["tasks_on_track"]
        text += (f"重点任务 {figures['tasks']} 项中 {figures['tasks_on_track']} 项按计划推进"
                 + (f"，{behind} 项进度滞后，已明确追赶时限。" if behind else "，全部按计划推进。"))
    if figures["returned"]:
        text += f"退回 {figures['returned']} 条记录待本人补充，已督促修改。"
    return text


def evidence_file(name: str, title: str) -> bytes:
    """A small real file of the type its name says: a one-page PDF or a tiny PNG."""
    if name.endswith(".pdf"):
        return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                + f"% {title}\n".encode())
    return _png(48, 32, (29, 95, 168))


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A plain-colour PNG (the demo's stand-in for a photo of the counter)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
