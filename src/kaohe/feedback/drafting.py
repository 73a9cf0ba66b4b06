"""Proposing a person's written feedback from their quarterly result (Q4). Pure: plain data in, plain data
out; no database, no clock.

Strengths are the person's counted indicators furthest above the department's mean of the same indicator
(the mean over the department's people whose line for it is counted); weaknesses the ones furthest below,
plus what must be fixed before the next quarter: a metric that never arrived, an indicator short of raters,
a rater group that was missing, a quarter without daily records. Every weakness gets one templated measure.
The missing items of one kind make one weakness naming them all. Ties are broken by the scheme's order of the lines, so the same inputs always give the same draft.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kaohe.messages import t

BELOW, MISSING_METRIC, SHORT_OF_RATERS, MISSING_GROUP, NO_RECORDS = (
    "below", "missing_metric", "short_of_raters", "missing_group", "no_records")


@dataclass(frozen=True)
class Point:
    """One strength or weakness: the indicator (or rater group), the person's points and the department mean."""

    kind: str  # "above" for a strength; BELOW, MISSING_METRIC, … for a weakness
    code: str
    name: str
    points: Decimal | None = None
    mean: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        if self.points is None or self.mean is None:
            return None
        return self.points - self.mean


@dataclass(frozen=True)
class Proposal:
    strengths: tuple[Point, ...]
    weaknesses: tuple[Point, ...]
    measures: tuple[str, ...] = field(default=())
    goal: str = ""

    def texts(self) -> dict[str, str]:
        """The draft's four texts, one line per point, as the form shows them."""
        return {"strengths": "\n".join(strength_text(p) for p in self.strengths) or t("feedback.draft_no_strength"),
                "weaknesses": "\n".join(weakness_text(p) for p in self.weaknesses)
                or t("feedback.draft_no_weakness"),
                "goals": self.goal, "measures": "\n".join(self.measures)}

    def as_json(self) -> dict[str, Any]:
        def point(p: Point) -> dict[str, Any]:
            out = asdict(p)
            out["points"] = None if p.points is None else str(p.points)
            out["mean"] = None if p.mean is None else str(p.mean)
            return out
        return {"strengths": [point(p) for p in self.strengths], "weaknesses": [point(p) for p in self.weaknesses],
                "measures": list(self.measures), "goal": self.goal}


def two(value: float | Decimal | None) -> Decimal | None:
    """Two decimals, half up, as every score is shown."""
    if value is None:
        return None
    return Decimal(repr(value) if isinstance(value, float) else value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def department_means(breakdowns: Sequence[Mapping[str, Any]]) -> dict[str, Decimal]:
    """Each indicator's mean points over the department's counted lines."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for breakdown in breakdowns:
        for line in breakdown.get("lines", []):
            if line.get("counted") and line.get("points") is not None:
                sums[line["code"]] = sums.get(line["code"], 0.0) + float(line["points"])
                counts[line["code"]] = counts.get(line["code"], 0) + 1
    return {code: two(sums[code] / counts[code]) for code in sums}  # type: ignore[misc]


def propose(breakdown: Mapping[str, Any], department: Sequence[Mapping[str, Any]], names: Mapping[str, str], *,
            flags: Sequence[str] = (), department_score: Decimal | None = None, top: int = 3) -> Proposal:
    """The draft for one person: `breakdown` is their result's, `department` every breakdown of their
    department the same quarter (theirs included), `names` the indicators' and rater groups' Chinese names."""
    means = department_means(department)
    scored: list[tuple[int, Point]] = []
    for order, line in enumerate(breakdown.get("lines", [])):
        if line.get("counted") and line.get("points") is not None and line["code"] in means:
            scored.append((order, Point("above", line["code"], names.get(line["code"], line["code"]),
                                        two(line["points"]), means[line["code"]])))
    above = sorted((item for item in scored if (item[1].gap or 0) > 0), key=lambda i: (-(i[1].gap or 0), i[0]))
    below = sorted((item for item in scored if (item[1].gap or 0) < 0), key=lambda i: (i[1].gap or 0, i[0]))
    strengths = tuple(p for _o, p in above[:top])
    weak = [Point(BELOW, p.code, p.name, p.points, p.mean) for _o, p in below[:top]]
    # What is missing is one thing to fix per kind (all the metrics that never arrived, …), not one per leaf.
    for kind, key in ((MISSING_METRIC, "missing_metrics"), (SHORT_OF_RATERS, "short_of_raters"),
                      (MISSING_GROUP, "missing_groups")):
        codes = list(breakdown.get(key, []))
        if codes:
            weak.append(Point(kind, ",".join(codes), "、".join(names.get(c, c) for c in codes)))
    if "no_records" in flags:
        weak.append(Point(NO_RECORDS, "", ""))
    goal = (t("feedback.draft_goal_mean", mean=department_score) if department_score is not None
            else t("feedback.draft_goal"))
    return Proposal(strengths, tuple(weak), tuple(measure_text(p) for p in weak), goal)


def strength_text(p: Point) -> str:
    return t("feedback.draft_strength", name=p.name, points=p.points, mean=p.mean, gap=p.gap)


def weakness_text(p: Point) -> str:
    if p.kind == BELOW:
        return t("feedback.draft_weakness", name=p.name, points=p.points, mean=p.mean, gap=-(p.gap or 0))
    return t(f"feedback.draft_weakness_{p.kind}", name=p.name)


def measure_text(p: Point) -> str:
    if p.kind == BELOW:
        return t("feedback.draft_measure_below", name=p.name, mean=p.mean)
    return t(f"feedback.draft_measure_{p.kind}", name=p.name)
