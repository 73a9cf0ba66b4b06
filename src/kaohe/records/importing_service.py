"""Bulk import of past records for units moving from spreadsheets: parse (pure), then one transaction."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import zone
from kaohe.errors import Forbidden, Invalid
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.org.models import Staff
from kaohe.records.importing import parse_records
from kaohe.records.models import RecordStatus, RecordVersion, ReviewAction, TaskItem, WorkRecord
from kaohe.records.service import CONTENT_FIELDS, entry_limit_hours


def import_records(db: Session, *, actor: Principal, data: bytes, filename: str, now: datetime) -> int:
    """Import every row or none; each record gets its first version, history and ledger entry."""
    if not actor.can(Perm.records_import):
        raise Forbidden(t("common.forbidden"))
    staff = {s.employee_no: s for s in db.scalars(select(Staff))}
    task_rows = db.execute(select(TaskItem.code, TaskItem.id, Staff.employee_no)
                           .join(Staff, TaskItem.staff_id == Staff.id)).all()
    task_owner = {code: no for code, _id, no in task_rows}
    task_id = {code: tid for code, tid, _no in task_rows}
    result = parse_records(data, filename, known_employees=set(staff), known_task_codes=task_owner, tz=zone(),
                           now=now)
    if not result.ok:
        raise Invalid(t("records.import_failed", count=len(result.errors)),
                      details=[e.message for e in result.errors])
    limits: dict[int, int] = {}
    for row in result.rows:
        year = row.ended_at.year
        if year not in limits:
            limits[year] = entry_limit_hours(db, year)
        record = WorkRecord(
            staff_id=staff[row.employee_no].id, recorded_by=actor.user_id,
            task_item_id=task_id.get(row.task_code) if row.task_code else None, title=row.title,
            started_at=row.started_at, ended_at=row.ended_at, stage_result=row.stage_result,
            difficulties=row.difficulties, commendation=row.commendation, entered_at=row.entered_at,
            updated_at=now, late=row.entered_at > row.ended_at + timedelta(hours=limits[year]),
            status=RecordStatus(row.status), version=1, source="import", review_comment=row.review_comment)
        db.add(record)
        db.flush()
        content = audit.snapshot(record, CONTENT_FIELDS)
        db.add(RecordVersion(record_id=record.id, version=1, content=content, created_at=now,
                             created_by=actor.user_id))
        db.add(ReviewAction(record_id=record.id, actor_id=actor.user_id, actor_name=actor.display_name,
                            action="import", from_status="", to_status=record.status.value,
                            comment=row.review_comment, at=now))
        ledger_service.append(db, kind="record.import", at=now, payload={
            "record": record.id, "version": 1, "staff": row.employee_no, "staff_id": record.staff_id,
            "by": actor.user_id, "by_name": actor.display_name, "action": "import", "from": "",
            "status": record.status.value, "comment": row.review_comment, "entered_at": row.entered_at,
            "late": record.late, "source": "import", **content})
    audit.record(db, actor=actor, action="records.import", entity_type="work_record", entity_id=filename[:64],
                 summary=t("records.audit_import", count=len(result.rows)))
    db.flush()
    return len(result.rows)
