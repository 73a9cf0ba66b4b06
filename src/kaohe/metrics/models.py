"""Collected indicator values, the batches they arrived in, the values they replaced, and the column
mapping of each data source.

A quarter is named by its year and number (1–4), not by a key into the quarterly cycles, so values can
be collected before or without a cycle and the two features do not depend on each other.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kaohe.db import Base, utcnow
from kaohe.org.models import Staff

# Values keep six decimals: a percent read from a fraction cell (0.9537) stays exact as 95.37.
VALUE = Numeric(20, 6)


class MetricBatch(Base):
    """One arrival of values for one source and quarter: a file, an API call or a records collection.

    `channel` is "file", "api" or "records"; a file keeps its name and SHA-256, an API call its
    Idempotency-Key (scoped to the calling account), the SHA-256 of its body and the answer it got, so
    a repeated call gets the same answer and a different body under the same key is refused.
    """

    __tablename__ = "metric_batch"
    __table_args__ = (UniqueConstraint("idempotency_scope", "idempotency_key", name="uq_metric_batch_idempotency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    idempotency_scope: Mapped[str | None] = mapped_column(String(40), default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    value_count: Mapped[int] = mapped_column(Integer, default=0)
    replaced_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    created_by_name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class MetricValue(Base):
    """The value of one quantitative indicator for one person in one quarter, with where it came from."""

    __tablename__ = "metric_value"
    __table_args__ = (
        UniqueConstraint("staff_id", "year", "quarter", "indicator_code", name="uq_metric_value_staff_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    quarter: Mapped[int] = mapped_column(Integer)
    indicator_code: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(VALUE)
    source: Mapped[str] = mapped_column(String(40))
    batch_id: Mapped[int] = mapped_column(ForeignKey("metric_batch.id"), index=True)
    row: Mapped[int | None] = mapped_column(Integer, default=None)  # the file's row; None from the API

    staff: Mapped[Staff] = relationship()
    batch: Mapped[MetricBatch] = relationship()


class MetricValueHistory(Base):
    """A value as it was before a re-import replaced it: nothing collected is ever lost."""

    __tablename__ = "metric_value_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    indicator_code: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(VALUE)
    source: Mapped[str] = mapped_column(String(40))
    batch_id: Mapped[int] = mapped_column(ForeignKey("metric_batch.id"))
    row: Mapped[int | None] = mapped_column(Integer, default=None)
    replaced_by: Mapped[int] = mapped_column(ForeignKey("metric_batch.id"), index=True)


class MetricMapping(Base):
    """Which column of a data source's export holds the 工号 and which holds each of its indicators."""

    __tablename__ = "metric_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), unique=True)
    employee_column: Mapped[str] = mapped_column(String(60))
    columns: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # indicator code → column header
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
