"""Writing and reading the audit log. There is deliberately no update or delete here, and every row is
covered by the ledger (an `audit` entry, docs/ledger.md "The audit log"), so a row edited, deleted or
inserted behind the application's back is named by `kaohe ledger verify` even with the triggers gone."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kaohe.audit.models import AuditEntry
from kaohe.auth.permissions import Principal
from kaohe.clock import zone
from kaohe.db import utcnow
from kaohe.ledger import audit_replay
from kaohe.ledger import service as ledger


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The named attributes of `obj` as JSON-ready values, for the before/after of an entry."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def record(
    db: Session,
    *,
    actor: Principal | None,
    action: str,
    entity_type: str,
    entity_id: object = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str = "",
) -> AuditEntry:
    """Add one audit row to the caller's transaction (it is committed with the change), with its ledger
    entry."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    # What the JSON columns will give back (tuples as lists, keys as text), so the digests match.
    before, after = _as_stored(before), _as_stored(after)
    at = utcnow()
    entry = AuditEntry(
        at=at,
        actor_id=actor.user_id if actor else None,
        actor_name=actor.display_name if actor else "系统",
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
        before=before,
        after=after,
        ip=ip,
    )
    db.add(entry)
    db.flush()
    ledger.append(db, kind=audit_replay.KIND, at=at, payload=audit_replay.payload(
        ident=entry.id, actor_id=entry.actor_id, actor_name=entry.actor_name, action=action,
        entity_type=entity_type, entity_id=entry.entity_id, ip=ip, summary=summary, before=before, after=after))
    return entry


def _as_stored(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else json.loads(json.dumps(value))


@dataclass(frozen=True)
class AuditQuery:
    action: str = ""
    entity_type: str = ""
    entity_id: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1
    per_page: int = 50


def search(db: Session, query: AuditQuery) -> tuple[list[AuditEntry], int]:
    """Entries matching the filters, newest first, with the total count."""
    stmt = select(AuditEntry)
    if query.action:
        stmt = stmt.where(AuditEntry.action.startswith(query.action))
    if query.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == query.entity_type)
    if query.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == query.entity_id)
    if query.actor:
        stmt = stmt.where(AuditEntry.actor_name.contains(query.actor))
    if query.since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(query.since, time.min, tzinfo=zone()))
    if query.until:
        stmt = stmt.where(AuditEntry.at < datetime.combine(query.until + timedelta(days=1), time.min, tzinfo=zone()))
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.scalars(
        stmt.order_by(AuditEntry.id.desc()).limit(query.per_page).offset((query.page - 1) * query.per_page)
    ).all()
    return list(rows), total
