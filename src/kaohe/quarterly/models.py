"""An appraisal year's quarters (Q1), the runs of their phases with working-day deadlines (Q6), and
every phase change: who, when, from, to, why."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kaohe.db import Base, enum_column, utcnow


class QuarterPhase(StrEnum):
    pending = "pending"  # 未开始: opened, the quarter's data not yet being collected
    collection = "collection"  # 数据采集
    rating = "rating"  # 评价
    review = "review"  # 审核
    closed = "closed"  # 已结束: frozen


# The order a quarter moves through; the three in the middle have working-day deadlines.
ORDER: tuple[QuarterPhase, ...] = tuple(QuarterPhase)
TIMED: tuple[QuarterPhase, ...] = (QuarterPhase.collection, QuarterPhase.rating, QuarterPhase.review)


class QuarterCycle(Base):
    """One quarter of an appraisal year, and the phase it is in."""

    __tablename__ = "quarter_cycle"
    __table_args__ = (UniqueConstraint("year", "quarter", name="uq_quarter_cycle_year_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)  # 1 … the scheme's cycle.quarters
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # the last day of the quarter
    phase: Mapped[QuarterPhase] = mapped_column(enum_column(QuarterPhase), default=QuarterPhase.pending)
    # The version number of the year's scheme in force when the year was opened (None: the built-in default).
    scheme_version: Mapped[int | None] = mapped_column(Integer, default=None)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def code(self) -> str:
        """2026Q3: how the command line and the API name it."""
        return f"{self.year}Q{self.quarter}"


class PhaseRun(Base):
    """One run of a timed phase: its first day and its deadline (the last working day it may take). A
    reopened quarter runs its review again, so a phase can have several runs; the latest one counts."""

    __tablename__ = "quarter_phase_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("quarter_cycle.id"), index=True)
    phase: Mapped[QuarterPhase] = mapped_column(enum_column(QuarterPhase))
    starts_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    working_days: Mapped[int] = mapped_column(Integer, default=0)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class QuarterTransition(Base):
    """Every change of a quarter's phase (open, advance, reopen): who, when, from, to, why."""

    __tablename__ = "quarter_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("quarter_cycle.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # open, advance, reopen
    from_phase: Mapped[str] = mapped_column(String(24), default="")
    to_phase: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
