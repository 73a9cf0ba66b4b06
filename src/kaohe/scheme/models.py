"""One appraisal year's scheme (`Scheme`) and the family of models it is built from."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kaohe.scheme.base import Percent, SchemeModel, Text
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
    "QuotaLimit",
    "Quotas",
    "RaterGroup",
    "Raters",
    "RatioRule",
    "Records",
    "Revision",
    "Scheme",
    "Selector",
    "Standards",
    "TaskCompletionBand",
    "Tolerance",
    "Training",
    "VetoItem",
]
