"""Semantic checks of the indicator library: structure, weights, shares and measures."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from kaohe.messages import t
from kaohe.org.enums import Level
from kaohe.scheme.enums import Direction, Part
from kaohe.scheme.indicators import BandsRule, Indicator, LinearRule, Qualitative, Quantitative, RatioRule
from kaohe.scheme.models import Scheme
from kaohe.scheme.problems import Problem
from kaohe.scheme.tree import HUNDRED, Located, apply_overlays, exact, library, quantitative_share, walk

MAX_DEPTH = 3


def show(value: Fraction | float) -> str:
    """A number as a person would write it: 100, 12.5, 33.33."""
    number = Fraction(value) if isinstance(value, Fraction) else exact(value)
    if number.denominator == 1:
        return str(number.numerator)
    return f"{float(number):.2f}".rstrip("0").rstrip(".")


def sibling_sums(nodes: Sequence[Indicator], path: str) -> list[Problem]:
    """Every list of siblings (at `path` and below) whose weights do not add up to 100."""
    problems: list[Problem] = []
    total = sum((exact(node.weight) for node in nodes), Fraction(0))
    if nodes and total != HUNDRED:
        problems.append(Problem(path, t("scheme.weights_sum", total=show(total))))
    for index, node in enumerate(nodes):
        if node.children:
            problems.extend(sibling_sums(node.children, f"{path}[{index}].children"))
    return problems


class TreeChecker:
    """Collects the problems of the base tree and of every overlay."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.problems: list[Problem] = []
        self.sources = {item.key for item in scheme.data_sources}
        self.raters = {item.key for item in scheme.raters.groups}
        self.dimensions = {item.key for item in scheme.dimensions}
        self.depths = {item.node.code: item.depth for item in walk(scheme.indicators, "")}
        self.base_codes = set(self.depths)
        self.template_of: dict[str, int] = {}
        for index, template in enumerate(scheme.post_templates):
            base = self.depths.get(template.replaces, 0)
            for item in walk(template.components, ""):
                self.template_of.setdefault(item.node.code, index)
                self.depths.setdefault(item.node.code, base + item.depth)

    def add(self, path: str, message: str, /, **params: object) -> None:
        self.problems.append(Problem(path, t(message, **params)))

    def run(self) -> list[Problem]:
        scheme = self.scheme
        self.problems.extend(sibling_sums(scheme.indicators, "indicators"))
        for item in walk(scheme.indicators, "indicators"):
            self.node(item, offset=0)
        for index, template in enumerate(scheme.post_templates):
            path = f"post_templates[{index}]"
            self.overlay(path, template.replaces, template.components, "components", self.base_codes)
        for index, indicator_set in enumerate(scheme.post_indicator_sets):
            path = f"post_indicator_sets[{index}]"
            self.overlay(
                path, indicator_set.replaces, indicator_set.indicators, "indicators", set(self.depths)
            )
        self.codes()
        self.parts()
        self.dimensions_used()
        self.shares()
        return self.problems

    def overlay(self, path: str, replaces: str, nodes: list[Indicator], field: str, known: set[str]) -> None:
        if replaces not in known:
            self.add(f"{path}.replaces", "scheme.unknown_replaces", code=replaces)
            offset = 1
        else:
            offset = self.depths[replaces]
        self.problems.extend(sibling_sums(nodes, f"{path}.{field}"))
        for item in walk(nodes, f"{path}.{field}"):
            self.node(item, offset=offset)

    def node(self, item: Located, *, offset: int) -> None:
        node, path = item.node, item.path
        depth = offset + item.depth
        if depth > MAX_DEPTH and (depth == MAX_DEPTH + 1 or item.depth == 1):
            self.add(path, "scheme.too_deep", depth=depth)
        if not node.standard.strip():
            self.add(f"{path}.standard", "scheme.standard_missing", code=node.code)
        if depth == 1:
            if node.dimension is None:
                self.add(f"{path}.dimension", "scheme.level1_needs_dimension")
            elif node.dimension not in self.dimensions:
                self.add(f"{path}.dimension", "scheme.unknown_dimension", key=node.dimension)
            if node.part is None:
                self.add(f"{path}.part", "scheme.level1_needs_part")
        else:
            if node.dimension is not None:
                self.add(f"{path}.dimension", "scheme.only_level1_dimension")
            if node.part is not None:
                self.add(f"{path}.part", "scheme.only_level1_part")
        if depth == 1 and node.is_leaf:
            # S6: a level-1 indicator (德能勤绩廉 …) is broken down into level-2 and level-3 ones.
            self.add(f"{path}.children", "scheme.level1_leaf", code=node.code)
        elif node.is_leaf and node.measure is None:
            self.add(path, "scheme.leaf_needs_measure", code=node.code)
        elif not node.is_leaf and node.measure is not None:
            self.add(f"{path}.measure", "scheme.inner_has_measure", code=node.code)
        elif isinstance(node.measure, Quantitative):
            self.quantitative(node.measure, f"{path}.measure")
        elif isinstance(node.measure, Qualitative):
            self.qualitative(node.measure, f"{path}.measure")

    def quantitative(self, measure: Quantitative, path: str) -> None:
        if measure.data_source not in self.sources:
            known = "、".join(sorted(self.sources)) or t("scheme.none")
            self.add(
                f"{path}.data_source", "scheme.unknown_data_source", key=measure.data_source, known=known
            )
        rule, rule_path = measure.rule, f"{path}.rule"
        higher = measure.direction == Direction.higher_better
        if isinstance(rule, BandsRule):
            order = t("scheme.order.descending" if higher else "scheme.order.ascending")
            for index in range(1, len(rule.bands)):
                previous, band = rule.bands[index - 1], rule.bands[index]
                if (
                    (band.threshold >= previous.threshold)
                    if higher
                    else (band.threshold <= previous.threshold)
                ):
                    self.add(
                        f"{rule_path}.bands[{index}].threshold",
                        "scheme.bands_order",
                        order=order,
                        index=index + 1,
                        value=show(band.threshold),
                        previous=show(previous.threshold),
                    )
                if band.score > previous.score:
                    self.add(
                        f"{rule_path}.bands[{index}].score",
                        "scheme.bands_score_order",
                        index=index + 1,
                        value=show(band.score),
                        previous=show(previous.score),
                    )
        elif isinstance(rule, LinearRule):
            for level in Level:
                target = rule.target.for_level(level)
                if (target <= rule.floor) if higher else (target >= rule.floor):
                    self.add(
                        f"{rule_path}.target.{level.value}",
                        "scheme.linear_order",
                        level=t(f"scheme.level.{level.value}"),
                        target=show(target),
                        floor=show(rule.floor),
                        direction=t(f"scheme.direction.{measure.direction.value}"),
                    )
        elif isinstance(rule, RatioRule):
            for level in Level:
                target = rule.target.for_level(level)
                if target <= 0:
                    self.add(
                        f"{rule_path}.target.{level.value}",
                        "scheme.ratio_target",
                        level=t(f"scheme.level.{level.value}"),
                        value=show(target),
                    )

    def qualitative(self, measure: Qualitative, path: str) -> None:
        for index, key in enumerate(measure.raters):
            if key not in self.raters:
                self.add(f"{path}.raters[{index}]", "scheme.unknown_rater", key=key)
        floor = self.scheme.raters.min_raters
        if measure.min_raters < floor:
            self.add(f"{path}.min_raters", "scheme.min_raters", limit=floor, value=measure.min_raters)

    def codes(self) -> None:
        first: dict[str, str] = {}
        for item in library(self.scheme):
            code = item.node.code
            if code in first:
                self.add(f"{item.path}.code", "scheme.duplicate_code", code=code, first=first[code])
            else:
                first[code] = item.path

    def parts(self) -> None:
        scheme = self.scheme
        total = sum((exact(node.weight) for node in scheme.indicators), Fraction(0))
        for part in Part:
            bound = scheme.parts.bound(part)
            path = f"parts.{part.value}"
            if bound.min is not None and bound.max is not None and bound.min > bound.max:
                self.add(path, "scheme.bound_inverted", low=show(bound.min), high=show(bound.max))
                continue
            weight = sum((exact(n.weight) for n in scheme.indicators if n.part == part), Fraction(0))
            share = weight * HUNDRED / total if total else Fraction(0)
            label = t(f"scheme.part.{part.value}")
            if bound.min is not None and share < exact(bound.min):
                self.add(
                    f"{path}.min", "scheme.part_min", part=label, share=show(share), limit=show(bound.min)
                )
            if bound.max is not None and share > exact(bound.max):
                self.add(
                    f"{path}.max", "scheme.part_max", part=label, share=show(share), limit=show(bound.max)
                )

    def dimensions_used(self) -> None:
        used = {node.dimension for node in self.scheme.indicators}
        for index, dimension in enumerate(self.scheme.dimensions):
            if dimension.key not in used:
                self.add(
                    f"dimensions[{index}]", "scheme.dimension_unused", name=dimension.name, key=dimension.key
                )

    def shares(self) -> None:
        scheme = self.scheme
        limit = exact(scheme.quantitative_min_share)
        self.share_of(scheme.indicators, "quantitative_min_share", t("scheme.where.base"), limit)
        for index, template in enumerate(scheme.post_templates):
            tree = apply_overlays(scheme.indicators, [template], [])
            where = t("scheme.where.overlay", name=template.name)
            self.share_of(tree, f"post_templates[{index}]", where, limit)
        for index, indicator_set in enumerate(scheme.post_indicator_sets):
            owner = self.template_of.get(indicator_set.replaces)
            templates = [scheme.post_templates[owner]] if owner is not None else []
            tree = apply_overlays(scheme.indicators, templates, [indicator_set])
            where = t("scheme.where.overlay", name=indicator_set.name)
            self.share_of(tree, f"post_indicator_sets[{index}]", where, limit)

    def share_of(self, tree: Sequence[Indicator], path: str, where: str, limit: Fraction) -> None:
        share = quantitative_share(tree)
        if share < limit:
            self.add(path, "scheme.quantitative_share", where=where, share=show(share), limit=show(limit))


def check_tree(scheme: Scheme) -> list[Problem]:
    """Every problem of the indicator library, base tree and overlays."""
    return TreeChecker(scheme).run()
