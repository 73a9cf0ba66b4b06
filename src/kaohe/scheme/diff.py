"""What changed between two years' schemes (S8).

Indicators are matched by code over the whole library: the base tree, the post templates and
the post-specific sets. Added and retired count leaf indicators only (the ones that are scored);
re-weighted lists every node, inner or leaf, present in both whose weight (percent of its
parent) changed.

Churn = (added + retired) / number of leaf indicators in the old scheme × 100. It is compared
with the new scheme's `revision.churn` band (10–15% by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from kaohe.messages import t
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import exact, library
from kaohe.scheme.validate_tree import show


@dataclass(frozen=True)
class IndicatorRef:
    code: str
    name: str


@dataclass(frozen=True)
class Reweighted:
    code: str
    name: str
    old_weight: float
    new_weight: float


@dataclass(frozen=True)
class SchemeDiff:
    old_year: int
    new_year: int
    added: list[IndicatorRef] = field(default_factory=list)
    retired: list[IndicatorRef] = field(default_factory=list)
    reweighted: list[Reweighted] = field(default_factory=list)
    old_leaf_count: int = 0
    churn: Fraction | None = None
    churn_min: float = 0
    churn_max: float = 100

    @property
    def churn_percent(self) -> float | None:
        return None if self.churn is None else float(self.churn)

    @property
    def churn_out_of_band(self) -> bool:
        """Whether the churn falls outside the new scheme's revision band."""
        if self.churn is None:
            return False
        return not exact(self.churn_min) <= self.churn <= exact(self.churn_max)


def diff_schemes(old: Scheme, new: Scheme) -> SchemeDiff:
    """Indicators added, retired and re-weighted from `old` to `new`, and the resulting churn."""
    old_nodes = {item.node.code: item.node for item in library(old)}
    new_nodes = {item.node.code: item.node for item in library(new)}
    old_leaves = {code: node for code, node in old_nodes.items() if node.is_leaf}
    new_leaves = {code: node for code, node in new_nodes.items() if node.is_leaf}
    added = [IndicatorRef(code, node.name) for code, node in new_leaves.items() if code not in old_leaves]
    retired = [IndicatorRef(code, node.name) for code, node in old_leaves.items() if code not in new_leaves]
    reweighted = [
        Reweighted(code, new_nodes[code].name, node.weight, new_nodes[code].weight)
        for code, node in old_nodes.items()
        if code in new_nodes and exact(node.weight) != exact(new_nodes[code].weight)
    ]
    churn = Fraction(len(added) + len(retired)) * 100 / len(old_leaves) if old_leaves else None
    band = new.revision.churn
    return SchemeDiff(
        old_year=old.year,
        new_year=new.year,
        added=added,
        retired=retired,
        reweighted=reweighted,
        old_leaf_count=len(old_leaves),
        churn=churn,
        churn_min=band.min,
        churn_max=band.max,
    )


def render_diff(diff: SchemeDiff) -> str:
    """The diff as Chinese text, one item a line."""
    lines = [t("scheme.diff.title", old_year=diff.old_year, new_year=diff.new_year)]
    sections: list[tuple[str, list[str]]] = [
        ("scheme.diff.added", [t("scheme.diff.item", code=i.code, name=i.name) for i in diff.added]),
        ("scheme.diff.retired", [t("scheme.diff.item", code=i.code, name=i.name) for i in diff.retired]),
        (
            "scheme.diff.reweighted",
            [
                t(
                    "scheme.diff.reweighted_item",
                    code=i.code,
                    name=i.name,
                    old=show(i.old_weight),
                    new=show(i.new_weight),
                )
                for i in diff.reweighted
            ],
        ),
    ]
    for key, items in sections:
        lines.append(t(key, count=len(items)))
        lines.extend(items or [t("scheme.diff.none")])
    if diff.churn is None:
        lines.append(t("scheme.diff.churn_unknown"))
    else:
        band = {"low": show(diff.churn_min), "high": show(diff.churn_max)}
        verdict = t("scheme.diff.out_of_band" if diff.churn_out_of_band else "scheme.diff.in_band", **band)
        churn = t(
            "scheme.diff.churn",
            churn=show(diff.churn),
            added=len(diff.added),
            retired=len(diff.retired),
            old_count=diff.old_leaf_count,
        )
        lines.append(f"{churn},{verdict}")
    return "\n".join(lines)
