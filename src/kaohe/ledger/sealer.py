"""Group commit for the ledger: features write *pending* entries without touching the head, and a
sealer chains them in batches (docs/ledger.md, "Writing at scale").

- `append` (in `service`) inserts a signed `ledger_pending` row in the caller's transaction and marks
  the session; no lock is taken, so writers on PostgreSQL no longer queue on the head row for the
  whole of their transaction.
- `seal_batch` chains up to `batch` pending rows in id order, in the transaction it is given: it locks
  the head, checks every pending row's signature (a row edited, inserted or renumbered in SQL is left
  where it is and reported by `verify`), writes the entries with consecutive seq, links and entry
  signatures exactly as a chain of single appends would, deletes the pending rows and moves the head.
- The session hooks below call it at the end of every unit of work that appended, whoever the edge is
  (a request, a CLI command, a job, a test): on SQLite, whose writers are serialised anyway, inside
  the committing transaction just before COMMIT, so a committed write is always chained (the old
  behaviour exactly); on PostgreSQL after COMMIT, in one transaction per batch on a connection of
  its own, coalescing: a sealer that finds the head locked returns at once, and the one holding it
  looks again after releasing it, so no committed entry is left behind.
- `start_background` runs a sweep thread (a safety net for a sealer that failed after its commit), and
  `kaohe ledger seal` seals by hand.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, event, insert, text, update
from sqlalchemy.orm import Session, sessionmaker

from kaohe.ledger.chain import EPOCH, Entry, Signer, entry_hash
from kaohe.ledger.keys import signer_for
from kaohe.ledger.models import LedgerEntry, LedgerHead, LedgerPending
from kaohe.ledger.replay import TIME, read_value

log = logging.getLogger(__name__)

APPENDED = "kaohe.ledger.appended"  # session.info: this transaction wrote pending entries
DUE = "kaohe.ledger.seal_due"  # session.info: committed with pending entries, seal when it ends
SEALED = "kaohe.ledger.sealed"  # session.info: pending id → Entry, chained inside this transaction
BATCH = 1000

_PENDING = text("SELECT id, at, kind, payload, signature FROM ledger_pending ORDER BY id LIMIT :n")
_ENTRIES = LedgerEntry.__table__
_PENDING_TABLE = LedgerPending.__table__


# --- pending rows as the database holds them ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pending:
    """One `ledger_pending` row, read whatever its column types (SQLite stores what it is given);
    `problem` names the column that could not be read."""

    id: Any
    at: datetime
    kind: str
    payload: bytes
    signature: str | None
    problem: str | None = None

    def genuine(self, signer: Signer) -> bool:
        """Written by `append` with this key, and not changed since."""
        return (self.problem is None and isinstance(self.id, int)
                and signer.matches(self.signature, signer.pending(self.id, self.at, self.kind, self.payload)))


def read_stored(at: Any, kind: Any, payload: Any, signature: Any
                ) -> tuple[datetime, str, bytes, str | None, str | None]:
    """The columns every ledger row has, as stored, whatever the database holds (SQLite stores what it
    is given): a value of the wrong type is replaced by one that can never verify, and the last item
    names the column that was unreadable (None when all were)."""
    problem = None
    moment = read_value(TIME, at)
    if not isinstance(moment, datetime):
        problem, moment = "at", EPOCH
    if isinstance(payload, memoryview | bytearray):
        payload = bytes(payload)
    elif not isinstance(payload, bytes):
        problem, payload = "payload", b""
    if not isinstance(kind, str):
        problem, kind = "kind", ""
    if signature is not None and not isinstance(signature, str):
        problem, signature = "signature", None
    return moment, kind, payload, signature, problem


def read_pending(raw: Sequence[Any]) -> Pending:
    ident, at, kind, payload, signature = raw
    moment, kind, payload, signature, problem = read_stored(at, kind, payload, signature)
    if not isinstance(ident, int) or isinstance(ident, bool):
        problem = "id"
    return Pending(ident, moment, kind, payload, signature, problem)


def pending_rows(db: Session | Connection, *, after: Any = None, batch: int = BATCH) -> list[Pending]:
    """Pending rows in id order, a batch at a time (`after`: the last id of the previous batch)."""
    if after is None:
        raw = db.execute(_PENDING, {"n": batch}).all()
    else:
        raw = db.execute(text("SELECT id, at, kind, payload, signature FROM ledger_pending WHERE id > :after "
                              "ORDER BY id LIMIT :n"), {"after": after, "n": batch}).all()
    return [read_pending(row) for row in raw]


# --- sealing ------------------------------------------------------------------------------------------

def _dialect(db: Session | Connection) -> str:
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name


def _lock_head(db: Session | Connection, *, wait: bool) -> tuple[int, str] | None:
    """The head `(seq, hash)`, locked for this transaction; None when `wait` is False and another
    sealer holds it (PostgreSQL). SQLite has one writer at a time: touching the row takes the write
    lock up front, inside the busy timeout, instead of failing a read snapshot that went stale."""
    if _dialect(db) == "postgresql":
        lock = " FOR UPDATE" if wait else " FOR UPDATE SKIP LOCKED"
    else:
        db.execute(text("UPDATE ledger_head SET seq = seq WHERE id = 1"))
        lock = ""
    row = db.execute(text("SELECT seq, hash FROM ledger_head WHERE id = 1" + lock)).first()
    return None if row is None else (int(row[0]), str(row[1]))


def seal_batch(db: Session | Connection, signer: Signer, *, wait: bool = True, batch: int = BATCH,
               skipped: set[Any] | None = None) -> list[tuple[int, Entry]] | None:
    """Chain up to `batch` pending rows, oldest id first, in the transaction of `db` (the caller
    commits). Returns the (pending id, entry) pairs chained, or None when the head is held elsewhere
    and `wait` is False. Rows whose signature does not match are added to `skipped` and left pending."""
    skipped = set() if skipped is None else skipped
    head = _lock_head(db, wait=wait)
    if head is None:
        return None
    seq, prev = head
    chained: list[tuple[int, Entry]] = []
    for row in pending_rows(db, batch=batch + len(skipped)):
        if row.id in skipped:
            continue
        if len(chained) >= batch:
            break
        if not row.genuine(signer):
            skipped.add(row.id)
            log.warning("ledger_pending row %r fails its signature: left unsealed", row.id)
            continue
        seq += 1
        digest = entry_hash(seq, row.at, row.kind, row.payload, prev)
        chained.append((row.id, Entry(seq, row.at, row.kind, row.payload, prev, digest, signer.entry(digest))))
        prev = digest
    if chained:
        db.execute(insert(_ENTRIES), [{"seq": e.seq, "at": e.at, "kind": e.kind, "payload": e.payload,
                                       "prev_hash": e.prev_hash, "hash": e.hash, "signature": e.signature}
                                      for _ident, e in chained])
        db.execute(delete(_PENDING_TABLE).where(_PENDING_TABLE.c.id.in_(bindparam("ids", expanding=True))),
                   {"ids": [ident for ident, _e in chained]})
        db.execute(update(LedgerHead.__table__).where(LedgerHead.__table__.c.id == 1)
                   .values(seq=seq, hash=prev, signature=signer.head(seq, prev)))
    return chained


def seal_here(db: Session, *, batch: int = BATCH) -> dict[int, Entry]:
    """Chain every pending row this transaction can see, inside it (waiting for the head): what a
    caller that needs its entry's seq and hash before committing uses (a month close prints its anchor),
    and how SQLite seals just before COMMIT. Returns pending id → entry for this transaction."""
    db.flush()
    signer = signer_for(db)
    sealed: dict[int, Entry] = db.info.setdefault(SEALED, {})
    skipped: set[Any] = set()
    while True:
        chained = seal_batch(db, signer, wait=True, batch=batch, skipped=skipped)
        assert chained is not None
        sealed.update(chained)
        if len(chained) < batch:
            return sealed


@dataclass
class Sealed:
    """What a sealing run did: entries chained, whether it stopped because another sealer held the
    head (that one carries on), and the pending rows refused for their signature."""

    count: int = 0
    busy: bool = False
    refused: set[Any] = field(default_factory=set)


def seal(bind: Engine, signer: Signer, *, wait: bool = False, batch: int = BATCH) -> Sealed:
    """Chain every committed pending row, one transaction per batch. Coalescing: with `wait` False,
    return at once when another sealer holds the head; the holder, after each commit, looks for rows
    committed meanwhile and goes on until none is left, so no committed entry waits for the sweep."""
    done = Sealed()
    while True:
        with bind.begin() as conn:
            chained = seal_batch(conn, signer, wait=wait, batch=batch, skipped=done.refused)
        if chained is None:
            done.busy = True
            return done
        done.count += len(chained)
        if len(chained) == batch:
            continue
        # The head is released: anything committed while this sealer held it is its to seal.
        with bind.connect() as conn:
            left = conn.scalars(text("SELECT id FROM ledger_pending ORDER BY id LIMIT :n"),
                                {"n": len(done.refused) + 1}).all()
        if all(ident in done.refused for ident in left):
            return done


class _Coalescer:
    """One sealer per engine in this process: a writer that finds one running leaves it a note and
    returns without a round trip to the database; the running one seals again while notes arrive (and
    checks once more after letting go, so a note left just then is not lost). Other processes
    coalesce through the head row (`seal`)."""

    def __init__(self) -> None:
        self._running = threading.Lock()
        self._due = False

    def seal_soon(self, bind: Engine, signer: Signer) -> None:
        self._due = True
        while self._due and self._running.acquire(blocking=False):
            try:
                while self._due:
                    self._due = False
                    seal(bind, signer)
            finally:
                self._running.release()


_COALESCERS: weakref.WeakKeyDictionary[Engine, _Coalescer] = weakref.WeakKeyDictionary()
_COALESCERS_LOCK = threading.Lock()


def seal_soon(bind: Engine, signer: Signer) -> None:
    """Seal after a commit, coalesced with the other writers of this process and of others."""
    with _COALESCERS_LOCK:
        coalescer = _COALESCERS.get(bind)
        if coalescer is None:
            coalescer = _COALESCERS[bind] = _Coalescer()
    coalescer.seal_soon(bind, signer)


# --- when to seal: the end of every unit of work that appended ----------------------------------------

def _inline(session: Session) -> bool:
    """Seal inside the committing transaction: SQLite (one writer at a time anyway, so nothing is
    gained by deferring, and a committed write stays chained at once), or a session bound to a
    connection whose transaction another sealer could not see."""
    bind = session.get_bind()
    return isinstance(bind, Connection) or bind.dialect.name != "postgresql"


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.get(APPENDED):
        return
    if _inline(session):
        seal_here(session)
        session.info.pop(APPENDED, None)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if session.info.pop(APPENDED, False):
        session.info[DUE] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    """After the root transaction has ended and given its connection back to the pool (sealing in
    after_commit would hold two connections per request and could exhaust the pool)."""
    if transaction.parent is not None:
        return
    session.info.pop(APPENDED, None)  # rolled back: nothing of it was committed
    session.info.pop(SEALED, None)
    if not session.info.pop(DUE, False):
        return
    bind = session.get_bind()
    try:
        seal_soon(bind if isinstance(bind, Engine) else bind.engine, signer_for(session))
    except Exception:  # the write is committed; the sweep or the next writer chains it
        log.exception("sealing the ledger after a commit failed; the sweep will retry")


# --- the sweep ----------------------------------------------------------------------------------------

class Sweeper:
    """A daemon thread sealing every `interval` seconds (what a sealer that failed after its commit
    left behind). `stop()` ends it."""

    def __init__(self, bind: Engine, signer: Signer, interval: float) -> None:
        self._bind, self._signer, self._interval = bind, signer, interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kaohe-ledger-sealer", daemon=True)

    def start(self) -> Sweeper:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                seal(self._bind, self._signer)
            except Exception:
                log.exception("the ledger sweep failed; retrying in %s s", self._interval)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        self._thread.join(timeout)


def start_background(session_factory: sessionmaker[Session], *, interval: float = 2.0) -> Sweeper:
    """Start the sweep for the sessions `session_factory` makes (their engine and ledger key)."""
    with session_factory() as session:
        bind = session.get_bind()
        signer = signer_for(session)
    engine = bind if isinstance(bind, Engine) else bind.engine
    return Sweeper(engine, signer, interval).start()
