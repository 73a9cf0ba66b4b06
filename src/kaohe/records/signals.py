"""Quality signals on daily records for leaders and inspectors (R2–R5). Pure: standard library only.

Each function takes plain records and returns plain dataclasses holding the evidence: which records,
whose, how similar, how many, how late. A signal is a prompt to look, never a verdict: the leader
confirming records (R4) and the inspector decide. `docs/ledger.md` describes the thresholds.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kaohe.messages import t

SHINGLE = 3  # characters per shingle: a Chinese word is one to four characters
EXCERPT_MAX = 40  # characters of the longest shared passage kept as evidence


@dataclass(frozen=True)
class TextRecord:
    """A daily record as the signals see it."""

    id: Hashable
    author_id: Hashable
    title: str
    text: str
    ended_at: datetime
    entered_at: datetime


@dataclass(frozen=True)
class DuplicatePair:
    """Two records whose texts are nearly the same. `first` was entered earlier (the likely original)."""

    first_id: Hashable
    second_id: Hashable
    first_author: Hashable
    second_author: Hashable
    similarity: float  # Jaccard similarity of the character 3-gram sets, 0–1
    shared: int  # 3-grams both texts contain
    excerpt: str  # the longest passage both texts share (at most EXCERPT_MAX characters)

    @property
    def same_author(self) -> bool:
        return self.first_author == self.second_author

    @property
    def message(self) -> str:
        key = "records.signals.duplicate" if self.same_author else "records.signals.duplicate_colleague"
        return t(key, first=self.first_id, second=self.second_id, first_author=self.first_author,
                 second_author=self.second_author, similarity=self.similarity)


@dataclass(frozen=True)
class Burst:
    """Many records by one author entered in the window just before a deadline (突击补录)."""

    author_id: Hashable
    count: int  # records entered inside the window
    total: int  # all records of the author in the input
    first_at: datetime
    last_at: datetime
    window_start: datetime
    deadline: datetime

    @property
    def share(self) -> float:
        return self.count / self.total

    @property
    def message(self) -> str:
        hours = round((self.deadline - self.window_start) / timedelta(hours=1))
        return t("records.signals.burst", author=self.author_id, deadline=self.deadline.isoformat(),
                 hours=hours, count=self.count, share=self.share)


@dataclass(frozen=True)
class ShortRecord:
    """A record whose text has fewer meaningful characters than the minimum."""

    record_id: Hashable
    author_id: Hashable
    chars: int
    min_chars: int

    @property
    def message(self) -> str:
        return t("records.signals.too_short", record=self.record_id, chars=self.chars,
                 min_chars=self.min_chars)


@dataclass(frozen=True)
class LateRecord:
    """A record entered more than the time limit after its work ended (R3)."""

    record_id: Hashable
    author_id: Hashable
    ended_at: datetime
    entered_at: datetime
    hours: float  # hours between the end of the work and the entry
    limit_hours: float

    @property
    def message(self) -> str:
        return t("records.signals.late", record=self.record_id, hours=self.hours, limit=self.limit_hours)


def meaningful(text: str) -> str:
    """`text` reduced to what carries content: NFKC, lower case, letters and digits only.

    Spaces, punctuation and symbols go, so re-punctuating or re-spacing a copied text changes nothing.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(char for char in folded if unicodedata.category(char)[0] in "LN")


def shingles(text: str) -> frozenset[str]:
    """The set of character 3-grams of the meaningful part of `text`."""
    core = meaningful(text)
    return frozenset(core[i:i + SHINGLE] for i in range(len(core) - SHINGLE + 1))


def _excerpt(first: str, second: str) -> str:
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    match = matcher.find_longest_match(0, len(first), 0, len(second))
    return first[match.a:match.a + min(match.size, EXCERPT_MAX)]


def near_duplicates(records: Sequence[TextRecord], *, threshold: float = 0.85,
                    min_shingles: int = 5) -> list[DuplicatePair]:
    """Every pair of records, same author or not, whose 3-gram sets have Jaccard similarity ≥ threshold.

    Exact, not sampled: an all-pairs similarity join with prefix and positional filtering (PPJoin).
    Shingles are ranked rarest first; two sets with Jaccard ≥ t must share one of the first
    |s| − ⌈t·|s|⌉ + 1 shingles of each, their sizes differ by at most the factor t, and they share at
    least t ÷ (1 + t) × (|x| + |y|) shingles, so only records meeting all three are compared in full.
    Texts with fewer than `min_shingles` shingles are left to `too_short`. Most similar pairs first.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must lie in (0, 1]")
    sets = [shingles(record.text) for record in records]
    frequency: dict[str, int] = defaultdict(int)
    for shingle_set in sets:
        for shingle in shingle_set:
            frequency[shingle] += 1
    # Rarest first, ties by the shingle itself so the result does not depend on hashing.
    rank = {shingle: index for index, shingle in enumerate(sorted(frequency, key=lambda s: (frequency[s], s)))}
    ordered = [sorted(rank[s] for s in shingle_set) for shingle_set in sets]
    members = [index for index in range(len(records)) if len(ordered[index]) >= min_shingles]
    members.sort(key=lambda index: (len(ordered[index]), index))

    eps = 1e-9  # keep float error on the safe side: longer prefixes, looser bounds
    ratio = threshold / (1 + threshold)
    # Posting lists, shingle rank -> [(record, position of the shingle in it)], in increasing record
    # size; `skip` drops from the front those now too small for every later (larger) record.
    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    skip: dict[int, int] = defaultdict(int)
    found: list[tuple[int, int, float, int]] = []
    for x in members:
        tokens = ordered[x]
        size = len(tokens)
        prefix = size - math.ceil(threshold * size - eps) + 1
        min_size = threshold * size - eps
        overlap: dict[int, int] = {}  # candidate -> shared prefix shingles so far, -1 once pruned
        for i, token in enumerate(tokens[:prefix]):
            listed = postings[token]
            first = skip[token]
            while first < len(listed) and len(ordered[listed[first][0]]) < min_size:
                first += 1
            skip[token] = first
            for y, j in listed[first:] if first else listed:
                seen = overlap.get(y, 0)
                if seen < 0:
                    continue
                # Positional filter: the overlap cannot exceed what is found so far plus what is left.
                needed = math.ceil(ratio * (size + len(ordered[y])) - eps)
                if seen + 1 + min(size - i - 1, len(ordered[y]) - j - 1) >= needed:
                    overlap[y] = seen + 1
                else:
                    overlap[y] = -1
            listed.append((x, i))
        for y, seen in overlap.items():
            if seen < 0:
                continue
            shared = len(sets[x] & sets[y])
            similarity = shared / (size + len(ordered[y]) - shared)
            if similarity >= threshold - eps:
                found.append((x, y, similarity, shared))

    pairs = []
    for x, y, similarity, shared in found:
        a, b = records[x], records[y]
        if (b.entered_at, str(b.id)) < (a.entered_at, str(a.id)):
            a, b = b, a
        pairs.append(DuplicatePair(a.id, b.id, a.author_id, b.author_id, similarity, shared,
                                   _excerpt(a.text, b.text)))
    pairs.sort(key=lambda pair: (-pair.similarity, str(pair.first_id), str(pair.second_id)))
    return pairs


def bursts(entries: Iterable[tuple[Hashable, datetime]], *, deadline: datetime, window_hours: float = 48,
           min_count: int = 5) -> list[Burst]:
    """Authors with at least `min_count` entries in the `window_hours` before `deadline` (inclusive).

    `entries` are `(author_id, entered_at)`, e.g. a month's records; call once per deadline (month
    close, quarter end). Largest bursts first.
    """
    if window_hours <= 0 or min_count < 1:
        raise ValueError("window_hours must be positive and min_count at least 1")
    start = deadline - timedelta(hours=window_hours)
    total: dict[Hashable, int] = defaultdict(int)
    inside: dict[Hashable, list[datetime]] = defaultdict(list)
    for author, entered_at in entries:
        total[author] += 1
        if start <= entered_at <= deadline:
            inside[author].append(entered_at)
    found = [Burst(author, len(times), total[author], min(times), max(times), start, deadline)
             for author, times in inside.items() if len(times) >= min_count]
    found.sort(key=lambda burst: (-burst.count, -burst.share, str(burst.author_id)))
    return found


def too_short(records: Iterable[TextRecord], *, min_chars: int = 20) -> list[ShortRecord]:
    """Records whose text has fewer than `min_chars` letters and digits (R2: no empty chronicle)."""
    found = []
    for record in records:
        chars = len(meaningful(record.text))
        if chars < min_chars:
            found.append(ShortRecord(record.id, record.author_id, chars, min_chars))
    return found


def late(records: Iterable[TextRecord], *, limit_hours: float = 24) -> list[LateRecord]:
    """Records entered more than `limit_hours` after their work ended (R3; the scheme's
    `deadlines.record_entry.hours`). Latest first."""
    limit = timedelta(hours=limit_hours)
    found = []
    for record in records:
        delay = record.entered_at - record.ended_at
        if delay > limit:
            found.append(LateRecord(record.id, record.author_id, record.ended_at, record.entered_at,
                                    delay / timedelta(hours=1), limit_hours))
    found.sort(key=lambda item: (-item.hours, str(item.record_id)))
    return found
