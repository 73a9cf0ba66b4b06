"""Metric collection use cases: column mappings, file and API imports, and the values people may read.

A batch (a file, an API call, a records collection) carries one source's values for one quarter and is
stored all or nothing. When the source already delivered values for that quarter, the batch replaces
them only when the caller says so (`replace`): in the same transaction every replaced value is copied
to `metric_value_history` with the batch that set it, the source's old values are removed, the new ones
written, and one audit row says how many were replaced. So a re-export of the whole source is the
source's truth for the quarter, and nothing collected before is lost.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kaohe.audit import service as audit
from kaohe.auth.permissions import Perm, Principal
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.messages import t
from kaohe.metrics.catalog import (
    DAILY_RECORDS,
    ColumnMapping,
    Quarter,
    default_mapping,
    mapping_problems,
    quarter_of,
    source_leaves,
    source_names,
    value_rule,
)
from kaohe.metrics.importing import PLACES, parse_metrics
from kaohe.metrics.models import MetricBatch, MetricMapping, MetricValue, MetricValueHistory
from kaohe.metrics.schemas import MappingIn, MetricBatchIn, MetricBatchRead
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff
from kaohe.quarterly import service as quarters
from kaohe.quarterly.models import QuarterPhase
from kaohe.scheme import service as scheme_service
from kaohe.scheme.indicators import Indicator
from kaohe.scheme.models import Scheme

# Bulk statements in chunks: PostgreSQL takes at most 65,535 parameters in one statement.
CHUNK = 2_000


def _require(actor: Principal, perm: Perm) -> None:
    if not actor.can(perm):
        raise Forbidden(t("common.forbidden"))


def scheme_for(db: Session, quarter: Quarter) -> Scheme:
    """The scheme in force for the quarter's year."""
    return scheme_service.current(db, year=quarter.year)


def importable_source(scheme: Scheme, source: str) -> dict[str, Indicator]:
    """The indicators a file or API call of `source` may carry; Invalid for an unknown source, for the
    daily records (collected from the records, never imported) and for a source nothing is collected from."""
    names = source_names(scheme)
    if source not in names:
        raise Invalid(t("metrics.source.unknown", value=source[:40], allowed="、".join(names.values())))
    if source == DAILY_RECORDS:
        raise Invalid(t("metrics.source.records_only", name=names[source]))
    leaves = source_leaves(scheme, source)
    if not leaves:
        raise Invalid(t("metrics.source.nothing", name=names[source]))
    return leaves


# --- the column mapping ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MappingView:
    source: str
    name: str
    mapping: ColumnMapping
    saved: bool
    indicators: dict[str, Indicator]


def mapping_of(db: Session, *, scheme: Scheme, source: str) -> MappingView:
    """The saved mapping of a source, or the default proposal; only the source's indicators are shown."""
    leaves = importable_source(scheme, source)
    row = db.scalar(select(MetricMapping).where(MetricMapping.source == source))
    if row is None:
        mapping = default_mapping(scheme, source)
    else:
        # Indicators the scheme no longer gives this source are left out; new ones start unmapped.
        mapping = ColumnMapping(row.employee_column, {code: row.columns.get(code, "") for code in leaves})
    return MappingView(source=source, name=source_names(scheme)[source], mapping=mapping, saved=row is not None,
                       indicators=leaves)


def _mapping_fields(mapping: ColumnMapping, leaves: dict[str, Indicator]) -> dict[str, str]:
    """A mapping as the audit row lists it: the 工号 column, then each indicator by code and name."""
    out = {"employee_column": mapping.employee_column}
    out.update({f"{code} {node.name}": mapping.columns.get(code, "") for code, node in leaves.items()})
    return out


def save_mapping(db: Session, *, actor: Principal, scheme: Scheme, source: str, mapping_in: MappingIn,
                 now: datetime) -> MetricMapping:
    """Save the column mapping of a source; the audit row lists every header changed."""
    _require(actor, Perm.metrics_import)
    current = mapping_of(db, scheme=scheme, source=source)
    columns = {code: header.strip() for code, header in mapping_in.columns.items()}
    mapping = ColumnMapping(mapping_in.employee_column.strip(), columns)
    problems = mapping_problems(mapping, current.indicators)
    if problems:
        raise Invalid(t("metrics.mapping.refused"), details=problems)
    mapping = ColumnMapping(mapping.employee_column, {code: columns.get(code, "") for code in current.indicators})
    row = db.scalar(select(MetricMapping).where(MetricMapping.source == source))
    before = _mapping_fields(current.mapping, current.indicators) if current.saved else None
    if row is None:
        row = MetricMapping(source=source, employee_column=mapping.employee_column, columns=mapping.columns)
        db.add(row)
    row.employee_column, row.columns = mapping.employee_column, dict(mapping.columns)
    row.updated_by, row.updated_at = actor.user_id, now
    db.flush()
    after = _mapping_fields(mapping, current.indicators)
    if before is None:
        before = {key: "" for key in after}
    audit.record(db, actor=actor, action="metrics.mapping", entity_type="metric_mapping", entity_id=source,
                 summary=t("metrics.audit.mapping", name=current.name), before=before, after=after)
    return row


# --- storing a batch ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    batch: MetricBatch
    count: int
    people: int
    replaced: int


def existing_count(db: Session, *, source: str, quarter: Quarter) -> int:
    """How many values the source already delivered for the quarter."""
    return db.scalar(select(func.count(MetricValue.id)).where(
        MetricValue.source == source, MetricValue.year == quarter.year, MetricValue.quarter == quarter.number)) or 0


def _store(db: Session, *, actor: Principal, source: str, quarter: Quarter, values: Sequence[tuple[int, str, Decimal, int | None]],
           replace: bool, now: datetime, channel: str, filename: str = "", sha256: str = "",
           idempotency: tuple[str, str] | None = None) -> Stored:
    """Write one batch: (staff id, indicator code, value, row) each, replacing the source's values for the
    quarter only when `replace` (every replaced value kept as history). A closed quarter is frozen."""
    cycle = quarters.find_cycle(db, quarter.year, quarter.number)
    if cycle is not None and cycle.phase is QuarterPhase.closed:
        raise Conflict(t("quarter.frozen", label=quarters.quarter_label(quarter.year, quarter.number)))
    codes = sorted({code for _, code, _, _ in values})
    # The source's values of the quarter, and any value of the same people and indicators that another
    # source delivered before the scheme moved the indicator: both are replaced, both kept as history.
    replaced = [MetricValue.year == quarter.year, MetricValue.quarter == quarter.number,
                or_(MetricValue.source == source, MetricValue.indicator_code.in_(codes))]
    old = db.execute(select(MetricValue.id, MetricValue.staff_id, MetricValue.indicator_code, MetricValue.value,
                            MetricValue.source, MetricValue.batch_id, MetricValue.row).where(*replaced)).all()
    keys = {(staff_id, code) for staff_id, code, _, _ in values}
    old = [row for row in old if row.source == source or (row.staff_id, row.indicator_code) in keys]
    if old and not replace:
        raise Invalid(t("metrics.replace_needed", count=len(old), quarter=quarter.label))
    batch = MetricBatch(source=source, year=quarter.year, quarter=quarter.number, channel=channel,
                        filename=filename[:200], sha256=sha256, value_count=len(values),
                        created_by=actor.user_id, created_by_name=actor.display_name, created_at=now)
    if idempotency is not None:
        batch.idempotency_scope, batch.idempotency_key = idempotency
    try:
        with db.begin_nested():  # a concurrent call with the same key loses here, not with a 500
            db.add(batch)
            db.flush()
    except IntegrityError:
        raise Conflict(t("metrics.api.key_in_flight")) from None
    for start in range(0, len(old), CHUNK):
        chunk = old[start:start + CHUNK]
        db.execute(insert(MetricValueHistory), [
            {"staff_id": r.staff_id, "year": quarter.year, "quarter": quarter.number, "indicator_code": r.indicator_code,
             "value": r.value, "source": r.source, "batch_id": r.batch_id, "row": r.row, "replaced_by": batch.id}
            for r in chunk])
        db.execute(delete(MetricValue).where(MetricValue.id.in_([r.id for r in chunk])))
    for start in range(0, len(values), CHUNK):
        db.execute(insert(MetricValue), [
            {"staff_id": staff_id, "year": quarter.year, "quarter": quarter.number, "indicator_code": code,
             "value": value, "source": source, "batch_id": batch.id, "row": row}
            for staff_id, code, value, row in values[start:start + CHUNK]])
    batch.replaced_count = len(old)
    people = len({staff_id for staff_id, _, _, _ in values})
    after = {"source": source, "year": quarter.year, "quarter": quarter.number, "channel": channel,
             "filename": filename, "sha256": sha256, "count": len(values), "people": people, "replaced": len(old)}
    audit.record(db, actor=actor, action=f"metrics.{channel}", entity_type="metric_batch", entity_id=batch.id,
                 summary=t(f"metrics.audit.{channel}", quarter=quarter.label, source=source, count=len(values),
                           people=people, replaced=len(old)), after=after)
    db.flush()
    return Stored(batch=batch, count=len(values), people=people, replaced=len(old))


def _staff_numbers(db: Session) -> dict[str, int]:
    return dict(db.execute(select(Staff.employee_no, Staff.id)).all())  # type: ignore[arg-type]


def import_file(db: Session, *, actor: Principal, source: str, quarter: Quarter, data: bytes, filename: str,
                replace: bool, now: datetime) -> Stored:
    """Import one source's export for a quarter: every row or none (errors name the row and column)."""
    _require(actor, Perm.metrics_import)
    scheme = scheme_for(db, quarter)
    leaves = importable_source(scheme, source)
    view = mapping_of(db, scheme=scheme, source=source)
    staff = _staff_numbers(db)
    rules = {code: value_rule(node) for code, node in leaves.items()}
    result = parse_metrics(data, filename, mapping=view.mapping, rules=rules, known_employees=staff)
    if not result.ok:
        raise Invalid(t("metrics.import_failed", count=len(result.errors)),
                      details=[error.message for error in result.errors])
    values = [(staff[row.employee_no], code, value, row.row) for row in result.rows for code, value in row.values.items()]
    if not values:
        raise Invalid(t("metrics.import_empty"))
    return _store(db, actor=actor, source=source, quarter=quarter, values=values, replace=replace, now=now,
                  channel="file", filename=filename, sha256=hashlib.sha256(data).hexdigest())


# --- the API -----------------------------------------------------------------------------------------

def body_digest(batch_in: MetricBatchIn) -> str:
    """The SHA-256 of a request body as JSON with sorted keys and exact values: same body, same digest."""
    text = json.dumps(batch_in.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def import_api(db: Session, *, actor: Principal, batch_in: MetricBatchIn, idempotency_key: str | None,
               now: datetime) -> dict[str, Any]:
    """Values sent by a business system: all or none, idempotent per account and Idempotency-Key (the
    same key with the same body gets the first answer again; with another body, 409)."""
    _require(actor, Perm.metrics_import)
    scope = f"api:{actor.user_id}" if actor.user_id is not None else "api"
    digest = body_digest(batch_in)
    earlier = None if idempotency_key is None else db.scalar(select(MetricBatch).where(
        MetricBatch.idempotency_scope == scope, MetricBatch.idempotency_key == idempotency_key))
    if earlier is not None:
        if earlier.sha256 != digest or earlier.response is None:
            raise Conflict(t("metrics.api.key_reused"))
        return dict(earlier.response)
    quarter = quarter_of(batch_in.year, batch_in.quarter)
    scheme = scheme_for(db, quarter)
    leaves = importable_source(scheme, batch_in.source)
    staff = _staff_numbers(db)
    errors: list[str] = []
    values: list[tuple[int, str, Decimal, int | None]] = []
    seen: dict[tuple[str, str], int] = {}
    for index, item in enumerate(batch_in.items, start=1):
        found: list[str] = []
        staff_id = staff.get(item.employee_no.strip())
        if staff_id is None:
            found.append(t("metrics.employee.unknown", value=item.employee_no[:30]))
        node = leaves.get(item.indicator_code.strip())
        if node is None:
            found.append(t("metrics.api.foreign_code", value=item.indicator_code[:40],
                           source=source_names(scheme)[batch_in.source]))
        else:
            refusal = value_rule(node).refusal(item.value)
            if refusal is not None:
                found.append(refusal)
        key = (item.employee_no.strip(), item.indicator_code.strip())
        if key in seen:
            found.append(t("metrics.api.duplicate", first=seen[key]))
        seen.setdefault(key, index)
        errors += [t("metrics.api.at_item", index=index, detail=detail) for detail in found]
        if not found and staff_id is not None and node is not None:
            values.append((staff_id, node.code, item.value.quantize(PLACES), None))
    if errors:
        raise Invalid(t("metrics.import_failed", count=len(errors)), details=errors)
    stored = _store(db, actor=actor, source=batch_in.source, quarter=quarter, values=values,
                    replace=batch_in.replace, now=now, channel="api", filename="api", sha256=digest,
                    idempotency=(scope, idempotency_key) if idempotency_key is not None else None)
    response = MetricBatchRead(batch_id=stored.batch.id, source=batch_in.source, year=quarter.year,
                               quarter=quarter.number, count=stored.count, people=stored.people,
                               replaced=stored.replaced).model_dump(mode="json")
    stored.batch.response = response
    db.flush()
    return response


# --- reading values ----------------------------------------------------------------------------------

def values_of(db: Session, *, actor: Principal, quarter: Quarter, source: str | None = None,
              staff_id: int | None = None) -> list[tuple[MetricValue, MetricBatch, Staff, Department]]:
    """The quarter's values of everyone the actor may see (HR and the inspector: everyone; a leader:
    their people; staff: themselves), with their batches."""
    query = (select(MetricValue, MetricBatch, Staff, Department)
             .join(MetricBatch, MetricValue.batch_id == MetricBatch.id)
             .join(Staff, MetricValue.staff_id == Staff.id).join(Department, Staff.department_id == Department.id)
             .where(MetricValue.year == quarter.year, MetricValue.quarter == quarter.number,
                    actor.staff_filter(Perm.staff_read))
             .order_by(Staff.employee_no, MetricValue.indicator_code))
    if source:
        query = query.where(MetricValue.source == source)
    if staff_id is not None:
        query = query.where(MetricValue.staff_id == staff_id)
    return [tuple(row) for row in db.execute(query).all()]  # type: ignore[misc]


def visible_staff(db: Session, *, actor: Principal, staff_id: int) -> Staff:
    """One person the actor may see; NotFound otherwise, so existence does not leak."""
    staff = db.get(Staff, staff_id)
    if staff is None or not actor.may_see_staff(staff):
        raise NotFound(t("metrics.staff_not_found"))
    return staff


def history_of(db: Session, *, actor: Principal, staff: Staff, quarter: Quarter) -> list[tuple[MetricValueHistory, MetricBatch]]:
    """The values of the person's quarter that re-imports replaced, newest first."""
    if not actor.may_see_staff(staff):
        raise NotFound(t("metrics.staff_not_found"))
    return [tuple(row) for row in db.execute(  # type: ignore[misc]
        select(MetricValueHistory, MetricBatch).join(MetricBatch, MetricValueHistory.replaced_by == MetricBatch.id)
        .where(MetricValueHistory.staff_id == staff.id, MetricValueHistory.year == quarter.year,
               MetricValueHistory.quarter == quarter.number)
        .order_by(MetricBatch.created_at.desc(), MetricValueHistory.indicator_code)).all()]


def batches_of(db: Session, *, quarter: Quarter) -> list[MetricBatch]:
    """Every batch of the quarter, oldest first."""
    return list(db.scalars(select(MetricBatch).where(MetricBatch.year == quarter.year,
                                                     MetricBatch.quarter == quarter.number)
                           .order_by(MetricBatch.created_at, MetricBatch.id)))


def active_staff(db: Session) -> list[tuple[Staff, Department]]:
    return [tuple(row) for row in db.execute(  # type: ignore[misc]
        select(Staff, Department).join(Department, Staff.department_id == Department.id)
        .where(Staff.status == StaffStatus.active).order_by(Department.code, Staff.employee_no)).all()]

