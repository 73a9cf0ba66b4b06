"""The grading numbers of a year's scheme, read out for the pure engine (no defaults in code)."""

from __future__ import annotations

import numpy as np

from kaohe.scheme.enums import QuotaScope
from kaohe.scheme.models import Scheme
from kaohe.scoring.grading import GradeBand, QuotaRule, apply_bonus_cap, assign_grades


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
