"""The record score per person per quarter (R3, R4, R6), for a whole unit in one pass. Pure: NumPy only.

score = volume_weight × volume + timeliness_weight × timeliness + quality_weight × quality
        − min(return_penalty × returned, max_return_penalty), clipped to 0–100, where

- volume = min(confirmed ÷ expected, volume_cap) ÷ volume_cap: records the leader confirmed (R4)
  against the number expected for the quarter (the scheme's `expected_per_month` × 3);
- timeliness = 1 − late ÷ submitted: the share entered within the time limit (R3);
- quality = (mark − mark_min) ÷ (mark_max − mark_min): the leader's mean quality mark, `neutral_mark`
  when nobody marked any record.

Every number comes from the `RecordScoreRule`, which `from_scheme.record_score_rule` builds from the
year's scheme (`records.score`); nothing here has a default.

Missing data, decided once here (docs/scoring.md, "Record score (R6)"):
- expected count missing (NaN) or not positive → NaN: the quarter cannot be judged on volume, and
  HR must settle it (e.g. a whole quarter of leave) rather than the engine guessing;
- otherwise nothing submitted → 0 (no volume, and nothing to be timely or good about);
- a NaN count of confirmed, returned, late or submitted records counts as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, kw_only=True)
class RecordScoreRule:
    """Every number of the record score. None has a default here: they are the scheme's
    `records.score` (`kaohe.scoring.from_scheme.record_score_rule`; defaults in schemes/default.yaml:
    60 volume, 25 timeliness, 15 quality, volume cap 1, marks 1–5 with 3 when unmarked, −2 per return
    up to −20)."""

    volume_weight: float  # points for confirmed records meeting the expected count
    timeliness_weight: float  # points for entering every record within the limit
    quality_weight: float  # points for the best quality mark
    volume_cap: float  # confirmed ÷ expected counts up to this ratio (1: no credit beyond 100%)
    mark_min: float  # the leader's quality scale
    mark_max: float
    neutral_mark: float  # stands in when no record was marked
    return_penalty: float  # points off per record returned for rework
    max_return_penalty: float  # the most returns can cost

    def __post_init__(self) -> None:
        weights = (self.volume_weight, self.timeliness_weight, self.quality_weight)
        if min(weights) < 0 or not np.isclose(sum(weights), 100.0):
            raise ValueError("the three weights must be non-negative and add up to 100")
        if self.volume_cap <= 0:
            raise ValueError("volume_cap must be positive")
        if not self.mark_min < self.mark_max or not self.mark_min <= self.neutral_mark <= self.mark_max:
            raise ValueError("need mark_min < mark_max and the neutral mark between them")
        if self.return_penalty < 0 or self.max_return_penalty < 0:
            raise ValueError("penalties must not be negative")


def _counts(values: np.ndarray | list[float], name: str, n: int | None) -> np.ndarray:
    array = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)
    if array.ndim != 1 or (n is not None and array.shape != (n,)):
        raise ValueError(f"{name} must be a 1-d array with one entry per person")
    if (array < 0).any():
        raise ValueError(f"{name} must not be negative")
    return array


def record_scores(
    confirmed: np.ndarray,
    returned: np.ndarray,
    late: np.ndarray,
    submitted: np.ndarray,
    expected: np.ndarray,
    mean_mark: np.ndarray,
    rule: RecordScoreRule,
) -> np.ndarray:
    """The 0–100 record score of every person (NaN where the expected count is missing)."""
    confirmed = _counts(confirmed, "confirmed", None)
    n = confirmed.shape[0]
    returned = _counts(returned, "returned", n)
    late = _counts(late, "late", n)
    submitted = _counts(submitted, "submitted", n)
    expected = np.asarray(expected, dtype=np.float64)
    mean_mark = np.asarray(mean_mark, dtype=np.float64)
    if expected.shape != (n,) or mean_mark.shape != (n,):
        raise ValueError("expected and mean_mark must have one entry per person")
    if (confirmed > submitted).any() or (late > submitted).any():
        raise ValueError("confirmed and late records cannot outnumber the submitted ones")

    judged = np.isfinite(expected) & (expected > 0)
    safe_expected = np.where(judged, expected, 1.0)  # only to keep the division quiet
    volume = np.minimum(confirmed / safe_expected, rule.volume_cap) / rule.volume_cap
    anything = submitted > 0
    timeliness = np.where(anything, 1.0 - late / np.where(anything, submitted, 1.0), 0.0)
    mark = np.where(np.isnan(mean_mark), rule.neutral_mark, np.clip(mean_mark, rule.mark_min, rule.mark_max))
    quality = (mark - rule.mark_min) / (rule.mark_max - rule.mark_min)
    penalty = np.minimum(rule.return_penalty * returned, rule.max_return_penalty)

    score = (rule.volume_weight * volume + rule.timeliness_weight * timeliness
             + rule.quality_weight * quality - penalty)
    score = np.clip(score, 0.0, 100.0)
    score = np.where(anything, score, 0.0)
    return np.where(judged, score, np.nan)


def weighted_quarter(record_score: np.ndarray, other_score: np.ndarray, record_weight: float, *,
                     min_weight: float) -> np.ndarray:
    """The quarterly result: `record_weight` percent record score, the rest everything else (R6).

    `record_weight` and `min_weight` are the scheme's `records.weight` and `records.min_weight`
    (30 and 30 in the default scheme; `from_scheme.quarter_result` passes them). NaN in either score
    gives NaN: a result missing a part is not a result.
    """
    if not min_weight <= record_weight <= 100:
        raise ValueError(f"record_weight {record_weight} must lie between {min_weight} and 100 (R6)")
    record_score = np.asarray(record_score, dtype=np.float64)
    other_score = np.asarray(other_score, dtype=np.float64)
    if record_score.shape != other_score.shape:
        raise ValueError("record_score and other_score must have the same shape")
    return (record_weight * record_score + (100.0 - record_weight) * other_score) / 100.0
