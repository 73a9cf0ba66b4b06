"""One written feedback per person and quarter (Q4): strengths, weaknesses, an improvement plan, the
leader's signature and the person's answer; and every change of its state: who, when, from, to, why."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, enum_column, utcnow
from kaohe.org.models import Staff


class FeedbackStatus(StrEnum):
    draft = "draft"  # 草稿: the leader (or HR) edits it
    signed = "signed"  # 已签署: the 分管领导 confirmed it electronically; nobody edits it any more
    acknowledged = "acknowledged"  # 已确认: the person acknowledged it
    disputed = "disputed"  # 有异议: the person added their own comment (it still counts as received)


ANSWERED = (FeedbackStatus.acknowledged, FeedbackStatus.disputed)


class Feedback(Base):
    """A person's written feedback for one quarter."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("staff_id", "year", "quarter", name="uq_feedback_staff_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("quarter_result.id"), default=None)
    status: Mapped[FeedbackStatus] = mapped_column(enum_column(FeedbackStatus), default=FeedbackStatus.draft)
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    # What the system proposed (kaohe.feedback.drafting), kept to show what the leader changed.
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)  # the leader changed the proposed text
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    drafted_name: Mapped[str] = mapped_column(String(80), default="")
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    signed_name: Mapped[str] = mapped_column(String(80), default="")
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_hash: Mapped[str] = mapped_column(String(64), default="")  # SHA-256 of the signed text
    ledger_seq: Mapped[int | None] = mapped_column(Integer, default=None)  # the signature's ledger entry
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    comment: Mapped[str] = mapped_column(Text, default="")  # the person's own comment (有异议)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[Staff] = relationship()


class FeedbackHistory(Base):
    """Every change of a feedback's state (drafted, signed, acknowledged, disputed): who, when, from, to, why."""

    __tablename__ = "feedback_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(24), default="")
    to_status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
