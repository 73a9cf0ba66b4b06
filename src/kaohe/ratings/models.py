"""Raters and ratings of a quarter (Q3, S2, P4): who rates whom in which rater group, the single-use
invitations of service recipients, each form's marks per indicator, and every change of a form or an
assignment (who, when, from, to, why)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, enum_column, utcnow
from kaohe.org.models import Staff


class RatingStatus(StrEnum):
    pending = "pending"  # 未开始
    draft = "draft"  # 草稿
    submitted = "submitted"  # 已提交: final


class RaterSource(StrEnum):
    proposed = "proposed"  # the system's proposal (leader, peers)
    hr = "hr"  # added by the appraisal office (experts, or an adjustment)
    invitation = "invitation"  # a service recipient's single-use link


class Invitation(Base):
    """A service recipient's single-use link to rate one person for one quarter; only the SHA-256 of its
    random token is kept."""

    __tablename__ = "rating_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    ratee_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str] = mapped_column(String(100), default="")  # whom HR gave it to (a counter, a company)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RaterAssignment(Base):
    """One rater of one person in one rater group for one quarter, and the state of their form. A service
    recipient has no staff record: their assignment points at their invitation instead."""

    __tablename__ = "rater_assignment"
    __table_args__ = (UniqueConstraint("year", "quarter", "ratee_id", "group", "rater_id",
                                       name="uq_rater_assignment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    ratee_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    group: Mapped[str] = mapped_column(String(40))  # a key of the scheme's raters.groups
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True, default=None)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("rating_invitation.id"), default=None)
    source: Mapped[RaterSource] = mapped_column(enum_column(RaterSource))
    active: Mapped[bool] = mapped_column(default=True)  # False: removed by HR (kept, with its reason)
    status: Mapped[RatingStatus] = mapped_column(enum_column(RatingStatus), default=RatingStatus.pending)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    ratee: Mapped[Staff] = relationship(foreign_keys=[ratee_id])
    rater: Mapped[Staff | None] = relationship(foreign_keys=[rater_id])


class Rating(Base):
    """One mark of one form, on one qualitative indicator, on that indicator's scale."""

    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("assignment_id", "indicator_code", name="uq_rating_indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("rater_assignment.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40))
    mark: Mapped[float] = mapped_column(Float)


class RatingHistory(Base):
    """Every change of an assignment or its form: added, removed, restored, draft saved, submitted."""

    __tablename__ = "rating_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("rater_assignment.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # propose, add, remove, restore, draft, submit
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
