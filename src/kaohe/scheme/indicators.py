"""The indicator library: dimensions, data sources, the three-level tree and its overlays."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme.base import Code, Key, Percent, SchemeModel, Text, Weight
from kaohe.scheme.enums import Direction, Part, Scale


class Dimension(SchemeModel):
    """One of the four core dimensions (S4)."""

    key: Key
    name: Text
    description: str = ""


class DataSource(SchemeModel):
    """A system a quantitative indicator's value is collected from (Q2)."""

    key: Key
    name: Text


class PartBound(SchemeModel):
    """The share bounds of one part of the library, in percent of the whole tree (S1)."""

    min: Percent | None = None
    max: Percent | None = None


class Parts(SchemeModel):
    common: PartBound = PartBound()
    individual: PartBound = PartBound()
    innovation: PartBound = PartBound()

    def bound(self, part: Part) -> PartBound:
        return getattr(self, part.value)


class LevelTargets(SchemeModel):
    """A target per post level (S3); a plain number means the same target for every level."""

    junior: float
    intermediate: float
    senior: float

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"junior": data, "intermediate": data, "senior": data}
        return data

    def for_level(self, level: Level) -> float:
        return getattr(self, level.value)

    def values(self) -> tuple[float, float, float]:
        return (self.junior, self.intermediate, self.senior)


class Band(SchemeModel):
    """A value at or beyond `threshold` (by the indicator's direction) earns `score`."""

    threshold: float
    score: Percent


class BandsRule(SchemeModel):
    type: Literal["bands"] = "bands"
    bands: list[Band] = Field(min_length=1)
    otherwise: Percent = 0


class LinearRule(SchemeModel):
    """`floor` scores 0, `target` scores 100, linear in between, clipped."""

    type: Literal["linear"] = "linear"
    floor: float
    target: LevelTargets


class RatioRule(SchemeModel):
    """Score = value / target × 100 (target / value for lower_better), capped at `cap`."""

    type: Literal["ratio"] = "ratio"
    target: LevelTargets
    cap: Annotated[float, Field(gt=0, le=200)] = 100


ScoringRule = Annotated[BandsRule | LinearRule | RatioRule, Field(discriminator="type")]


class Quantitative(SchemeModel):
    kind: Literal["quantitative"] = "quantitative"
    data_source: Key
    unit: Annotated[str, Field(max_length=32)] = ""
    direction: Direction = Direction.higher_better
    rule: ScoringRule


class Qualitative(SchemeModel):
    kind: Literal["qualitative"] = "qualitative"
    raters: list[Key] = Field(min_length=1)
    scale: Scale = Scale.hundred
    min_raters: Annotated[int, Field(ge=1, le=1000)] = 3


Measure = Annotated[Quantitative | Qualitative, Field(discriminator="kind")]


class Indicator(SchemeModel):
    """A node of the indicator tree (S6): inner nodes have children, leaves have a measure."""

    code: Code
    name: Text
    weight: Weight
    standard: str = ""
    dimension: Key | None = None
    part: Part | None = None
    measure: Measure | None = None
    children: list[Indicator] = Field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


class Selector(SchemeModel):
    """Who an overlay applies to; an empty list matches everyone on that axis."""

    post_categories: list[PostCategory] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    departments: list[str] = Field(default_factory=list)
    posts: list[str] = Field(default_factory=list)

    def matches(
        self,
        *,
        category: PostCategory | None = None,
        level: Level | None = None,
        department: str | None = None,
        post: str | None = None,
    ) -> bool:
        axes = (
            (self.post_categories, category),
            (self.levels, level),
            (self.departments, department),
            (self.posts, post),
        )
        return all(not wanted or value in wanted for wanted, value in axes)


class PostTemplate(SchemeModel):
    """A post-category weight template (S5): its components replace the children of `replaces`."""

    key: Key
    name: Text
    applies_to: Selector
    replaces: Code
    components: list[Indicator] = Field(min_length=1)


class PostIndicatorSet(SchemeModel):
    """Post-specific core indicators (S7): they replace the children of `replaces`.

    `replaces` may name a node of the base tree or a component of a post template.
    """

    key: Key
    name: Text
    applies_to: Selector
    replaces: Code
    indicators: list[Indicator] = Field(min_length=1)
