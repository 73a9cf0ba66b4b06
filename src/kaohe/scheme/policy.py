"""Raters, records, cycle, bonus, veto, tolerance, deadlines and revision policy."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kaohe.scheme.base import Key, Percent, SchemeModel, Text
from kaohe.scheme.enums import Composition

Count = Annotated[int, Field(ge=1, le=1000)]


class RaterGroup(SchemeModel):
    """A group of raters and its weight in the qualitative result (Q3)."""

    key: Key
    name: Text
    weight: Percent


class Raters(SchemeModel):
    groups: list[RaterGroup] = Field(min_length=1)
    min_raters: Count = 3


Mark = Annotated[float, Field(ge=0, le=100)]


class RecordScore(SchemeModel):
    """How the quarterly record score is computed (R6; see docs/scoring.md).

    Every number of the rule is here, none has a default in code: the scheme file states them all.
    The three weights add to 100 and `mark_min` ≤ `neutral_mark` ≤ `mark_max`, `mark_min` < `mark_max`
    (both checked by the validator).
    """

    expected_per_month: Annotated[float, Field(gt=0, le=200)]
    volume_cap: Annotated[float, Field(gt=0, le=10)]
    volume_weight: Percent
    timeliness_weight: Percent
    quality_weight: Percent
    mark_min: Mark
    mark_max: Mark
    neutral_mark: Mark
    return_penalty: Percent
    max_return_penalty: Percent


class Records(SchemeModel):
    """Daily records (R3, R6): their weight in the results and its floor, and their score rule."""

    weight: Percent
    min_weight: Percent
    score: RecordScore


class Cycle(SchemeModel):
    """Quarterly and annual composition (Q1)."""

    quarters: Annotated[int, Field(ge=1, le=12)] = 4
    annual: Composition = Composition.mean
    quarter_weights: list[Percent] | None = None


class BonusCategory(SchemeModel):
    """An innovation bonus category and its point range (B1)."""

    key: Key
    name: Text
    min: Annotated[float, Field(ge=0, le=100)]
    max: Annotated[float, Field(ge=0, le=100)]
    criteria: str = ""


class Bonus(SchemeModel):
    cap_percent_of_base: Percent
    categories: list[BonusCategory] = Field(min_length=1)
    negative_list: list[Text] = Field(default_factory=list)
    fraud_is_veto: bool = True
    confirmed_by: str = ""


class VetoItem(SchemeModel):
    """A one-vote veto situation (B4): whoever falls under it is unqualified."""

    code: Key
    text: Text


class Tolerance(SchemeModel):
    """The tolerance rule (B5)."""

    text: Text
    conditions: list[Text] = Field(default_factory=list)


class Deadline(SchemeModel):
    """A time limit: either calendar `hours` or `working_days`, exactly one."""

    hours: Count | None = None
    working_days: Count | None = None


class Deadlines(SchemeModel):
    record_entry: Deadline
    public_notice: Deadline
    appeal: Deadline
    data_collection: Deadline
    rating: Deadline
    review: Deadline


class AnnualReview(SchemeModel):
    """Annual evaluation settings (A2)."""

    self_report_max_minutes: Count = 15


class ChurnBand(SchemeModel):
    """The share of indicators a yearly revision should add or retire (S8), in percent."""

    min: Percent
    max: Percent


class Revision(SchemeModel):
    churn: ChurnBand
    survey_interval_years: Annotated[int, Field(ge=1, le=10)] = 2
