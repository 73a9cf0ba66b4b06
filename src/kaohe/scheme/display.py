"""The scheme as the pages show it (pure): a tree of nodes with composed weights and plain words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from kaohe.messages import t
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
        steps = ";".join(f"{better}{show(b.threshold)}{unit} 得 {show(b.score)} 分" for b in rule.bands)
        return f"{steps};其余 {show(rule.otherwise)} 分"
    if isinstance(rule, LinearRule):
        targets = rule.target.values()
        target = show(targets[0]) if len(set(targets)) == 1 else "/".join(show(v) for v in targets)
        return f"{show(rule.floor)}{unit} 得 0 分,{target}{unit} 得满分,其间按比例"
    targets = rule.target.values()
    target = show(targets[0]) if len(set(targets)) == 1 else "/".join(show(v) for v in targets)
    return f"实际值与目标值 {target}{unit} 之比计分,最高 {show(rule.cap)} 分"


def measure_text(scheme: Scheme, node: Indicator) -> tuple[str, str]:
    """(kind, plain description) of a leaf's measure."""
    measure = node.measure
    if isinstance(measure, Quantitative):
        sources = {item.key: item.name for item in scheme.data_sources}
        source = sources.get(measure.data_source, measure.data_source)
        text = t("scheme_admin.measure.quantitative", source=source)
        direction = t(f"scheme.direction.{measure.direction.value}")
        return "quantitative", f"{text}({direction});{_rule_text(measure)}"
    if isinstance(measure, Qualitative):
        groups = {item.key: item.name for item in scheme.raters.groups}
        raters = "、".join(groups.get(key, key) for key in measure.raters)
        text = t("scheme_admin.measure.qualitative", raters=raters, min_raters=measure.min_raters)
        return "qualitative", f"{text},{t(f'scheme_admin.scale.{measure.scale.value}')}"
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
    return " · ".join(part for part in parts if part) or "全部人员"


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
            out[f"{item.path}.children"] = f"{name} 的下级指标"
            visit(item.children, name)

    out["indicators"] = "一级指标"
    visit(view.tree, "")
    for overlay in (*view.templates, *view.sets):
        out[overlay.path] = overlay.name
        visit(overlay.nodes, overlay.name)
    for overlay in view.templates:
        out[f"{overlay.path}.components"] = f"{overlay.name} 的组成指标"
    for overlay in view.sets:
        out[f"{overlay.path}.indicators"] = f"{overlay.name} 的特色指标"
    return out


def where(path: str, names: dict[str, str]) -> str:
    """The plain-words place of a problem path: the nearest named node, else the path itself."""
    probe = path
    while probe:
        if probe in names:
            return names[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return ""
