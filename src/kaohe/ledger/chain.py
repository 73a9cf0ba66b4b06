"""The tamper-evident ledger (R5): a SHA-256 hash chain whose entries are signed with a key.
Pure: standard library only, no database, no clock.

Every entry carries its sequence number, its time, its kind, its payload as canonical JSON bytes, the
hash of the entry before it, its own hash over all of these, and an HMAC-SHA256 signature of that hash
made with a key the database never sees. `verify` walks a chain once, in constant memory, and names
the first entry that was changed, removed, moved, slipped in, or rewritten without the key.
`docs/ledger.md` describes the format and what each kind of attacker can and cannot do.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from kaohe.messages import t

GENESIS = "0" * 64
FIRST_SEQ = 1
FRAME_VERSION = b"kaohe.ledger.v1"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

CHANGED = "changed"
REMOVED = "removed"
REORDERED = "reordered"
INSERTED = "inserted"
UNSIGNED = "unsigned"  # sound, but carries no signature (written before signatures, or the signature erased)
FORGED = "forged"  # sound, but its signature does not match: rewritten and re-hashed without the key
REASONS = (CHANGED, REMOVED, REORDERED, INSERTED, UNSIGNED, FORGED)

# Domain labels: an entry's signature can never pass for the head's, nor the other way round.
_ENTRY_LABEL = b"kaohe.ledger.v1.entry;"
_HEAD_LABEL = b"kaohe.ledger.v1.head;"
_PENDING_LABEL = b"kaohe.ledger.v1.pending;"

# The first number before a 64-hex hash: the anchor's seq, whatever the wording around it.
_ANCHOR = re.compile(r"(\d+)\D*?\b([0-9a-f]{64})\b")


# --- canonical JSON ---------------------------------------------------------------------------------

def _instant(at: datetime) -> str:
    """`at` in UTC, always with microseconds and the explicit offset `+00:00` (fixed length)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: ledger times must carry a UTC offset")
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def _decimal(value: Decimal) -> str:
    """The plain decimal form without exponent or trailing zeros: 1.50 → "1.5", 1E+2 → "100"."""
    if not value.is_finite():
        raise ValueError(f"{value} cannot be written to the ledger")
    if value == 0:
        return "0"  # also folds -0 into 0
    return format(value.normalize(), "f")


def _plain(value: Any, path: str) -> Any:
    """`value` as plain JSON data (dict, list, str, int, bool, None), or a TypeError naming where."""
    # Order matters: bool before int, Enum before its base type, datetime before date.
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value, path)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        raise TypeError(
            f"float at {path}: the ledger refuses floats (their text form is not canonical "
            "across languages); pass a Decimal, an int or a str")
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"key {key!r} at {path}: ledger keys must be str")
            plain[key] = _plain(item, f"{path}.{key}")
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{type(value).__name__} at {path} cannot be written to the ledger")


def canonical(payload: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of `payload`: same data, same bytes, whatever the key order."""
    if not isinstance(payload, Mapping):
        raise TypeError("a ledger payload must be a mapping")
    return json.dumps(_plain(payload, "$"), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def digest(value: Any) -> str:
    """SHA-256 (hex) of any JSON value as the database gives it back (floats allowed, keys sorted): how
    the ledger covers free text and JSON columns it does not copy, e.g. an audit row's summary."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- entries ------------------------------------------------------------------------------------------

def entry_hash(seq: int, at: datetime, kind: str, payload_bytes: bytes, prev_hash: str) -> str:
    """SHA-256 (hex) over the framing `kaohe.ledger.v1;seq;µs;len:kind;len:prev_hash;len:` + payload.

    `µs` is `at` as whole microseconds since 1970-01-01 UTC (the same instant gives the same number
    whatever its offset, and it is five times cheaper than ISO text). Every variable field is
    length-prefixed, so no two different entries share a framing; `seq` and `prev_hash` are inside,
    so moving or dropping an entry breaks the chain.
    """
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {at!r}: ledger times must carry a UTC offset")
    kind_bytes = kind.encode("utf-8")
    prev_bytes = prev_hash.encode("ascii")
    header = b"%s;%d;%d;%d:%s;%d:%s;%d:" % (
        FRAME_VERSION, seq, (at - EPOCH) // MICROSECOND, len(kind_bytes), kind_bytes,
        len(prev_bytes), prev_bytes, len(payload_bytes))
    digest = hashlib.sha256(header)
    digest.update(payload_bytes)
    return digest.hexdigest()


# --- signatures ---------------------------------------------------------------------------------------

class Signer:
    """HMAC-SHA256 with one key, the keyed state computed once (copying it is cheaper than re-keying)."""

    __slots__ = ("_base",)

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("the ledger key must not be empty")
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def _mac(self, message: bytes) -> str:
        mac = self._base.copy()
        mac.update(message)
        return mac.hexdigest()

    def entry(self, entry_hash_hex: str) -> str:
        """The signature of the entry whose hash is `entry_hash_hex` (the hash covers every field)."""
        return self._mac(_ENTRY_LABEL + entry_hash_hex.encode("ascii"))

    def head(self, seq: int, head_hash: str) -> str:
        """The signature of the head row `(seq, hash)`."""
        return self._mac(_HEAD_LABEL + b"%d;%s" % (seq, head_hash.encode("ascii")))

    def pending(self, ident: int, at: datetime, kind: str, payload_bytes: bytes) -> str:
        """The signature of a pending entry (written, not yet chained): its number, time, kind and
        payload, framed like `entry_hash` so no two different pending rows share a message."""
        if at.tzinfo is None:
            raise ValueError(f"naive datetime {at!r}: ledger times must carry a UTC offset")
        kind_bytes = kind.encode("utf-8")
        return self._mac(_PENDING_LABEL + b"%d;%d;%d:%s;%d:" % (
            ident, (at - EPOCH) // MICROSECOND, len(kind_bytes), kind_bytes, len(payload_bytes)) + payload_bytes)

    def matches(self, signature: str | None, expected: str) -> bool:
        return signature is not None and hmac.compare_digest(signature, expected)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry; `payload` is canonical JSON bytes, `hash` covers every other field but the
    signature, and `signature` is the HMAC of `hash` (None: written unsigned)."""

    seq: int
    at: datetime
    kind: str
    payload: bytes
    prev_hash: str
    hash: str
    signature: str | None = None

    def content(self) -> Any:
        """The payload decoded back to JSON data."""
        return json.loads(self.payload)


def next_entry(prev: Entry | None, *, seq: int, at: datetime, kind: str,
               payload: Mapping[str, Any] | bytes, signer: Signer | None = None) -> Entry:
    """The entry following `prev` (None: the first entry of a chain, seq 1 after GENESIS), signed
    with `signer` when given.

    `payload` is a mapping (made canonical here) or bytes already in canonical form (e.g. read back
    from storage). `seq` must be the next number: a writer that lost a race finds out here.
    """
    expected = FIRST_SEQ if prev is None else prev.seq + 1
    if seq != expected:
        raise ValueError(f"seq {seq} does not follow: expected {expected}")
    if not kind or any(ord(char) < 32 for char in kind):
        raise ValueError(f"kind {kind!r} must be non-empty, without control characters")
    payload_bytes = payload if isinstance(payload, bytes) else canonical(payload)
    prev_hash = GENESIS if prev is None else prev.hash
    digest = entry_hash(seq, at, kind, payload_bytes, prev_hash)
    return Entry(seq, at, kind, payload_bytes, prev_hash, digest,
                 None if signer is None else signer.entry(digest))


def chain(items: Iterable[tuple[datetime, str, Mapping[str, Any] | bytes]], *,
          after: Entry | None = None, signer: Signer | None = None) -> Iterator[Entry]:
    """Entries for `(at, kind, payload)` items, numbered on from `after` (None: a new chain)."""
    prev = after
    for at, kind, payload in items:
        prev = next_entry(prev, seq=FIRST_SEQ if prev is None else prev.seq + 1, at=at, kind=kind,
                          payload=payload, signer=signer)
        yield prev


# --- verification -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VerifyResult:
    """The outcome of `verify`.

    `count`, `head_seq` and `head_hash` describe the entries found sound: all of them when `ok`, those
    before the first bad one otherwise (`head_seq` 0 and `head_hash` GENESIS when none is). On failure
    `bad_seq` is the sequence number of the first entry that is not what the chain says it should be,
    and `reason` one of `changed`, `removed`, `reordered`, `inserted`, `unsigned`, `forged`.
    """

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    reason: str | None = None

    @property
    def message(self) -> str:
        """The outcome in Chinese, for a page or a report."""
        if self.ok:
            return t("ledger.ok", count=self.count, head=self.head_hash)
        return t(f"ledger.{self.reason}", seq=self.bad_seq)


def _self_consistent(entry: Entry) -> bool:
    return entry_hash(entry.seq, entry.at, entry.kind, entry.payload, entry.prev_hash) == entry.hash


REORDER_WINDOW = 10_000  # how far from its place a moved entry is looked for


def _belongs_elsewhere(entry: Entry) -> bool:
    """An intact entry carrying another number: rows whose seq values were swapped (reordered).
    Its hash, which covers its true seq, matches a nearby seq; this runs only on the failure path."""
    for distance in range(1, REORDER_WINDOW + 1):
        for seq in (entry.seq + distance, entry.seq - distance):
            if seq >= FIRST_SEQ and entry_hash(seq, entry.at, entry.kind, entry.payload, entry.prev_hash) == entry.hash:
                return True
    return False


def verify(entries: Iterable[Entry], *, signer: Signer | None = None, after: Entry | None = None,
           expected_head: tuple[int, str] | None = None) -> VerifyResult:
    """Check a chain in one pass and constant memory; name the first bad entry and why.

    With `signer`, every entry must also carry the signature of its hash: a missing one is
    **unsigned**, a wrong one **forged** (the entry was rewritten and re-hashed by someone without the
    key, or the key is not the one the chain was written with). Without it, only the hashes are checked.
    `after` continues a chain already verified (its last entry); None starts at seq 1 after GENESIS.
    `expected_head` is the `(seq, hash)` the chain must end on (a head kept elsewhere, or a published
    anchor): without it, entries cut off the end of a chain go unnoticed.
    The checks, for each entry in turn against the last sound one (`prev`):

    - **inserted**: it claims the same parent as `prev` (two entries for one place; `prev` or it
      was slipped in), or its own hash fails and the entry after it links straight to `prev`;
    - **removed** / **reordered**: its seq skips ahead. The rest of the stream is then scanned for
      the missing numbers: found later means the order was changed, never found means removed;
    - **reordered**: its seq goes backwards;
    - **changed**: its hash does not match its content, or it does not link to `prev` although both
      are self-consistent (then `prev` was rewritten and re-hashed, and `prev` is named).
    """
    stream = iter(entries)
    seq = FIRST_SEQ - 1 if after is None else after.seq
    head = GENESIS if after is None else after.hash
    parent: str | None = None  # prev's own prev_hash, once prev was read from this stream
    back_seq, back_hash = seq, head  # the state before prev, to name prev itself
    count = 0

    def failed(bad_seq: int, reason: str, *, drop_prev: bool = False) -> VerifyResult:
        if drop_prev:
            return VerifyResult(False, count - 1, back_seq, back_hash, bad_seq, reason)
        return VerifyResult(False, count, seq, head, bad_seq, reason)

    hash_of = entry_hash
    for entry in stream:
        if (entry.seq == seq + 1 and entry.prev_hash == head
                and hash_of(entry.seq, entry.at, entry.kind, entry.payload, entry.prev_hash) == entry.hash):
            if signer is not None and not signer.matches(entry.signature, signer.entry(entry.hash)):
                return failed(entry.seq, UNSIGNED if entry.signature is None else FORGED)
            back_seq, back_hash, parent = seq, head, head
            seq, head = entry.seq, entry.hash
            count += 1
            continue
        # Something is wrong with this entry: classify it.
        if count and entry.prev_hash == parent and entry.seq in (seq, seq + 1):
            return failed(seq, INSERTED, drop_prev=True)
        if entry.seq > seq + 1:
            low, high = seq + 1, entry.seq - 1
            moved = any(low <= later.seq <= high for later in stream)
            return failed(low, REORDERED if moved else REMOVED)
        if entry.seq <= seq:
            return failed(entry.seq, REORDERED)
        if not _self_consistent(entry):
            if _belongs_elsewhere(entry):
                return failed(entry.seq, REORDERED)
            following = next(stream, None)
            if following is not None and following.prev_hash == head:
                return failed(entry.seq, INSERTED)
            return failed(entry.seq, CHANGED)
        # Self-consistent, in sequence, but not linked to prev: prev was rewritten and re-hashed.
        return failed(seq, CHANGED, drop_prev=True)
    if expected_head is not None and (seq, head) != tuple(expected_head):
        expected_seq = expected_head[0]
        if seq < expected_seq:
            return failed(seq + 1, REMOVED)  # cut off the end
        if seq > expected_seq:
            return failed(expected_seq + 1, INSERTED)  # appended behind the head's back
        return failed(seq, CHANGED, drop_prev=True)  # the last entry rewritten and re-hashed
    return VerifyResult(True, count, seq, head)


def anchor(head: Entry | None, at: datetime) -> str:
    """One line to publish outside the system (notice board, e-mail to the inspectors, a newspaper):
    whoever holds it can later prove the chain up to `head` was not rewritten. None: an empty chain."""
    if head is None:
        return t("ledger.anchor", seq=FIRST_SEQ - 1, hash=GENESIS, at=_shown(at))
    return t("ledger.anchor", seq=head.seq, hash=head.hash, at=_shown(at))


def _shown(at: datetime) -> str:
    """When an anchor was taken, as the people it is published to read it: the unit's local time, to the
    minute (only the seq and the hash are checked, so nothing finer is needed)."""
    from kaohe.clock import local

    return f"{local(at):%Y-%m-%d %H:%M}"


def parse_anchor(text: str) -> tuple[int, str]:
    """The `(seq, hash)` in an anchor line, to pass to `verify(..., expected_head=...)`."""
    match = _ANCHOR.search(text)
    if match is None:
        raise ValueError("not a ledger anchor")
    return int(match.group(1)), match.group(2)
