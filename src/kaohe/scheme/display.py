"""The scheme as the pages show it (pure): a tree of nodes with composed weights and plain words."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kaohe.messages import CATALOGUE, t
from kaohe.scheme.indicators import BandsRule, Indicator, LinearRule, Qualitative, Quantitative
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import HUNDRED, exact
from kaohe.scheme.validate_tree import show


@dataclass
class NodeView:
    node: Indicator
    path: str
    depth: int
    composed: Fraction
    children: list[NodeView] = field(default_factory=list)
    kind: str = ""  # quantitative / qualitative for leaves
    detail: str = ""

    @property
    def composed_text(self) -> str:
        return show(self.composed)

    @property
    def weight_text(self) -> str:
        return show(self.node.weight)


def _rule_text(measure: Quantitative) -> str:
    unit = measure.unit
    rule = measure.rule
    better = "≥" if measure.direction.value == "higher_better" else "≤"
    if isinstance(rule, BandsRule):
        steps = t("scheme_admin.rule.separator").join(
            t("scheme_admin.rule.band", better=better, threshold=show(b.threshold), unit=unit, score=show(b.score))
            for b in rule.bands)
        return t("scheme_admin.rule.bands", steps=steps, otherwise=show(rule.otherwise))
    targets = rule.target.values()
    target = show(targets[0]) if len(set(targets)) == 1 else "/".join(show(v) for v in targets)
    if isinstance(rule, LinearRule):
        return t("scheme_admin.rule.linear", floor=show(rule.floor), target=target, unit=unit)
    return t("scheme_admin.rule.ratio", target=target, unit=unit, cap=show(rule.cap))


def measure_text(scheme: Scheme, node: Indicator) -> tuple[str, str]:
    """(kind, plain description) of a leaf's measure."""
    measure = node.measure
    if isinstance(measure, Quantitative):
        sources = {item.key: item.name for item in scheme.data_sources}
        source = sources.get(measure.data_source, measure.data_source)
        text = t("scheme_admin.measure.quantitative", source=source)
        direction = t(f"scheme.direction.{measure.direction.value}")
        return "quantitative", t("scheme_admin.measure.quantitative_rule", measure=text, direction=direction,
                                 rule=_rule_text(measure))
    if isinstance(measure, Qualitative):
        groups = {item.key: item.name for item in scheme.raters.groups}
        raters = "、".join(groups.get(key, key) for key in measure.raters)
        text = t("scheme_admin.measure.qualitative", raters=raters, min_raters=measure.min_raters)
        return "qualitative", t("scheme_admin.measure.qualitative_scale", measure=text,
                                scale=t(f"scheme_admin.scale.{measure.scale.value}"))
    return "", ""


def build_tree(scheme: Scheme, nodes: Sequence[Indicator], prefix: str, total: Fraction = HUNDRED,
               depth: int = 1) -> list[NodeView]:
    """Views of `nodes` (at document path `prefix`) whose composed weights share `total`.

    Siblings are normalised by their own sum, as `effective_weights` does.
    """
    siblings = sum((exact(node.weight) for node in nodes), Fraction(0))
    views = []
    for index, node in enumerate(nodes):
        share = total * exact(node.weight) / siblings if siblings else Fraction(0)
        path = f"{prefix}[{index}]"
        view = NodeView(node, path, depth, share)
        if node.children:
            view.children = build_tree(scheme, node.children, f"{path}.children", share, depth + 1)
        else:
            view.kind, view.detail = measure_text(scheme, node)
        views.append(view)
    return views


def _composed_by_code(views: Sequence[NodeView], out: dict[str, tuple[Fraction, int]]) -> None:
    for view in views:
        out[view.node.code] = (view.composed, view.depth)
        _composed_by_code(view.children, out)


@dataclass
class OverlayView:
    key: str
    name: str
    applies_to: str
    replaces: str
    path: str
    nodes: list[NodeView]


def _selector_text(scheme: Scheme, overlay: object) -> str:
    from kaohe.org.enums import label

    selector = overlay.applies_to  # type: ignore[attr-defined]
    parts = [
        "、".join(label(c) for c in selector.post_categories),
        "、".join(label(level) for level in selector.levels),
        "、".join(selector.departments),
        "、".join(selector.posts),
    ]
    return " · ".join(part for part in parts if part) or t("scheme_admin.everyone")


@dataclass
class SchemeView:
    tree: list[NodeView]
    templates: list[OverlayView]
    sets: list[OverlayView]


def scheme_view(scheme: Scheme) -> SchemeView:
    """The base tree and every overlay, each with composed weights as they apply."""
    tree = build_tree(scheme, scheme.indicators, "indicators")
    composed: dict[str, tuple[Fraction, int]] = {}
    _composed_by_code(tree, composed)
    templates = []
    for index, template in enumerate(scheme.post_templates):
        total, depth = composed.get(template.replaces, (HUNDRED, 0))
        nodes = build_tree(scheme, template.components, f"post_templates[{index}].components", total, depth + 1)
        _composed_by_code(nodes, composed)
        templates.append(OverlayView(template.key, template.name, _selector_text(scheme, template),
                                     template.replaces, f"post_templates[{index}]", nodes))
    sets = []
    for index, indicator_set in enumerate(scheme.post_indicator_sets):
        total, depth = composed.get(indicator_set.replaces, (HUNDRED, 0))
        nodes = build_tree(scheme, indicator_set.indicators, f"post_indicator_sets[{index}].indicators", total,
                           depth + 1)
        sets.append(OverlayView(indicator_set.key, indicator_set.name, _selector_text(scheme, indicator_set),
                                indicator_set.replaces, f"post_indicator_sets[{index}]", nodes))
    return SchemeView(tree, templates, sets)


def node_names(view: SchemeView) -> dict[str, str]:
    """Document path → 'name › name' of every node, to say where a problem is in plain words."""
    out: dict[str, str] = {}

    def visit(nodes: Sequence[NodeView], trail: str) -> None:
        for item in nodes:
            name = f"{trail} › {item.node.name}" if trail else item.node.name
            out[item.path] = name
            out[f"{item.path}.children"] = t("scheme_admin.where.children", name=name)
            visit(item.children, name)

    out["indicators"] = t("scheme_admin.where.level1")
    visit(view.tree, "")
    for overlay in (*view.templates, *view.sets):
        out[overlay.path] = overlay.name
        visit(overlay.nodes, overlay.name)
    for overlay in view.templates:
        out[f"{overlay.path}.components"] = t("scheme_admin.where.components", name=overlay.name)
    for overlay in view.sets:
        out[f"{overlay.path}.indicators"] = t("scheme_admin.where.post_set", name=overlay.name)
    return out


_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def where(path: str, names: Mapping[str, str] | None = None) -> str:
    """Where a problem is, in Chinese: the nearest named node of the tree, then the name of each key below
    it ("indicators[0].weight" → "德 › 权重", "parts.common.max" → "指标构成 › 共性指标 › 上限")."""
    names = names or {}
    head, rest, probe = "", path, path
    while probe:
        if probe in names:
            head, rest = names[probe], path[len(probe):]
            break
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    parts = [head] if head else []
    for index, key in _PATH_PART.findall(rest):
        if index:
            parts.append(t("scheme.place_item", n=int(index) + 1))
        elif key and key != "<tag>":
            parts.append(CATALOGUE.get(f"scheme.key.{key}", key))
    return t("scheme.place_separator").join(parts) or t("scheme.place_whole")
