"""Helpers of the metric-collection tests: export files as business systems write them (built here with
openpyxl, never checked in), and the row counts that show a refused file changed nothing."""

import csv
import io
from collections.abc import Sequence
from datetime import datetime

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaohe.audit.models import AuditEntry
from kaohe.clock import zone
from kaohe.metrics.catalog import Quarter
from kaohe.metrics.models import MetricBatch, MetricMapping, MetricValue, MetricValueHistory

Q3 = Quarter(2026, 3)
NOW = datetime(2026, 10, 9, 10, 0, tzinfo=zone())  # the fifth working day after the National Day holiday


def xlsx(rows: Sequence[Sequence[object]], *, merges: Sequence[str] = (), formats: dict[str, str] | None = None) -> bytes:
    """An .xlsx of `rows` from A1; `merges` like "A1:D1"; `formats` a number format per cell ("C4": "0%")."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def counts(db: Session) -> dict[str, int]:
    """How many rows each table of the feature (and the audit log) holds."""
    db.expire_all()
    return {model.__tablename__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in (MetricBatch, MetricValue, MetricValueHistory, MetricMapping, AuditEntry)}


def values(db: Session, source: str | None = None) -> dict[tuple[str, str], float]:
    """(工号, indicator code) → value of the quarter's stored values."""
    from kaohe.org.models import Staff

    db.expire_all()
    query = (select(Staff.employee_no, MetricValue.indicator_code, MetricValue.value)
             .join(Staff, MetricValue.staff_id == Staff.id)
             .where(MetricValue.year == Q3.year, MetricValue.quarter == Q3.number))
    if source:
        query = query.where(MetricValue.source == source)
    return {(no, code): float(value) for no, code, value in db.execute(query).all()}
