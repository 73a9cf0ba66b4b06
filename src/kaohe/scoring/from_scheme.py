"""The numbers of a year's scheme, read out for the pure engines (no defaults in code): grade bands,
quotas and the bonus cap for `grading`, the record score rule and weight for `records`."""

from __future__ import annotations

import numpy as np

from kaohe.scheme.enums import QuotaScope
from kaohe.scheme.models import Scheme
from kaohe.scoring.grading import GradeBand, QuotaRule, apply_bonus_cap, assign_grades
from kaohe.scoring.records import RecordScoreRule, weighted_quarter

MONTHS_PER_QUARTER = 3  # the calendar's, not a setting: quarters are 2026-Q1 … 2026-Q4


def grade_bands(scheme: Scheme) -> list[GradeBand]:
    return [GradeBand(grade.key.value, grade.min_score) for grade in scheme.grades]


def quota_rules(scheme: Scheme) -> list[QuotaRule]:
    return [QuotaRule(limit.grade.value, limit.max_share, limit.min_share, limit.rounding.value)
            for limit in scheme.quotas.limits]


def grade_population(
    scheme: Scheme,
    scores: np.ndarray,
    vetoed: np.ndarray,
    *,
    departments: np.ndarray | None = None,
    tiebreak: np.ndarray | None = None,
) -> np.ndarray:
    """Grades by the scheme's bands and quotas; quotas per department when its scope says so."""
    groups = departments if scheme.quotas.scope is QuotaScope.department else None
    if scheme.quotas.scope is QuotaScope.department and departments is None:
        raise ValueError("the scheme takes quotas per department: pass the department of each person")
    return assign_grades(scores, vetoed, grade_bands(scheme), quota_rules(scheme), groups=groups,
                         tiebreak=tiebreak)


def capped_totals(scheme: Scheme, base: np.ndarray, bonus: np.ndarray) -> np.ndarray:
    """Base score plus the bonus that counts under the scheme's cap (B2)."""
    return np.asarray(base, dtype=np.float64) + apply_bonus_cap(base, bonus, scheme.bonus.cap_percent_of_base)


def record_score_rule(scheme: Scheme) -> RecordScoreRule:
    """The record score's rule (R6): every number of the scheme's `records.score`."""
    score = scheme.records.score
    return RecordScoreRule(
        volume_weight=score.volume_weight, timeliness_weight=score.timeliness_weight,
        quality_weight=score.quality_weight, volume_cap=score.volume_cap, mark_min=score.mark_min,
        mark_max=score.mark_max, neutral_mark=score.neutral_mark, return_penalty=score.return_penalty,
        max_return_penalty=score.max_return_penalty)


def expected_per_quarter(scheme: Scheme) -> float:
    """The confirmed records a quarter calls for: the scheme's `records.score.expected_per_month` × 3."""
    return scheme.records.score.expected_per_month * MONTHS_PER_QUARTER


def quarter_result(scheme: Scheme, record_score: np.ndarray, other_score: np.ndarray) -> np.ndarray:
    """The quarterly result with the scheme's record weight and its floor (R6)."""
    return weighted_quarter(record_score, other_score, scheme.records.weight,
                            min_weight=scheme.records.min_weight)
