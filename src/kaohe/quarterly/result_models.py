"""Each person's quarterly result (R6) as computed by the pure engine, and every computation of a quarter.

A result keeps the hash of its inputs and of the scheme version, so it can be recomputed and compared: a
recomputation with unchanged inputs gives the same hash, and a run row says how many results changed."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, utcnow
from kaohe.org.models import Staff

SCORE = Numeric(7, 2)  # shown to two decimals, half up (docs/scoring.md, "Quarterly score")


class QuarterResult(Base):
    """One person's result for one quarter: the parts, the flags, the breakdown line by line."""

    __tablename__ = "quarter_result"
    __table_args__ = (UniqueConstraint("staff_id", "year", "quarter", name="uq_quarter_result_staff_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    record_score: Mapped[Decimal] = mapped_column(SCORE)
    indicator_score: Mapped[Decimal] = mapped_column(SCORE)
    quarterly_score: Mapped[Decimal | None] = mapped_column(SCORE, default=None)  # None: records not judged
    record_weight: Mapped[Decimal] = mapped_column(SCORE)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    scheme_version: Mapped[int | None] = mapped_column(Integer, default=None)
    scheme_hash: Mapped[str] = mapped_column(String(64))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int] = mapped_column(ForeignKey("quarter_result_run.id"), index=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "computed" by the engine here, or "imported" from the unit's earlier system (no breakdown, then):
    # the file's name, SHA-256 and row, and the old system's 缺评说明, in `provenance`.
    origin: Mapped[str] = mapped_column(String(16), default="computed")
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

    staff: Mapped[Staff] = relationship()


class QuarterResultRun(Base):
    """One computation of a quarter: who ran it, when, on which scheme version, and what it changed."""

    __tablename__ = "quarter_result_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)  # results whose inputs hash differs from before
    scheme_version: Mapped[int | None] = mapped_column(Integer, default=None)
    scheme_hash: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 over every person's inputs hash (or the file's)
    origin: Mapped[str] = mapped_column(String(16), default="computed")  # computed | imported
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    actor_name: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
