"""Grades for a whole population in one vectorised pass (G1, G5, B2, B4). Pure: NumPy only.

The rules, in the order they apply (docs/scoring.md explains them with examples):

1. **Bands** (G1): a score at or above a grade's `min_score` reaches it; the best grade reached
   wins. A score below every band gets the worst grade.
2. **Veto** (B4): a vetoed person gets the worst grade (不合格), whatever the score.
3. **Caps** (G5, `max_share`), best grade first: within each quota group at most
   `rounding(max_share × n / 100)` people keep the grade; the excess, lowest scores first, drop
   one grade. Their drop is counted against the next grade's cap.
4. **Floors** (G5, `min_share`), worst grade first: within each group at least
   `rounding(min_share × n / 100)` people must be at that grade *or worse*; if fewer are, the
   lowest-scoring people above it are moved down to it.

Within a group, people are ordered by score (higher first) and then by `tiebreak` (smaller
first), so equal scores are resolved the same way every time. `n` is the size of the group,
vetoed people included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ROUNDINGS = ("floor", "ceil", "round")


@dataclass(frozen=True)
class GradeBand:
    """A grade and the lowest score reaching it."""

    code: str
    min_score: float


@dataclass(frozen=True)
class QuotaRule:
    """A share limit on one grade, in percent of the group; `rounding` None means the default."""

    grade: str
    max_share: float | None = None
    min_share: float | None = None
    rounding: str | None = None


def head_count(share: float, sizes: np.ndarray, rounding: str) -> np.ndarray:
    """`share` percent of each group size as a whole number of people."""
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}")
    # share × n / 100, rounded to 9 places first so that 15% of 20 is 3, not 3.0000000000000004.
    exact = np.round(share * sizes.astype(np.float64) / 100.0, 9)
    if rounding == "floor":
        counts = np.floor(exact)
    elif rounding == "ceil":
        counts = np.ceil(exact)
    else:
        counts = np.floor(exact + 0.5)  # half up, not NumPy's half to even
    return counts.astype(np.int64)


def _positions(subset: np.ndarray, group: np.ndarray, score: np.ndarray, key: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """`subset` ordered by group, then `score` descending, then `key` ascending; and each one's
    1-based position within its group."""
    ordered = subset[np.lexsort((key[subset], -score[subset], group[subset]))]
    groups = group[ordered]
    starts = np.flatnonzero(np.concatenate(([True], groups[1:] != groups[:-1])))
    lengths = np.diff(np.concatenate((starts, [len(groups)])))
    return ordered, np.arange(len(groups)) - np.repeat(starts, lengths) + 1


def assign_grades(
    scores: np.ndarray,
    vetoed: np.ndarray,
    bands: Sequence[GradeBand],
    quotas: Sequence[QuotaRule] = (),
    rounding: str = "floor",
    *,
    groups: np.ndarray | None = None,
    tiebreak: np.ndarray | None = None,
) -> np.ndarray:
    """The grade code of every person, with vetoes and the per-group quotas applied."""
    scores = np.asarray(scores, dtype=np.float64)
    vetoed = np.asarray(vetoed, dtype=bool)
    n = scores.shape[0]
    if scores.ndim != 1 or vetoed.shape != (n,):
        raise ValueError("scores and vetoed must be 1-d arrays of the same length")
    if np.isnan(scores).any():
        raise ValueError("scores contain NaN")
    if not bands:
        raise ValueError("at least one grade band is needed")
    ordered = sorted(bands, key=lambda band: -band.min_score)
    codes = np.array([band.code for band in ordered])
    rank_of = {band.code: index for index, band in enumerate(ordered)}
    worst = len(ordered) - 1

    # 1. Bands: rank 0 is the best grade. Thresholds ascending for searchsorted.
    ascending = np.array([band.min_score for band in reversed(ordered)], dtype=np.float64)
    reached = np.searchsorted(ascending, scores, side="right") - 1  # -1: below every band
    ranks = np.where(reached < 0, worst, worst - reached).astype(np.int64)
    # 2. Veto.
    ranks[vetoed] = worst
    if n == 0 or not quotas:
        return codes[ranks]

    group_ids = np.zeros(n, dtype=np.int64) if groups is None else np.asarray(groups)
    keys = np.arange(n) if tiebreak is None else np.asarray(tiebreak)
    if group_ids.shape != (n,) or keys.shape != (n,):
        raise ValueError("groups and tiebreak must have one entry per person")
    _unique, compact = np.unique(group_ids, return_inverse=True)
    sizes = np.bincount(compact)
    # Only the people a rule can move are sorted: those at the capped grade, and for a floor
    # those just above it. Ranks follow the order (score desc, tiebreak asc) for everyone not
    # vetoed, so sorting one grade at a time gives the same result as sorting everyone.
    rules = [rule for rule in quotas if rule.grade in rank_of]
    # 3. Caps, best grade first, so a demoted excess meets the next grade's cap.
    for rule in sorted(rules, key=lambda rule: rank_of[rule.grade]):
        rank = rank_of[rule.grade]
        if rule.max_share is None or rank == worst:
            continue
        cap = head_count(rule.max_share, sizes, rule.rounding or rounding)
        ordered, position = _positions(np.flatnonzero(ranks == rank), compact, scores, keys)
        ranks[ordered[position > cap[compact[ordered]]]] = rank + 1
    # 4. Floors, worst grade first: push the lowest people above the grade down to it,
    #    taking them from the next better grade first, then the one above, and so on.
    for rule in sorted(rules, key=lambda rule: -rank_of[rule.grade]):
        rank = rank_of[rule.grade]
        if rule.min_share is None:
            continue
        floor = head_count(rule.min_share, sizes, rule.rounding or rounding)
        missing = np.maximum(floor - np.bincount(compact[ranks >= rank], minlength=len(sizes)), 0)
        for above in range(rank - 1, -1, -1):
            if not missing.any():
                break
            # Lowest first: score ascending, then tiebreak descending.
            ordered, position = _positions(np.flatnonzero(ranks == above), compact, -scores, -keys)
            pushed = ordered[position <= missing[compact[ordered]]]
            ranks[pushed] = rank
            missing -= np.bincount(compact[pushed], minlength=len(sizes))
    return codes[ranks]


def apply_bonus_cap(base: np.ndarray, bonus: np.ndarray, cap_percent: float) -> np.ndarray:
    """The bonus points that count (B2): at most `cap_percent` of the base score, never negative."""
    base = np.asarray(base, dtype=np.float64)
    bonus = np.asarray(bonus, dtype=np.float64)
    if base.shape != bonus.shape:
        raise ValueError("base and bonus must have the same shape")
    if not 0 <= cap_percent <= 100:
        raise ValueError("cap_percent must lie between 0 and 100")
    cap = np.maximum(base, 0.0) * cap_percent / 100.0
    return np.minimum(np.maximum(bonus, 0.0), cap)
