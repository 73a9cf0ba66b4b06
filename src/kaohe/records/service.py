"""Use cases of daily records: enter, edit (new version), review, evidence. Each change appends to
the ledger and the audit log in the same transaction."""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.clock import local
from kaohe.config import get_settings
from kaohe.errors import Forbidden, Invalid, NotFound
from kaohe.ledger import service as ledger_service
from kaohe.messages import t
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.records.models import Attachment, RecordStatus, RecordVersion, ReviewAction, TaskItem, WorkRecord
from kaohe.records.schemas import RecordCreate, RecordUpdate, ReviewIn
from kaohe.scheme import service as scheme_service

CONTENT_FIELDS = ("title", "started_at", "ended_at", "stage_result", "difficulties", "commendation",
                  "task_item_id")
# Evidence types: extension → (content type, leading bytes that file must start with).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def entry_limit_hours(db: Session, year: int) -> int:
    """The scheme's time limit for entering a record after the work ends (R3, 24 h by default)."""
    row = scheme_service.current_version(db, year=year)
    key = row.sha256 if row is not None else f"default-{year}"
    cached = _LIMITS.get(key)
    if cached is None:
        scheme = scheme_service.current(db, year=year)
        deadline = scheme.deadlines.record_entry
        # A limit given in working days is converted at its calendar upper bound of one day per working day.
        cached = deadline.hours if deadline.hours is not None else 24 * int(deadline.working_days or 1)
        _LIMITS[key] = cached
    return cached


# Keyed by the scheme text's SHA-256, so a cached value can never outlive the text it came from.
_LIMITS: dict[str, int] = {}


def quality_marks(db: Session, year: int) -> list[int]:
    """The quality marks a leader may give a record of `year`, best first: the whole numbers of the
    scheme's `records.score` scale (R4, R6; 5 … 1 by default)."""
    score = scheme_service.current(db, year=year).records.score
    return list(range(math.floor(score.mark_max), math.ceil(score.mark_min) - 1, -1))


def _content(record: WorkRecord) -> dict[str, object]:
    return audit.snapshot(record, CONTENT_FIELDS)


def _subject(db: Session, actor: Principal, staff_no: str | None) -> Staff:
    """Whom the record is about: the actor, or a person they may record for (R1)."""
    if not staff_no:
        if actor.staff_id is None:
            raise Invalid(t("records.no_staff_record"))
        staff = db.get(Staff, actor.staff_id)
        assert staff is not None
        return staff
    staff = db.scalar(select(Staff).where(Staff.employee_no == staff_no.strip()))
    if staff is None or not (staff.id == actor.staff_id or actor.may_see_staff(staff, Perm.records_write_for)):
        raise NotFound(t("records.staff_unknown", no=staff_no))
    return staff


def _check_times(record_in: RecordCreate | RecordUpdate, now: datetime) -> None:
    if record_in.started_at.tzinfo is None or record_in.ended_at.tzinfo is None:
        raise Invalid(t("records.time_needs_zone"))
    if record_in.ended_at < record_in.started_at:
        raise Invalid(t("records.end_before_start"))
    if record_in.ended_at > now + timedelta(minutes=5):
        raise Invalid(t("records.end_in_future"))


def _check_task(db: Session, task_item_id: int | None, staff: Staff) -> None:
    if task_item_id is None:
        return
    task = db.get(TaskItem, task_item_id)
    if task is None or task.staff_id != staff.id:
        raise Invalid(t("records.task_not_theirs"))


def _history(db: Session, record: WorkRecord, actor: Principal, action: str, from_status: str,
             comment: str = "", now: datetime | None = None) -> ReviewAction:
    row = ReviewAction(record_id=record.id, actor_id=actor.user_id, actor_name=actor.display_name,
                       action=action, from_status=from_status, to_status=record.status.value, comment=comment,
                       at=now or record.updated_at)
    db.add(row)
    return row


@dataclass(frozen=True)
class Created:
    record: WorkRecord
    created: bool  # False when an idempotency key matched an earlier submission


def create_record(db: Session, *, actor: Principal, record_in: RecordCreate, now: datetime,
                  source: str = "web", idempotency_key: str | None = None) -> Created:
    """Enter one record (one event, one record); late when entered after the scheme's limit."""
    if idempotency_key:
        earlier = db.scalar(select(WorkRecord).where(WorkRecord.source == source,
                                                     WorkRecord.idempotency_key == idempotency_key))
        if earlier is not None:
            return Created(earlier, False)
    staff = _subject(db, actor, record_in.staff_no)
    _check_times(record_in, now)
    _check_task(db, record_in.task_item_id, staff)
    limit = entry_limit_hours(db, record_in.ended_at.year)
    record = WorkRecord(
        staff_id=staff.id, recorded_by=actor.user_id, task_item_id=record_in.task_item_id, title=record_in.title,
        started_at=record_in.started_at, ended_at=record_in.ended_at, stage_result=record_in.stage_result,
        difficulties=record_in.difficulties, commendation=record_in.commendation, entered_at=now, updated_at=now,
        late=now > record_in.ended_at + timedelta(hours=limit), status=RecordStatus.submitted, version=1,
        source=source, idempotency_key=idempotency_key,
    )
    db.add(record)
    db.flush()
    content = _content(record)
    db.add(RecordVersion(record_id=record.id, version=1, content=content, created_at=now,
                         created_by=actor.user_id))
    _history(db, record, actor, "submit", "", now=now)
    ledger_service.append(db, kind="record.version", at=now, payload={
        "record": record.id, "version": 1, "staff": staff.employee_no, "staff_id": staff.id, "by": actor.user_id,
        "by_name": actor.display_name, "action": "submit", "from": "", "status": record.status.value,
        "entered_at": now, "late": record.late, "source": source, **content})
    audit.record(db, actor=actor, action="record.create", entity_type="work_record", entity_id=record.id,
                 summary=t("records.audit_create", title=record.title, name=staff.name), after=content)
    db.flush()
    return Created(record, True)


def get_record(db: Session, *, actor: Principal, record_id: int) -> WorkRecord:
    """The record if the actor may see its person (the same rule as their staff page)."""
    record = db.get(WorkRecord, record_id, options=[joinedload(WorkRecord.staff), joinedload(WorkRecord.task)])
    if record is None or not actor.may_see_staff(record.staff):
        raise NotFound(t("records.not_found"))
    return record


def may_edit(actor: Principal, record: WorkRecord) -> bool:
    return record.staff_id == actor.staff_id or (record.recorded_by is not None
                                                 and record.recorded_by == actor.user_id)


def update_record(db: Session, *, actor: Principal, record_id: int, record_in: RecordUpdate,
                  now: datetime) -> WorkRecord:
    """Edit a record that is not yet confirmed: a new version, and back to the leader for review."""
    record = get_record(db, actor=actor, record_id=record_id)
    if not may_edit(actor, record):
        raise Forbidden(t("records.only_author_edits"))
    if record.status is RecordStatus.confirmed:
        raise Invalid(t("records.confirmed_is_final"))
    _check_times(record_in, now)
    _check_task(db, record_in.task_item_id, record.staff)
    before = _content(record)
    for name in CONTENT_FIELDS:
        setattr(record, name, getattr(record_in, name))
    after = _content(record)
    if after == before:
        return record
    from_status = record.status.value
    record.version += 1
    record.status = RecordStatus.submitted
    record.updated_at = now
    db.add(RecordVersion(record_id=record.id, version=record.version, content=after, created_at=now,
                         created_by=actor.user_id))
    _history(db, record, actor, "resubmit", from_status, now=now)
    ledger_service.append(db, kind="record.version", at=now, payload={
        "record": record.id, "version": record.version, "staff": record.staff.employee_no,
        "staff_id": record.staff_id, "by": actor.user_id, "by_name": actor.display_name, "action": "resubmit",
        "from": from_status, "status": record.status.value, **after})
    audit.record(db, actor=actor, action="record.update", entity_type="work_record", entity_id=record.id,
                 summary=t("records.audit_update", title=record.title, version=record.version),
                 before=before, after=after)
    db.flush()
    return record


def review(db: Session, *, actor: Principal, review_in: ReviewIn, now: datetime) -> list[WorkRecord]:
    """The 分管领导 confirms or returns records of their own people, one or many; all or none."""
    if not actor.can(Perm.records_review) or actor.staff_id is None:
        raise Forbidden(t("common.forbidden"))
    if review_in.action == "return" and not review_in.comment.strip():
        raise Invalid(t("records.return_needs_reason"))
    records = list(db.scalars(select(WorkRecord).options(joinedload(WorkRecord.staff))
                              .where(WorkRecord.id.in_(review_in.record_ids))))
    # A record the leader may not see is refused exactly as a missing one: its title and owner stay secret.
    records = [r for r in records if actor.may_see_staff(r.staff)]
    problems = []
    found = {r.id for r in records}
    problems += [t("records.review_missing", id=i) for i in review_in.record_ids if i not in found]
    for record in records:
        if record.staff_id == actor.staff_id or record.recorded_by == actor.user_id:
            # Nobody confirms a record about themselves, nor one they entered for someone else.
            problems.append(t("records.review_own", title=record.title))
        elif record.staff.supervisor_id != actor.staff_id:
            problems.append(t("records.review_not_yours", title=record.title, name=record.staff.name))
        elif record.status is not RecordStatus.submitted:
            problems.append(t("records.review_not_pending", title=record.title))
    if problems:
        raise Invalid(t("records.review_refused", count=len(problems)), details=problems)
    if review_in.quality_mark is not None and review_in.action == "confirm":
        for year in sorted({local(record.ended_at).year for record in records}):
            marks = quality_marks(db, year)
            if review_in.quality_mark not in marks:
                raise Invalid(t("records.mark_out_of_scale", mark=review_in.quality_mark, year=year,
                                low=marks[-1] if marks else "", high=marks[0] if marks else ""))
    target = RecordStatus.confirmed if review_in.action == "confirm" else RecordStatus.returned
    for record in records:
        from_status = record.status.value
        record.status = target
        record.review_comment = review_in.comment.strip()
        record.reviewed_by = actor.user_id
        record.reviewed_at = now
        if review_in.quality_mark is not None and target is RecordStatus.confirmed:
            record.quality_mark = review_in.quality_mark
        _history(db, record, actor, review_in.action, from_status, review_in.comment.strip(), now=now)
        ledger_service.append(db, kind=f"record.{review_in.action}", at=now, payload={
            "record": record.id, "version": record.version, "by": actor.user_id, "by_name": actor.display_name,
            "from": from_status, "to": target.value, "comment": review_in.comment.strip(),
            "mark": record.quality_mark})
        audit.record(db, actor=actor, action=f"record.{review_in.action}", entity_type="work_record",
                     entity_id=record.id, summary=t(f"records.audit_{review_in.action}", title=record.title),
                     before={"status": from_status}, after={"status": target.value,
                                                            "comment": review_in.comment.strip()})
    db.flush()
    return records


def add_evidence(db: Session, *, actor: Principal, record_id: int, filename: str, data: bytes,
                 now: datetime) -> Attachment:
    """Attach a file to one's own unconfirmed record, after checking its type and size."""
    record = get_record(db, actor=actor, record_id=record_id)
    if not may_edit(actor, record):
        raise Forbidden(t("records.only_author_edits"))
    if record.status is RecordStatus.confirmed:
        raise Invalid(t("records.confirmed_is_final"))
    if len(data) > EVIDENCE_MAX_BYTES:
        raise Invalid(t("common.file_too_large", mb=EVIDENCE_MAX_BYTES // (1024 * 1024)))
    if not data:
        raise Invalid(t("records.evidence_empty"))
    name = filename.strip().replace("\\", "/").rsplit("/", 1)[-1][:200]
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = EVIDENCE_TYPES.get(extension)
    if kind is None:
        raise Invalid(t("records.evidence_type", allowed="、".join(sorted(EVIDENCE_TYPES))))
    content_type, magics = kind
    if not data.startswith(magics):
        raise Invalid(t("records.evidence_mismatch", name=name))
    quota = get_settings().evidence_quota_mb * 1024 * 1024
    used = evidence_used(db, staff_id=record.staff_id)
    if used + len(data) > quota:
        raise Invalid(t("records.evidence_quota", quota=get_settings().evidence_quota_mb,
                        used=_megabytes(used), size=_megabytes(len(data))))
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(record_id=record.id, filename=name, content_type=content_type, size=len(data),
                            sha256=digest, data=data, uploaded_at=now, uploaded_by=actor.user_id)
    db.add(attachment)
    db.flush()
    ledger_service.append(db, kind="record.evidence", at=now, payload={
        "record": record.id, "attachment": attachment.id, "name": name, "type": content_type, "sha256": digest,
        "size": len(data), "by": actor.user_id})
    audit.record(db, actor=actor, action="record.evidence", entity_type="work_record", entity_id=record.id,
                 summary=t("records.audit_evidence", name=name), after={"sha256": digest, "size": len(data)})
    db.flush()
    return attachment


def evidence_used(db: Session, *, staff_id: int) -> int:
    """Bytes of evidence stored on all of one person's records: what the quota counts."""
    total = db.scalar(select(func.coalesce(func.sum(Attachment.size), 0))
                      .join(WorkRecord, WorkRecord.id == Attachment.record_id)
                      .where(WorkRecord.staff_id == staff_id))
    return int(total or 0)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def get_evidence(db: Session, *, actor: Principal, attachment_id: int) -> Attachment:
    attachment = db.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(t("records.not_found"))
    get_record(db, actor=actor, record_id=attachment.record_id)
    return attachment


@dataclass(frozen=True)
class RecordQuery:
    staff_id: int | None = None
    status: RecordStatus | None = None
    month: str = ""  # YYYY-MM of the work's end
    department_id: int | None = None
    person: str = ""  # part of a name, or a whole 工号
    page: int = 1
    per_page: int = 30


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a YYYY-MM month in China Standard Time."""
    from kaohe.clock import zone

    try:
        year, mon = (int(part) for part in month.split("-"))
        start = datetime(year, mon, 1, tzinfo=zone())
    except ValueError:
        raise Invalid(t("records.bad_month", month=month)) from None
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone())
    return start, end


def search(db: Session, *, actor: Principal, query: RecordQuery) -> tuple[list[WorkRecord], int]:
    """Records of the people the actor may see, newest work first."""
    stmt = select(WorkRecord).join(Staff, WorkRecord.staff_id == Staff.id).where(actor.staff_filter(Perm.staff_read))
    if query.staff_id:
        stmt = stmt.where(WorkRecord.staff_id == query.staff_id)
    if query.status:
        stmt = stmt.where(WorkRecord.status == query.status)
    if query.department_id:
        stmt = stmt.where(Staff.department_id == query.department_id)
    if query.person:
        stmt = stmt.where(or_(Staff.employee_no == query.person, Staff.name.contains(query.person, autoescape=True)))
    if query.month:
        start, end = month_bounds(query.month)
        stmt = stmt.where(WorkRecord.ended_at >= start, WorkRecord.ended_at < end)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(stmt.options(joinedload(WorkRecord.staff)).order_by(WorkRecord.ended_at.desc(),
                                                                          WorkRecord.id.desc())
                      .limit(query.per_page).offset((max(1, query.page) - 1) * query.per_page)).all()
    return list(rows), total


def visible_departments(db: Session, *, actor: Principal) -> list[Department]:
    """The departments of the people whose records the actor may see: the list filter's choices."""
    return list(db.scalars(select(Department).where(Department.id.in_(
        select(Staff.department_id).where(actor.staff_filter(Perm.staff_read)))).order_by(Department.code)))


def recording_subjects(db: Session, *, actor: Principal, limit: int) -> list[Staff] | None:
    """The active people the actor may record for (R1), themselves excluded, for the entry form's
    person picker; None when there are more than `limit` (the form then asks for a 工号)."""
    if not actor.can(Perm.records_write_for):
        return []
    rows = db.scalars(select(Staff).options(joinedload(Staff.department))
                      .where(actor.staff_filter(Perm.records_write_for), Staff.status == StaffStatus.active,
                             Staff.id != (actor.staff_id or 0))
                      .order_by(Staff.department_id, Staff.employee_no).limit(limit + 1)).all()
    return None if len(rows) > limit else list(rows)


def pending_for_leader(db: Session, *, actor: Principal) -> list[WorkRecord]:
    """Records waiting for this leader's confirmation, oldest first."""
    if actor.staff_id is None or not actor.can(Perm.records_review):
        return []
    return list(db.scalars(
        select(WorkRecord).join(Staff, WorkRecord.staff_id == Staff.id)
        .options(joinedload(WorkRecord.staff))
        .where(Staff.supervisor_id == actor.staff_id, WorkRecord.status == RecordStatus.submitted,
               WorkRecord.staff_id != actor.staff_id,
               or_(WorkRecord.recorded_by.is_(None), WorkRecord.recorded_by != actor.user_id))
        .order_by(WorkRecord.ended_at)))


def versions(db: Session, record: WorkRecord) -> Sequence[RecordVersion]:
    return db.scalars(select(RecordVersion).where(RecordVersion.record_id == record.id)
                      .order_by(RecordVersion.version)).all()


def history(db: Session, record: WorkRecord) -> Sequence[ReviewAction]:
    return db.scalars(select(ReviewAction).where(ReviewAction.record_id == record.id)
                      .order_by(ReviewAction.id)).all()


def evidence(db: Session, record: WorkRecord) -> Sequence[Attachment]:
    return db.scalars(select(Attachment).where(Attachment.record_id == record.id).order_by(Attachment.id)).all()
