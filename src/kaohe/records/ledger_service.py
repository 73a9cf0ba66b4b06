"""The ledger in the database: append inside the caller's transaction, verify, anchor."""

from collections.abc import Iterator, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaohe.records.ledger import Entry, VerifyResult, anchor, canonical, entry_hash, verify
from kaohe.records.models import LedgerEntry, LedgerHead


def append(db: Session, *, kind: str, at: datetime, payload: Mapping[str, object]) -> LedgerEntry:
    """Extend the chain by one entry. The head row is locked, so concurrent appends queue up."""
    head = db.scalar(select(LedgerHead).where(LedgerHead.id == 1).with_for_update())
    assert head is not None, "the migration creates the ledger head"
    seq = head.seq + 1
    body = canonical(payload)
    digest = entry_hash(seq, at, kind, body, head.hash)
    row = LedgerEntry(seq=seq, at=at, kind=kind, payload=body, prev_hash=head.hash, hash=digest)
    db.add(row)
    head.seq, head.hash = seq, digest
    return row


def _stream(db: Session, batch: int) -> Iterator[Entry]:
    last = 0
    while True:
        rows = db.execute(
            select(LedgerEntry.seq, LedgerEntry.at, LedgerEntry.kind, LedgerEntry.payload, LedgerEntry.prev_hash,
                   LedgerEntry.hash)
            .where(LedgerEntry.seq > last).order_by(LedgerEntry.seq).limit(batch)).all()
        if not rows:
            return
        for seq, at, kind, payload, prev_hash, digest in rows:
            yield Entry(seq=seq, at=at, kind=kind, payload=bytes(payload), prev_hash=prev_hash, hash=digest)
        last = rows[-1][0]


def verify_ledger(db: Session, *, batch: int = 20000) -> VerifyResult:
    """Walk the whole chain in seq order, in constant memory, and check it against the head row."""
    head = db.get(LedgerHead, 1)
    return verify(_stream(db, batch), expected_head=(head.seq, head.hash) if head else None)


def anchor_text(db: Session, *, now: datetime) -> str:
    head = db.scalar(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1))
    if head is None:
        return anchor(None, now)
    return anchor(Entry(seq=head.seq, at=head.at, kind=head.kind, payload=bytes(head.payload),
                        prev_hash=head.prev_hash, hash=head.hash), now)
