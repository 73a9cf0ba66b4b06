"""Daily work records (R1–R5): the annual task book, records and their versions, evidence,
review actions and month closes (the ledger that makes all of it tamper-evident is `kaohe.ledger`)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, enum_column, utcnow
from kaohe.org.models import Staff


class RecordStatus(StrEnum):
    submitted = "submitted"  # 待审核
    confirmed = "confirmed"  # 已确认
    returned = "returned"  # 已退回


class TaskItem(Base):
    """One key task of a person's annual task book (年度工作任务书, S4)."""

    __tablename__ = "task_item"
    __table_args__ = (UniqueConstraint("year", "code", name="uq_task_item_year_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    indicator_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent complete
    progress_note: Mapped[str] = mapped_column(String(500), default="")
    progress_source: Mapped[str] = mapped_column(String(40), default="manual")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    staff: Mapped[Staff] = relationship()


class WorkRecord(Base):
    """One event, one record (R2, R3). Edits make new versions; nothing is overwritten unrecorded."""

    __tablename__ = "work_record"
    __table_args__ = (UniqueConstraint("source", "idempotency_key", name="uq_work_record_idempotency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    task_item_id: Mapped[int | None] = mapped_column(ForeignKey("task_item.id"), index=True, default=None)
    title: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime] = mapped_column(index=True)
    stage_result: Mapped[str] = mapped_column(Text)
    difficulties: Mapped[str] = mapped_column(Text, default="")
    commendation: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    late: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RecordStatus] = mapped_column(enum_column(RecordStatus), default=RecordStatus.submitted,
                                                 index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(40), default="web")
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    quality_mark: Mapped[int | None] = mapped_column(Integer, default=None)  # the leader's mark, scheme scale
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)

    staff: Mapped[Staff] = relationship()
    task: Mapped[TaskItem | None] = relationship()


class RecordVersion(Base):
    __tablename__ = "record_version"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_record_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("work_record.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class ReviewAction(Base):
    """Every status change of a record: who, when, from what, to what, why."""

    __tablename__ = "review_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("work_record.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(20))  # submit, resubmit, confirm, return
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """Evidence for a record, kept in the database so every app process sees it."""

    __tablename__ = "record_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("work_record.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)


class MonthClose(Base):
    """The department head's monthly summary (R4), with the figures the system computed."""

    __tablename__ = "month_close"
    __table_args__ = (UniqueConstraint("department_id", "month", name="uq_month_close"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    summary: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
