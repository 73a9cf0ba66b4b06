"""One appraisal year's scheme (`Scheme`) and the family of models it is built from."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from kaohe.scheme.base import Code, Percent, SchemeModel, Text
from kaohe.scheme.grading import (
    EfficiencyStandard,
    GradeDef,
    QualityStandard,
    QuotaLimit,
    Quotas,
    Standards,
    TaskCompletionBand,
)
from kaohe.scheme.indicators import (
    Band,
    BandsRule,
    DataSource,
    Dimension,
    Indicator,
    LevelTargets,
    LinearRule,
    PartBound,
    Parts,
    PostIndicatorSet,
    PostTemplate,
    Qualitative,
    Quantitative,
    RatioRule,
    Selector,
)
from kaohe.scheme.outcomes import BonusPool, OneOffAward, Outcomes, Pay, PromotionRule, Training
from kaohe.scheme.policy import (
    AnnualReview,
    Bonus,
    BonusCategory,
    ChurnBand,
    Cycle,
    Deadline,
    Deadlines,
    RaterGroup,
    Raters,
    Records,
    Revision,
    Tolerance,
    VetoItem,
)

FORMAT_VERSION = 1


class MissingGroup(StrEnum):
    """What a qualitative leaf does when a rater group has nobody for a person (Q3)."""

    renormalise = "renormalise"  # the groups present share the whole weight
    zero = "zero"  # the empty group counts as 0 points


class ShortOfRaters(StrEnum):
    """What a qualitative leaf with fewer raters than `raters.min_raters` does (S2); it is flagged either way."""

    exclude = "exclude"  # left out of the indicator score, its siblings share its weight
    score = "score"  # scored from the ratings there are


class MissingMetric(StrEnum):
    """What a quantitative leaf without a value does (S3); it is shown as missing either way."""

    exclude = "exclude"  # left out of the indicator score, its siblings share its weight
    zero = "zero"  # scored as 0 points


class SuggestedActions(SchemeModel):
    """The action a warning suggests to HR and the leader (Q5), one per kind of warning."""

    satisfaction: Text
    task_progress: Text
    score_drop: Text


class QuarterWarnings(SchemeModel):
    """When a quarterly result raises a warning (Q5). Indicator codes name quantitative leaves of the library."""

    satisfaction_indicator: Code
    satisfaction_threshold: Percent
    satisfaction_quarters: Annotated[int, Field(ge=1, le=12)]
    task_progress_indicator: Code
    task_progress_min: Percent
    score_drop_margin: Annotated[float, Field(gt=0, le=100)]
    suggested_action: SuggestedActions


class Quarterly(SchemeModel):
    """How the quarterly result is computed (Q3, S2, S3, R6; see docs/scoring.md) and when it warns (Q5)."""

    missing_group: MissingGroup
    short_of_raters: ShortOfRaters
    missing_metric: MissingMetric
    peers_per_person: Annotated[int, Field(ge=0, le=50)]
    rating_scale_max: Annotated[int, Field(ge=1, le=1000)]
    warnings: QuarterWarnings


class Scheme(SchemeModel):
    """The appraisal scheme of one unit for one year."""

    version: Annotated[int, Field(ge=1)] = FORMAT_VERSION
    year: Annotated[int, Field(ge=2000, le=2100)]
    name: Text
    unit: str | None = None

    dimensions: list[Dimension] = Field(min_length=1)
    data_sources: list[DataSource] = Field(default_factory=list)
    parts: Parts
    quantitative_min_share: Percent
    indicators: list[Indicator] = Field(min_length=1)
    post_templates: list[PostTemplate] = Field(default_factory=list)
    post_indicator_sets: list[PostIndicatorSet] = Field(default_factory=list)

    grades: list[GradeDef] = Field(min_length=1)
    standards: Standards
    quotas: Quotas

    raters: Raters
    records: Records
    cycle: Cycle
    annual_review: AnnualReview = AnnualReview()
    bonus: Bonus
    veto: list[VetoItem] = Field(default_factory=list)
    tolerance: Tolerance
    deadlines: Deadlines
    quarterly: Quarterly
    outcomes: Outcomes
    revision: Revision


__all__ = [
    "FORMAT_VERSION",
    "AnnualReview",
    "Band",
    "BandsRule",
    "Bonus",
    "BonusCategory",
    "BonusPool",
    "ChurnBand",
    "Cycle",
    "DataSource",
    "Deadline",
    "Deadlines",
    "Dimension",
    "EfficiencyStandard",
    "GradeDef",
    "Indicator",
    "LevelTargets",
    "LinearRule",
    "MissingGroup",
    "MissingMetric",
    "OneOffAward",
    "Outcomes",
    "PartBound",
    "Parts",
    "Pay",
    "PostIndicatorSet",
    "PostTemplate",
    "PromotionRule",
    "Qualitative",
    "QualityStandard",
    "Quantitative",
    "QuarterWarnings",
    "Quarterly",
    "QuotaLimit",
    "Quotas",
    "RaterGroup",
    "Raters",
    "RatioRule",
    "Records",
    "Revision",
    "Scheme",
    "Selector",
    "ShortOfRaters",
    "Standards",
    "SuggestedActions",
    "TaskCompletionBand",
    "Tolerance",
    "Training",
    "VetoItem",
]
