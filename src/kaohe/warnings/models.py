"""Quarterly warnings (Q5): one row per person, quarter and kind, and every change of its status.

A warning is never deleted: a recomputation that no longer triggers it marks it withdrawn (已撤销), and one
that triggers it again brings it back to pending, each with a history row."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, enum_column, utcnow
from kaohe.org.models import Staff


class WarningStatus(StrEnum):
    pending = "pending"  # 待处理
    handled = "handled"  # 已处理
    withdrawn = "withdrawn"  # 已撤销


class QuarterWarning(Base):
    """A warning raised for one person in one quarter: the rule (kind), the figures that triggered it and
    the scheme's suggested action."""

    __tablename__ = "quarter_warning"
    __table_args__ = (UniqueConstraint("staff_id", "year", "quarter", "kind", name="uq_quarter_warning"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[WarningStatus] = mapped_column(enum_column(WarningStatus), default=WarningStatus.pending,
                                                  index=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    suggested_action: Mapped[str] = mapped_column(String(500), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # what was done, when handled
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    handled_at: Mapped[datetime | None] = mapped_column(default=None)

    staff: Mapped[Staff] = relationship()


class WarningHistory(Base):
    """Every status change of a warning: who, when, from what, to what, why."""

    __tablename__ = "quarter_warning_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("quarter_warning.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(20))  # raise, update, withdraw, reraise, handle
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(String(1000), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
