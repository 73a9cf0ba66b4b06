"""The audit log under the ledger: every `audit_entry` row written through `kaohe.audit.service.record`
has an `audit` entry stating its id, time, actor, action, entity and ip, and the SHA-256 of its summary,
before and after (`chain.digest`: the ledger need not copy free text to make it tamper-evident).
Pure, like `replay`, on whose helpers it builds.

Legacy rows: audit rows written before migration 0006 have no entry. They are the rows numbered below
the first audit row the ledger records; the ledger itself says where coverage starts, so no watermark
kept in a table (which whoever edits the database could move) is needed. Those rows stay protected by
the append-only triggers alone, as before; they are counted, not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kaohe.ledger.chain import Entry, digest
from kaohe.ledger.replay import (
    CHANGED,
    DELETED,
    SEQ,
    UNRECORDED,
    Difference,
    Digest,
    Table,
    Unreadable,
    _Bad,
    _field,
    _int,
    _opt_int,
    _text,
)
from kaohe.messages import t

KIND = "audit"
COVERED = ("summary", "before", "after")  # stated by their digest
PLAIN = ("actor_id", "actor_name", "action", "entity_type", "entity_id", "ip")


def payload(*, ident: int, actor_id: int | None, actor_name: str, action: str, entity_type: str, entity_id: str,
            ip: str, summary: str, before: Any, after: Any) -> dict[str, Any]:
    """The payload of the `audit` entry of one row (`before`/`after` as the database gives them back)."""
    return {"audit": ident, "actor_id": actor_id, "actor_name": actor_name, "action": action,
            "entity_type": entity_type, "entity_id": entity_id, "ip": ip,
            "summary": digest(summary), "before": digest(before), "after": digest(after)}


class AuditReplay:
    """The expected audit rows by id, and where coverage starts (the first id the ledger records)."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.first: int | None = None
        self.legacy = 0  # live rows older than the ledger's coverage, counted, not compared

    def feed(self, entry: Entry, p: Mapping[str, Any]) -> None:
        ident = _int(p, "audit")
        row: dict[str, Any] = {"at": entry.at, "actor_id": _opt_int(p, "actor_id"), SEQ: entry.seq}
        for name in PLAIN[1:]:
            row[name] = _text(p, name)
        for name in COVERED:
            value = _text(p, name)
            if len(value) != 64:
                raise _field(name)
            row[name] = Digest(value)
        if ident in self.rows:
            raise _Bad(t("ledger.malformed_audit_twice", audit=ident, seq=self.rows[ident][SEQ]))
        self.rows[ident] = row
        self.first = ident if self.first is None else min(self.first, ident)

    def check(self, table: Table, rows: Iterable[dict[str, Any]]) -> Iterator[Difference]:
        """Live rows (read by `read_row`, in id order) against the expected ones."""
        expected = self.rows
        for row in rows:
            ident = row["id"]
            if not isinstance(ident, int):
                yield Difference(table.name, UNRECORDED, None, (_show_action(row),))
                continue
            want = expected.pop(ident, None)
            if want is None:
                if self.first is None or ident < self.first:
                    self.legacy += 1
                else:
                    yield Difference(table.name, UNRECORDED, ident, (_show_action(row),))
                continue
            yield from _fields(table, row, want)
        for ident, want in sorted(expected.items()):
            yield Difference(table.name, DELETED, ident, (want["action"],), seq=want[SEQ])
        expected.clear()


def _show_action(row: Mapping[str, Any]) -> str:
    action = row.get("action")
    return action if isinstance(action, str) else "?"


def _fields(table: Table, row: Mapping[str, Any], want: Mapping[str, Any]) -> Iterator[Difference]:
    ref = (_show_action(row),)
    seq = want[SEQ]
    for name, _kind in table.columns:
        have, stated = row[name], want[name]
        if isinstance(stated, Digest):
            if isinstance(have, Unreadable) or digest(have) != stated.hex:
                yield Difference(table.name, CHANGED, row["id"], ref, name, have, stated, seq)
        elif have != stated:
            yield Difference(table.name, CHANGED, row["id"], ref, name, have, stated, seq)
