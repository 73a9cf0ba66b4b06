"""Pure functions over the indicator tree: walking, composed weights and overlay resolution."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme.indicators import Indicator, PostIndicatorSet, PostTemplate
from kaohe.scheme.models import Scheme

HUNDRED = Fraction(100)


def exact(value: float) -> Fraction:
    """The decimal a YAML author wrote (12.5, 0.1), as an exact fraction."""
    return Fraction(repr(float(value)))


@dataclass(frozen=True)
class Located:
    """A node together with its path in the document and its depth (1 = level-1)."""

    node: Indicator
    path: str
    depth: int


def walk(nodes: Sequence[Indicator], prefix: str, depth: int = 1) -> Iterator[Located]:
    """Every node below `prefix`, parents before children."""
    for index, node in enumerate(nodes):
        path = f"{prefix}[{index}]"
        yield Located(node, path, depth)
        yield from walk(node.children, f"{path}.children", depth + 1)


def leaves(nodes: Sequence[Indicator]) -> Iterator[Indicator]:
    for node in nodes:
        if node.is_leaf:
            yield node
        else:
            yield from leaves(node.children)


def effective_weights(nodes: Sequence[Indicator], total: Fraction = HUNDRED) -> dict[str, Fraction]:
    """Each leaf's share of `total`: the product of the weights down the tree.

    Siblings are normalised by their own sum, so the result always adds up to `total`
    even for a tree whose sibling weights are off (the validator reports those).
    """
    result: dict[str, Fraction] = {}
    siblings = sum((exact(node.weight) for node in nodes), Fraction(0))
    if siblings == 0:
        return result
    for node in nodes:
        share = total * exact(node.weight) / siblings
        if node.is_leaf:
            result[node.code] = result.get(node.code, Fraction(0)) + share
        else:
            for code, value in effective_weights(node.children, share).items():
                result[code] = result.get(code, Fraction(0)) + value
    return result


def quantitative_share(nodes: Sequence[Indicator]) -> Fraction:
    """The composed weight (percent) of the quantitative leaves."""
    weights = effective_weights(nodes)
    return sum(
        (
            weights[leaf.code]
            for leaf in leaves(nodes)
            if leaf.measure is not None and leaf.measure.kind == "quantitative"
        ),
        Fraction(0),
    )


def replace_children(nodes: Sequence[Indicator], code: str, children: list[Indicator]) -> list[Indicator]:
    """A copy of the tree in which the node `code` has `children` instead of its own."""
    result = []
    for node in nodes:
        if node.code == code:
            node = node.model_copy(update={"children": list(children), "measure": None})
        elif node.children:
            node = node.model_copy(update={"children": replace_children(node.children, code, children)})
        result.append(node)
    return result


def find(nodes: Sequence[Indicator], code: str) -> Indicator | None:
    for located in walk(nodes, ""):
        if located.node.code == code:
            return located.node
    return None


def apply_overlays(
    nodes: Sequence[Indicator],
    templates: Sequence[PostTemplate],
    sets: Sequence[PostIndicatorSet],
) -> list[Indicator]:
    """The tree with templates applied first, then post-specific sets, each in document order."""
    tree = list(nodes)
    for template in templates:
        tree = replace_children(tree, template.replaces, template.components)
    for indicator_set in sets:
        tree = replace_children(tree, indicator_set.replaces, indicator_set.indicators)
    return tree


def indicators_for(
    scheme: Scheme,
    *,
    category: PostCategory | None = None,
    level: Level | None = None,
    department: str | None = None,
    post: str | None = None,
) -> list[Indicator]:
    """The indicator tree that applies to one post: the base tree plus every matching overlay."""
    who = {"category": category, "level": level, "department": department, "post": post}
    templates = [item for item in scheme.post_templates if item.applies_to.matches(**who)]
    sets = [item for item in scheme.post_indicator_sets if item.applies_to.matches(**who)]
    return apply_overlays(scheme.indicators, templates, sets)


def library(scheme: Scheme) -> list[Located]:
    """Every node of the library: the base tree, template components and post-specific sets."""
    nodes = list(walk(scheme.indicators, "indicators"))
    for index, template in enumerate(scheme.post_templates):
        nodes.extend(walk(template.components, f"post_templates[{index}].components"))
    for index, indicator_set in enumerate(scheme.post_indicator_sets):
        nodes.extend(walk(indicator_set.indicators, f"post_indicator_sets[{index}].indicators"))
    return nodes


def library_leaves(scheme: Scheme) -> dict[str, Indicator]:
    """The library's leaf indicators by code."""
    return {item.node.code: item.node for item in library(scheme) if item.node.is_leaf}
