"""The ledger in the database, for every feature: `append` inside the caller's transaction, `verify`
(the chain, its signatures, and a replay of it against the live tables), anchors, and the one-off
signing of entries written before signatures.

The signing key comes from the settings (`KAOHE_LEDGER_KEY`, or derived from `KAOHE_SECRET_KEY`) and
is never written to the database. The composition root binds it to every session it makes
(`session.info[SESSION_KEY]`); a session made elsewhere falls back to the process's settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy.orm import Session

from kaohe.errors import Invalid
from kaohe.ledger import chain, sealer
from kaohe.ledger.chain import GENESIS, Entry, VerifyResult, canonical
from kaohe.ledger.keys import SESSION_KEY, signer_for
from kaohe.ledger.models import LedgerEntry, LedgerHead, LedgerPending
from kaohe.ledger.replay import (
    ATTACHMENT,
    TABLES,
    Comparison,
    Difference,
    Replay,
    check_file,
)
from kaohe.messages import t

if TYPE_CHECKING:
    from kaohe.auth.permissions import Principal

__all__ = ["SESSION_KEY", "append", "signer_for", "verify"]  # SESSION_KEY: where bootstrap binds the key
BATCH = 20_000


# --- writing ----------------------------------------------------------------------------------------

def append(db: Session, *, kind: str, at: datetime, payload: Mapping[str, object]) -> LedgerPending:
    """Write one entry in the caller's transaction, without waiting for anyone: it is staged as a
    signed pending row, and chained (seq, links, entry signature) when the unit of work commits, in a
    batch with everyone else's (`kaohe.ledger.sealer`). `payload` must have a canonical form (no
    floats: pass Decimal, int or str). `anchor_line(row)` chains it at once when its anchor is needed."""
    if not kind or len(kind) > 40 or any(ord(char) < 32 for char in kind):
        raise ValueError(f"kind {kind!r} must be 1-40 characters, without control characters")
    body = canonical(payload)
    row = LedgerPending(at=at, kind=kind, payload=body, signature="")
    db.add(row)
    db.flush()  # the id is part of what the pending signature covers
    row.signature = signer_for(db).pending(row.id, at, kind, body)
    db.info[sealer.APPENDED] = True
    return row


def sealed_entry(db: Session, row: LedgerPending) -> Entry:
    """The chain entry a pending row of this transaction became, chaining it now if it has not been
    (inside the caller's transaction: the head stays locked until it commits)."""
    found = db.info.get(sealer.SEALED, {}).get(row.id)
    # Chained rows leave their table, so a later row of a long transaction may get the same id (SQLite
    # reuses the highest rowid): an entry cached under the id counts only if it is this row's.
    if found is None or (found.kind, found.payload) != (row.kind, row.payload):
        found = sealer.seal_here(db).get(row.id)
    if found is None:
        raise RuntimeError(f"pending ledger row {row.id} could not be chained")
    return found


def seal(db: Session, *, wait: bool = True) -> sealer.Sealed:
    """Chain every committed pending entry now, on connections of its own (`kaohe ledger seal`)."""
    bind = db.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    return sealer.seal(engine, signer_for(db), wait=wait)


# --- reading entries ------------------------------------------------------------------------------

_ENTRIES = text("SELECT seq, at, kind, payload, prev_hash, hash, signature FROM ledger_entry "
                "WHERE seq > :after ORDER BY seq LIMIT :batch")


def _entry(raw: Sequence[Any]) -> tuple[Entry, str | None]:
    """One raw row as an Entry, whatever the database holds. A value of the wrong type (SQLite stores
    whatever it is given) makes an entry whose hash can never match, so the chain names it; the second
    value says which column was unreadable."""
    seq, at, kind, payload, prev_hash, digest, signature = raw
    moment, kind, payload, signature, problem = sealer.read_stored(at, kind, payload, signature)
    if not isinstance(prev_hash, str):
        problem, prev_hash = "prev_hash", ""
    if not isinstance(digest, str):
        problem, digest = "hash", ""
    if problem is not None:
        digest = ""
    return Entry(seq=seq, at=moment, kind=kind, payload=payload, prev_hash=prev_hash, hash=digest,
                 signature=signature), problem


def _stream(db: Session, unreadable: dict[int, str], *, batch: int = BATCH, after: int = 0) -> Iterator[Entry]:
    """Every entry in seq order, a batch at a time (constant memory); unreadable columns by seq."""
    last = after
    while True:
        rows = db.execute(_ENTRIES, {"after": last, "batch": batch}).all()
        if not rows:
            return
        for raw in rows:
            entry, problem = _entry(raw)
            if problem is not None:
                unreadable[entry.seq] = problem
            yield entry
        last = rows[-1][0]


def _head(db: Session) -> tuple[int, str, str | None] | None:
    row = db.execute(text("SELECT seq, hash, signature FROM ledger_head WHERE id = 1")).first()
    return None if row is None else (row[0], row[1], row[2])


def _lookups(db: Session) -> tuple[dict[str, int], dict[str, int]]:
    """Employee numbers and department codes → ids, for entries written before payloads carried ids."""
    staff = {no: ident for no, ident in db.execute(text("SELECT employee_no, id FROM staff"))}
    departments = {code: ident for code, ident in db.execute(text("SELECT code, id FROM department"))}
    return staff, departments


def _live(db: Session, batch: int) -> dict[str, Iterable[Mapping[str, Any]]]:
    """Every covered table, loaded in bulk (streamed in batches) as raw driver rows."""
    def rows(sql: str) -> Iterator[Mapping[str, Any]]:
        result = db.execute(text(sql).execution_options(yield_per=batch))
        for partition in result.mappings().partitions():
            yield from partition
    return {table.name: rows(table.select) for table in TABLES}


# --- verifying --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerReport:
    """The outcome of `verify`: the chain's result, and every problem found, first one first.

    `reason` says what failed first: a chain reason (`changed`, `removed`, `reordered`, `inserted`,
    `unsigned`, `forged`), or `unreadable`, `head`, `anchor`, `malformed` (an entry that cannot be
    replayed), `table` (a live row differs from the ledger). `problems` holds the first `limit`
    messages, `problem_count` how many there are in all.
    """

    chain: VerifyResult
    problems: tuple[str, ...] = ()
    problem_count: int = 0
    first_reason: str | None = None
    differences: tuple[Difference, ...] = ()
    rows: int = 0
    replayed: bool = False
    pending: int = 0  # committed entries not chained yet, checked and replayed after the chain

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def count(self) -> int:
        return self.chain.count

    @property
    def head_seq(self) -> int:
        return self.chain.head_seq

    @property
    def head_hash(self) -> str:
        return self.chain.head_hash

    @property
    def bad_seq(self) -> int | None:
        return self.chain.bad_seq

    @property
    def reason(self) -> str | None:
        return None if self.ok else self.first_reason

    @property
    def message(self) -> str:
        if not self.ok:
            return self.problems[0]
        if self.replayed:
            text = t("ledger.ok_replayed", count=self.count, head=self.head_hash, rows=self.rows)
        else:
            text = t("ledger.ok", count=self.count, head=self.head_hash)
        return text + t("ledger.ok_pending", count=self.pending) if self.pending else text

    @property
    def more(self) -> int:
        """Problems found but not listed."""
        return max(0, self.problem_count - len(self.problems))


@dataclass
class _Findings:
    limit: int
    messages: list[str] = field(default_factory=list)
    count: int = 0
    first: str | None = None

    def add(self, reason: str, message: str) -> None:
        self.count += 1
        self.first = self.first or reason
        if len(self.messages) < self.limit:
            self.messages.append(message)


def verify(db: Session, *, replay: bool = True, anchors: Sequence[str] = (), files: bool = False,
           limit: int = 20, tz: tzinfo | None = None, batch: int = BATCH) -> LedgerReport:
    """Check the whole ledger and what it covers:

    1. the chain, in seq order and constant memory: hashes, links, every entry's signature, and the
       head row (which also catches entries cut off the end or appended behind its back);
    2. the head row's own signature;
    3. each anchor line given (published earlier, kept outside): its entry is still there, same hash;
    4. the pending entries (committed, not chained yet): each one's signature;
    5. with `replay`, the state the chain and then the pending entries replay to against every covered
       table, row by row (and with `files`, each attachment's bytes against its recorded SHA-256).

    Read-only, on one snapshot of the database (PostgreSQL), so sealers and writers working meanwhile
    cannot make it see an entry twice or a row without its entry. `tz` is the zone times are named in
    (the unit's zone by default).
    """
    if tz is None:
        from kaohe.clock import zone

        tz = zone()
    with _snapshot(db) as view:
        return _verify(view, replay=replay, anchors=anchors, files=files, limit=limit, tz=tz, batch=batch)


@contextmanager
def _snapshot(db: Session) -> Iterator[Session]:
    """A read-only REPEATABLE READ view of the database on PostgreSQL (on a connection of its own when
    `db` is already inside a transaction, e.g. a page's request); `db` itself on SQLite, or when `db`
    holds uncommitted ledger writes of its own that the view must see."""
    bind = db.get_bind()
    if isinstance(bind, Connection) or bind.dialect.name != "postgresql" or db.info.get(sealer.APPENDED):
        yield db
        return
    with bind.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        view = Session(bind=conn, info=dict(db.info))
        try:
            yield view
        finally:
            view.close()


def _verify(db: Session, *, replay: bool, anchors: Sequence[str], files: bool, limit: int, tz: tzinfo,
            batch: int) -> LedgerReport:
    signer = signer_for(db)
    findings = _Findings(limit)
    head = _head(db)
    unreadable: dict[int, str] = {}
    replayer: Replay | None = None
    entries: Iterable[Entry] = _stream(db, unreadable, batch=batch)
    if replay:
        staff_ids, department_ids = _lookups(db)
        replayer = Replay(staff_ids=staff_ids, department_ids=department_ids)
        entries = _feeding(entries, replayer)
    result = chain.verify(entries, signer=signer, expected_head=None if head is None else head[:2])
    if not result.ok:
        assert result.bad_seq is not None and result.reason is not None
        if result.bad_seq in unreadable:
            findings.add("unreadable", t("ledger.unreadable", seq=result.bad_seq, what=unreadable[result.bad_seq]))
        else:
            findings.add(result.reason, result.message)
    elif head is not None and not (head[0] == 0 and head[2] is None):
        if head[2] is None:
            findings.add("head", t("ledger.head_unsigned", seq=head[0]))
        elif not signer.matches(head[2], signer.head(head[0], head[1])):
            findings.add("head", t("ledger.head_forged", seq=head[0]))
    for line in anchors:
        problem = _anchor_problem(db, line, head_seq=head[0] if head else 0)
        if problem is not None:
            findings.add("anchor", problem)
    pending = _pending(db, findings, batch=batch)
    comparison = Comparison()
    replayed = False
    if replayer is not None and result.ok:
        _replay_pending(replayer, pending, after=result.head_seq)
        for problem in replayer.problems:
            findings.add("malformed", problem.message)
        comparison = replayer.compare(_live(db, batch), limit=limit)
        replayed = True
        for difference in comparison.differences:
            findings.add("table", difference.message(tz))
        findings.count += comparison.count - len(comparison.differences)
        if files:
            for difference in _files(db):
                findings.add("table", difference.message(tz))
    return LedgerReport(chain=result, problems=tuple(findings.messages), problem_count=findings.count,
                        first_reason=findings.first, differences=tuple(comparison.differences),
                        rows=comparison.rows, replayed=replayed, pending=len(pending))


def _pending(db: Session, findings: _Findings | None, *, batch: int) -> list[sealer.Pending]:
    """The genuine pending entries in id order (the order the sealer will chain them); each one whose
    signature fails (edited, inserted or renumbered in SQL before it was chained) is reported."""
    genuine: list[sealer.Pending] = []
    signer = signer_for(db)
    last = None
    while rows := sealer.pending_rows(db, after=last, batch=batch):
        for row in rows:
            if row.genuine(signer):
                genuine.append(row)
            elif findings is not None:
                message = (t("ledger.pending_unreadable", id=row.id, what=row.problem) if row.problem
                           else t("ledger.pending_forged", id=row.id, kind=row.kind))
                findings.add("pending", message)
        last = rows[-1].id
        if not isinstance(last, int):
            break
    return genuine


def _replay_pending(replayer: Replay, pending: Iterable[sealer.Pending], *, after: int) -> None:
    """Feed pending entries after the chain, under the numbers the sealer will give them."""
    for offset, row in enumerate(pending, start=1):
        replayer.feed(Entry(seq=after + offset, at=row.at, kind=row.kind, payload=row.payload, prev_hash="",
                            hash=""))


def _feeding(entries: Iterable[Entry], replayer: Replay) -> Iterator[Entry]:
    for entry in entries:
        replayer.feed(entry)
        yield entry


def _files(db: Session) -> Iterator[Difference]:
    """Each attachment's bytes against its sha256 and size columns, one file at a time."""
    last = 0
    while True:
        rows = db.execute(text(f"SELECT id, data, sha256, size FROM {ATTACHMENT.name} WHERE id > :after "
                               "ORDER BY id LIMIT 50"), {"after": last}).all()
        if not rows:
            return
        for ident, data, sha256, size in rows:
            difference = check_file(ident, data, sha256, size)
            if difference is not None:
                yield difference
        last = rows[-1][0]


# --- anchors ---------------------------------------------------------------------------------------

def anchor_line(row: LedgerEntry | LedgerPending | Entry, at: datetime | None = None) -> str:
    """The anchor line of one entry (anchored at `at`, its own time by default); a pending entry of the
    caller's transaction is chained first, so its seq and hash exist."""
    if isinstance(row, LedgerPending):
        from sqlalchemy.orm import object_session

        db = object_session(row)
        assert db is not None, "a pending entry is anchored in the transaction that wrote it"
        row = sealed_entry(db, row)
    entry = row if isinstance(row, Entry) else Entry(seq=row.seq, at=row.at, kind=row.kind, payload=b"",
                                                      prev_hash=row.prev_hash, hash=row.hash)
    return chain.anchor(entry, at or entry.at)


def anchor(db: Session, *, now: datetime) -> str:
    """The line to publish for the current last entry."""
    row = db.execute(select(LedgerEntry.seq, LedgerEntry.at, LedgerEntry.prev_hash, LedgerEntry.hash)
                     .order_by(LedgerEntry.seq.desc()).limit(1)).first()
    if row is None:
        return chain.anchor(None, now)
    return chain.anchor(Entry(seq=row.seq, at=row.at, kind="", payload=b"", prev_hash=row.prev_hash,
                              hash=row.hash), now)


def anchor_seq(db: Session) -> int:
    """The number of the last chained entry (0: none)."""
    return db.scalar(select(LedgerHead.seq).where(LedgerHead.id == 1)) or 0


def _anchor_problem(db: Session, line: str, *, head_seq: int) -> str | None:
    try:
        seq, digest = chain.parse_anchor(line)
    except ValueError:
        return t("ledger.anchor_unreadable")
    if seq == 0:
        return None if digest == GENESIS else t("ledger.anchor_mismatch", seq=0, actual=GENESIS, expected=digest)
    actual = db.scalar(text("SELECT hash FROM ledger_entry WHERE seq = :seq"), {"seq": seq})
    if actual is None:
        return t("ledger.anchor_missing", seq=seq, head=head_seq)
    if actual != digest:
        return t("ledger.anchor_mismatch", seq=seq, actual=actual, expected=digest)
    return None


def check_anchor(db: Session, line: str) -> str | None:
    """None when the chain still holds the anchored entry with the anchored hash, else why not."""
    head = _head(db)
    return _anchor_problem(db, line, head_seq=head[0] if head else 0)


def entry_for(db: Session, *, kind: str, at: datetime, match: Mapping[str, object]) -> LedgerEntry | None:
    """The entry of `kind` written at `at` whose payload holds every item of `match` (e.g. the month
    close of one department), found through the (kind, at) index. When it is still pending, the
    pending entries are chained first (in the caller's transaction)."""
    found = _entry_for(db, kind=kind, at=at, match=match)
    if found is None and db.scalar(select(LedgerPending.id).where(LedgerPending.kind == kind,
                                                                  LedgerPending.at == at).limit(1)) is not None:
        sealer.seal_here(db)
        found = _entry_for(db, kind=kind, at=at, match=match)
    return found


def _entry_for(db: Session, *, kind: str, at: datetime, match: Mapping[str, object]) -> LedgerEntry | None:
    for row in db.scalars(select(LedgerEntry).where(LedgerEntry.kind == kind, LedgerEntry.at == at)
                          .order_by(LedgerEntry.seq)):
        try:
            payload = json.loads(bytes(row.payload))
        except (ValueError, TypeError, RecursionError):
            continue
        if isinstance(payload, dict) and all(payload.get(key) == value for key, value in match.items()):
            return row
    return None


def anchor_of(db: Session, *, kind: str, at: datetime, match: Mapping[str, object]) -> str | None:
    """The anchor line of the entry `entry_for` finds (None when there is none)."""
    row = entry_for(db, kind=kind, at=at, match=match)
    return None if row is None else anchor_line(row)


# --- signing legacy entries -------------------------------------------------------------------------

@dataclass(frozen=True)
class Signed:
    count: int
    anchor: str


def sign_legacy(db: Session, *, actor: Principal | None, now: datetime, batch: int = BATCH) -> Signed:
    """Sign, once, the entries written before signatures existed (migration 0004 leaves them NULL).

    Refuses unless the whole ledger is otherwise sound: the chain and the head row agree, every
    entry already signed carries a valid signature, the unsigned entries are the oldest ones (an
    unsigned entry after a signed one is a signature erased, not a legacy entry), and the replay
    matches every covered table. Stages the updates; the edge commits. Returns how many entries it
    signed and the anchor line to publish afterwards.
    """
    signer = signer_for(db)
    head = _head(db)
    unreadable: dict[int, str] = {}
    result = chain.verify(_stream(db, unreadable, batch=batch), expected_head=None if head is None else head[:2])
    if not result.ok:
        assert result.bad_seq is not None
        message = (t("ledger.unreadable", seq=result.bad_seq, what=unreadable[result.bad_seq])
                   if result.bad_seq in unreadable else result.message)
        raise Invalid(t("ledger.sign_legacy_refused", message=message))
    unsigned: list[tuple[int, str]] = []
    last_signed = 0
    for entry in _stream(db, unreadable, batch=batch):
        if entry.signature is None:
            if last_signed:
                raise Invalid(t("ledger.sign_legacy_refused",
                                message=t("ledger.sign_legacy_gap", seq=entry.seq, signed=last_signed)))
            unsigned.append((entry.seq, entry.hash))
        elif not signer.matches(entry.signature, signer.entry(entry.hash)):
            raise Invalid(t("ledger.sign_legacy_refused", message=t("ledger.forged", seq=entry.seq)))
        else:
            last_signed = entry.seq
    staff_ids, department_ids = _lookups(db)
    replayer = Replay(staff_ids=staff_ids, department_ids=department_ids).feed_all(
        _stream(db, unreadable, batch=batch))
    refused = _Findings(1)
    _replay_pending(replayer, _pending(db, refused, batch=batch), after=result.head_seq)
    if refused.messages:
        raise Invalid(t("ledger.sign_legacy_refused", message=refused.messages[0]))
    if replayer.problems:
        raise Invalid(t("ledger.sign_legacy_refused", message=replayer.problems[0].message))
    comparison = replayer.compare(_live(db, batch), limit=1)
    if not comparison.ok:
        from kaohe.clock import zone

        raise Invalid(t("ledger.sign_legacy_refused", message=comparison.differences[0].message(zone())))
    for start in range(0, len(unsigned), batch):  # ORM bulk UPDATE by primary key
        db.execute(update(LedgerEntry), [{"seq": seq, "signature": signer.entry(digest)}
                                         for seq, digest in unsigned[start:start + batch]])
    if head is not None and head[0] > 0:
        db.execute(update(LedgerHead).where(LedgerHead.id == 1).values(signature=signer.head(head[0], head[1])))
    if unsigned:
        from kaohe.audit import service as audit

        audit.record(db, actor=actor, action="ledger.sign_legacy", entity_type="ledger_entry",
                     entity_id=f"{unsigned[0][0]}-{unsigned[-1][0]}",
                     summary=t("ledger.audit_sign_legacy", count=len(unsigned), first=unsigned[0][0],
                               last=unsigned[-1][0]))
    sealer.seal_here(db)  # the anchor then covers the audit row of the signing too
    return Signed(count=len(unsigned), anchor=anchor(db, now=now))
