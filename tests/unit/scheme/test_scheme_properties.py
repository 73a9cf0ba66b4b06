"""Property tests: composed leaf weights always add up to 100%, and a broken sibling sum is
always reported at the path of that list of siblings."""

from __future__ import annotations

import copy
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scheme.indicators import Indicator
from kaohe.scheme.loader import scheme_from_data
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import effective_weights
from kaohe.scheme.validate_tree import sibling_sums

LEAF_MEASURE = {
    "kind": "quantitative",
    "data_source": "project_system",
    "rule": {"type": "ratio", "target": 1},
}


@st.composite
def partitions(draw: st.DrawFn, max_parts: int = 4) -> list[float]:
    """Positive weights with one decimal place that add up to exactly 100."""
    count = draw(st.integers(min_value=1, max_value=max_parts))
    cuts = draw(st.lists(st.integers(1, 999), min_size=count - 1, max_size=count - 1, unique=True))
    points = [0, *sorted(cuts), 1000]
    return [(high - low) / 10 for low, high in pairwise(points)]


@st.composite
def forests(draw: st.DrawFn, depth: int, prefix: str = "G") -> list[dict[str, Any]]:
    """A list of sibling nodes (plain data) at most `depth` levels deep."""
    nodes = []
    for index, weight in enumerate(draw(partitions())):
        code = f"{prefix}.{index + 1}"
        node: dict[str, Any] = {"code": code, "name": f"指标{code}", "weight": weight, "standard": f"标准{code}"}
        if depth > 1 and draw(st.booleans()):
            node["children"] = draw(forests(depth - 1, code))
        else:
            node["measure"] = copy.deepcopy(LEAF_MEASURE)
        nodes.append(node)
    return nodes


def sibling_lists(nodes: list[dict[str, Any]], path: str) -> list[tuple[str, list[dict[str, Any]]]]:
    found = [(path, nodes)]
    for index, node in enumerate(nodes):
        if "children" in node:
            found.extend(sibling_lists(node["children"], f"{path}[{index}].children"))
    return found


@settings(max_examples=200, deadline=None)
@given(forests(depth=3))
def test_composed_leaf_weights_sum_to_100(forest: list[dict[str, Any]]) -> None:
    nodes = [Indicator.model_validate(node) for node in forest]
    assert sibling_sums(nodes, "indicators") == []
    weights = effective_weights(nodes)
    assert sum(weights.values()) == Fraction(100)
    assert all(weight > 0 for weight in weights.values())


@settings(max_examples=200, deadline=None)
@given(forests(depth=3), st.data())
def test_a_broken_sibling_sum_is_reported_at_its_path(
    forest: list[dict[str, Any]], data: st.DataObject
) -> None:
    path, siblings = data.draw(st.sampled_from(sibling_lists(forest, "indicators")))
    node = data.draw(st.sampled_from(siblings))
    node["weight"] = data.draw(
        st.integers(1, 1000).map(lambda tenth: tenth / 10).filter(lambda w: w != node["weight"])
    )
    nodes = [Indicator.model_validate(item) for item in forest]
    problems = sibling_sums(nodes, "indicators")
    assert [problem.path for problem in problems] == [path]
    # Composition still normalises, so the leaves keep adding up to 100%.
    assert sum(effective_weights(nodes).values()) == Fraction(100)


@settings(max_examples=60, deadline=None)
@given(forest=forests(depth=2, prefix="JI.G"), draw=st.data(), breaks=st.booleans())
def test_the_validator_reports_exactly_the_broken_list_in_a_full_scheme(
    _default_data: dict[str, Any],
    forest: list[dict[str, Any]],
    draw: st.DataObject,
    breaks: bool,
) -> None:
    scheme_data = copy.deepcopy(_default_data)
    scheme_data["indicators"][3]["children"] = forest  # 绩: level 1, so the forest is levels 2–3
    scheme_data["post_templates"] = []
    scheme_data["post_indicator_sets"] = []
    # the warnings (Q5) watch leaves of 绩, replaced here: point them at quantitative leaves that remain
    warnings = scheme_data["quarterly"]["warnings"]
    warnings["satisfaction_indicator"], warnings["task_progress_indicator"] = "QIN.1.1", "CX.1.1"
    expected: list[str] = []
    if breaks:
        path, siblings = draw.draw(st.sampled_from(sibling_lists(forest, "indicators[3].children")))
        weight = siblings[0]["weight"]
        siblings[0]["weight"] = round(weight + 1, 1) if weight <= 99 else round(weight - 0.5, 1)
        expected = [path]
    result = scheme_from_data(scheme_data)
    found = [] if isinstance(result, Scheme) else [problem.path for problem in result]
    assert found == expected
