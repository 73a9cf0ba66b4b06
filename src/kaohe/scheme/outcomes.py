"""How results are used (O1–O6)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kaohe.scheme.base import Percent, SchemeModel, Text
from kaohe.scheme.enums import Grade

SignedPercent = Annotated[float, Field(ge=-100, le=100)]


class Pay(SchemeModel):
    """Performance pay float by grade (O1); the excellent float is at least `min_float`."""

    floats: dict[Grade, SignedPercent]
    min_float: Percent


class BonusPool(SchemeModel):
    """Extra award from the year's surplus (O2)."""

    min_percent_of_monthly_base: Percent


class OneOffAward(SchemeModel):
    """One-off award for major tasks (O3)."""

    max_percent_of_annual_base: Percent


class PromotionRule(SchemeModel):
    """Promotion use of one grade (O5)."""

    text: Text
    eligible: bool = True
    min_recommended_share: Percent | None = None


class Training(SchemeModel):
    """Training by grade (O6)."""

    by_grade: dict[Grade, Text]
    coverage: Percent


class Outcomes(SchemeModel):
    pay: Pay
    bonus_pool: BonusPool
    one_off_award: OneOffAward
    treatment: dict[Grade, list[Text]]
    promotion: dict[Grade, PromotionRule]
    training: Training
