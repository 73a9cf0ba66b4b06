"""Grades, grade standards and quotas (G1–G5)."""

from __future__ import annotations

from pydantic import Field

from kaohe.scheme.base import Percent, SchemeModel, Text
from kaohe.scheme.enums import Grade, QuotaScope, Rounding


class GradeDef(SchemeModel):
    """One grade (G1) and the lowest composite score that reaches it."""

    key: Grade
    name: Text
    min_score: Percent


class TaskCompletionBand(SchemeModel):
    """Task completion standard (G2): a completion rate at or above `min_rate` reaches `grade`."""

    grade: Grade
    min_rate: Percent
    no_major_error: bool = False
    text: Text


class QualityStandard(SchemeModel):
    """Quality and benefit standard (G3)."""

    grade: Grade
    text: Text
    cost_reduction_min: Percent | None = None
    satisfaction_min: Percent | None = None


class EfficiencyStandard(SchemeModel):
    """Efficiency standard (G4): efficiency gain or time ahead of the deadline, in percent."""

    grade: Grade
    text: Text
    gain_min: Percent | None = None
    gain_max: Percent | None = None
    ahead_min: Percent | None = None
    ahead_max: Percent | None = None


class Standards(SchemeModel):
    task_completion: list[TaskCompletionBand] = Field(min_length=1)
    quality: list[QualityStandard] = Field(min_length=1)
    efficiency: list[EfficiencyStandard] = Field(min_length=1)
    basis: str = ""


class QuotaLimit(SchemeModel):
    """A share limit on one grade (G5), in percent of those appraised within the scope."""

    grade: Grade
    max_share: Percent | None = None
    min_share: Percent | None = None
    rounding: Rounding = Rounding.floor


class Quotas(SchemeModel):
    scope: QuotaScope = QuotaScope.unit
    limits: list[QuotaLimit] = Field(default_factory=list)

    def limit(self, grade: Grade) -> QuotaLimit | None:
        return next((item for item in self.limits if item.grade == grade), None)
