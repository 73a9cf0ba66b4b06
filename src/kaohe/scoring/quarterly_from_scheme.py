"""A year's scheme read out for the quarterly engine (`kaohe.scoring.quarterly`), and each person's tree.

    setup = quarter_setup(scheme)                       # the unit's part: library, rules, groups, policies
    inputs = quarter_inputs(scheme, scheme_hash=version.sha256, people=[(staff.id, Post(...)), ...],
                            values=[(staff_id, "JI.1.1", 96.0), ...],
                            ratings=[(staff_id, "DE.1.2", "peers", 88.5, 4), ...],
                            records={staff_id: RecordTally(submitted=.., confirmed=.., ...)})
    results = score_quarter(inputs)

Everything comes from the scheme: the library (base tree, post templates, post-specific sets) as one forest;
each leaf's rule with its level-specific targets (S3); qualitative leaves' rater groups, scale
(`five_point`: 1–5, so scale max 5; `hundred`: 0–`quarterly.rating_scale_max`) and minimum raters (the larger
of the leaf's `min_raters` and `raters.min_raters`, S2); the group weights (Q3); the policies of
`quarterly`; the record rule and weight (R6). A person's tree is `kaohe.scheme.tree.indicators_for` their
post category, level, department and post.

Errors in what the caller passes (an unknown person, indicator code or group, a value for a qualitative leaf,
a duplicate) raise `ValueError` in English: the caller has checked user data before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme.enums import Direction, Scale
from kaohe.scheme.indicators import BandsRule, Indicator, LinearRule, Qualitative, Quantitative
from kaohe.scheme.models import Scheme
from kaohe.scheme.tree import indicators_for, walk
from kaohe.scoring.from_scheme import expected_per_quarter, record_score_rule
from kaohe.scoring.quarterly import (
    Node,
    QualitativeLeaf,
    QuantitativeLeaf,
    QuarterInputs,
    RecordCounts,
)
from kaohe.scoring.records import RecordScoreRule

LEVELS: tuple[Level, ...] = tuple(Level)  # the order of every QuantitativeLeaf.targets and of QuarterInputs.level


@dataclass(frozen=True)
class Post:
    """What chooses a person's tree (the overlays' selectors) and their targets (the level)."""

    level: Level
    category: PostCategory | None = None
    department: str | None = None
    post: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordTally:
    """A person's daily records of the quarter (`kaohe.records.scores.PersonScore` has them). `expected`: None
    takes the scheme's (`records.score.expected_per_month` × 3)."""

    submitted: int = 0
    confirmed: int = 0
    returned: int = 0
    late: int = 0
    mean_mark: float | None = None
    expected: float | None = None


@dataclass(frozen=True)
class QuarterSetup:
    """The unit-wide part of the engine's inputs, with indexes to fill the per-person arrays directly."""

    nodes: tuple[Node, ...]
    quantitative: tuple[QuantitativeLeaf, ...]
    qualitative: tuple[QualitativeLeaf, ...]
    groups: tuple[str, ...]
    group_weights: tuple[float, ...]
    missing_group: str
    short_of_raters: str
    missing_metric: str
    record_rule: RecordScoreRule
    record_weight: float
    record_min_weight: float
    expected_records: float
    quantitative_index: dict[str, int]
    qualitative_index: dict[str, int]
    group_index: dict[str, int]
    node_index: dict[str, int]
    _scheme: Scheme = field(repr=False, compare=False)
    _trees: dict[Post, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def tree_weights(self, post: Post) -> np.ndarray:
        """The weight (percent of its parent) of every node in the tree of `post`; 0 = not in it."""
        if post not in self._trees:
            tree = indicators_for(self._scheme, category=post.category, level=post.level,
                                  department=post.department, post=post.post)
            weights = np.zeros(len(self.nodes))
            for located in walk(tree, ""):
                weights[self.node_index[located.node.code]] = located.node.weight
            self._trees[post] = weights
        return self._trees[post]


def _quantitative(node: Indicator, measure: Quantitative) -> QuantitativeLeaf:
    rule = measure.rule
    higher = measure.direction is Direction.higher_better
    if isinstance(rule, BandsRule):
        return QuantitativeLeaf(code=node.code, rule="bands", higher_better=higher,
                                bands=tuple((band.threshold, band.score) for band in rule.bands),
                                otherwise=rule.otherwise)
    targets = tuple(rule.target.for_level(level) for level in LEVELS)
    if isinstance(rule, LinearRule):
        return QuantitativeLeaf(code=node.code, rule="linear", higher_better=higher, floor=rule.floor,
                                targets=targets)
    return QuantitativeLeaf(code=node.code, rule="ratio", higher_better=higher, targets=targets, cap=rule.cap)


def _qualitative(scheme: Scheme, node: Indicator, measure: Qualitative) -> QualitativeLeaf:
    scale = 5.0 if measure.scale is Scale.five_point else float(scheme.quarterly.rating_scale_max)
    return QualitativeLeaf(code=node.code, groups=tuple(measure.raters), scale_max=scale,
                           min_raters=max(measure.min_raters, scheme.raters.min_raters))


def _forest(scheme: Scheme) -> list[tuple[Indicator, str | None]]:
    """Every node of the library with its parent's code: overlays hang under the node they replace."""
    found: list[tuple[Indicator, str | None]] = []

    def visit(nodes: Sequence[Indicator], parent: str | None) -> None:
        for node in nodes:
            found.append((node, parent))
            visit(node.children, node.code)

    visit(scheme.indicators, None)
    for template in scheme.post_templates:
        visit(template.components, template.replaces)
    for indicator_set in scheme.post_indicator_sets:
        visit(indicator_set.indicators, indicator_set.replaces)
    return found


def forest(scheme: Scheme) -> list[tuple[Indicator, str | None]]:
    """Every node of the scheme's library (base tree and overlays) with its parent's code."""
    return _forest(scheme)


def quarter_setup(scheme: Scheme) -> QuarterSetup:
    """The engine's unit-wide inputs from a validated scheme."""
    forest = _forest(scheme)
    parents = {parent for _node, parent in forest if parent is not None}
    nodes, quantitative, qualitative = [], [], []
    for node, parent in forest:
        nodes.append(Node(code=node.code, parent=parent))
        if node.code in parents:
            if node.measure is not None:
                raise ValueError(f"{node.code}: an overlay replacing a leaf is not supported by the quarterly engine")
            continue
        if isinstance(node.measure, Quantitative):
            quantitative.append(_quantitative(node, node.measure))
        elif isinstance(node.measure, Qualitative):
            qualitative.append(_qualitative(scheme, node, node.measure))
        else:
            raise ValueError(f"{node.code}: a leaf without a measure (validate the scheme first)")
    settings = scheme.quarterly
    return QuarterSetup(
        nodes=tuple(nodes), quantitative=tuple(quantitative), qualitative=tuple(qualitative),
        groups=tuple(group.key for group in scheme.raters.groups),
        group_weights=tuple(group.weight for group in scheme.raters.groups),
        missing_group=settings.missing_group.value, short_of_raters=settings.short_of_raters.value,
        missing_metric=settings.missing_metric.value, record_rule=record_score_rule(scheme),
        record_weight=scheme.records.weight, record_min_weight=scheme.records.min_weight,
        expected_records=expected_per_quarter(scheme),
        quantitative_index={leaf.code: i for i, leaf in enumerate(quantitative)},
        qualitative_index={leaf.code: i for i, leaf in enumerate(qualitative)},
        group_index={group.key: i for i, group in enumerate(scheme.raters.groups)},
        node_index={node.code: i for i, node in enumerate(nodes)},
        _scheme=scheme)


def quarter_inputs(
    scheme: Scheme | QuarterSetup,
    *,
    scheme_hash: str,
    people: Sequence[tuple[Any, Post]],
    values: Iterable[tuple[Any, str, float | None]] = (),
    ratings: Iterable[tuple[Any, str, str, float, int]] = (),
    records: Mapping[Any, RecordTally] | None = None,
) -> QuarterInputs:
    """The engine's inputs for `people` ((id, post) each). `values`: (id, leaf code, value) — a missing value
    is simply absent (or None). `ratings`: (id, leaf code, group key, mean rating on the leaf's scale, raters).
    `records`: each person's tally; a person absent from it has no records."""
    setup = scheme if isinstance(scheme, QuarterSetup) else quarter_setup(scheme)
    n, q, r, g = len(people), len(setup.quantitative), len(setup.qualitative), len(setup.groups)
    row = {}
    for i, (person_id, _post) in enumerate(people):
        if person_id in row:
            raise ValueError(f"person {person_id!r} given twice")
        row[person_id] = i

    def person(person_id: Any) -> int:
        if person_id not in row:
            raise ValueError(f"unknown person {person_id!r}")
        return row[person_id]

    posts = [post for _id, post in people]
    distinct = list(dict.fromkeys(posts))
    tree_index = {post: t for t, post in enumerate(distinct)}
    tree_weights = np.array([setup.tree_weights(post) for post in distinct]).reshape(len(distinct),
                                                                                     len(setup.nodes))
    if not distinct:
        tree_weights = np.zeros((1, len(setup.nodes)))

    value_array = np.full((n, q), np.nan)
    seen: set[tuple[int, int]] = set()
    for person_id, code, value in values:
        if code not in setup.quantitative_index:
            raise ValueError(f"{code} is not a quantitative leaf of the scheme")
        key = (person(person_id), setup.quantitative_index[code])
        if key in seen:
            raise ValueError(f"two values of {code} for {person_id!r}")
        seen.add(key)
        value_array[key] = np.nan if value is None else float(value)

    rating_array = np.full((n, r, g), np.nan)
    rater_array = np.zeros((n, r, g), dtype=np.int64)
    for person_id, code, group, mean, count in ratings:
        if code not in setup.qualitative_index:
            raise ValueError(f"{code} is not a qualitative leaf of the scheme")
        if group not in setup.group_index:
            raise ValueError(f"{group} is not a rater group of the scheme")
        key3 = (person(person_id), setup.qualitative_index[code], setup.group_index[group])
        if rater_array[key3]:
            raise ValueError(f"two ratings of {code} by {group} for {person_id!r}")
        if count > 0:
            rating_array[key3], rater_array[key3] = float(mean), int(count)

    tallies = records or {}
    unknown = set(tallies) - set(row)
    if unknown:
        raise ValueError(f"records of unknown people {sorted(map(repr, unknown))}")
    empty = RecordTally()
    rows = [tallies.get(person_id, empty) for person_id, _post in people]
    counts = RecordCounts(
        confirmed=np.array([t.confirmed for t in rows], dtype=np.float64),
        returned=np.array([t.returned for t in rows], dtype=np.float64),
        late=np.array([t.late for t in rows], dtype=np.float64),
        submitted=np.array([t.submitted for t in rows], dtype=np.float64),
        expected=np.array([setup.expected_records if t.expected is None else t.expected for t in rows],
                          dtype=np.float64),
        mean_mark=np.array([np.nan if t.mean_mark is None else t.mean_mark for t in rows], dtype=np.float64))

    return QuarterInputs(
        scheme_hash=scheme_hash, nodes=setup.nodes, quantitative=setup.quantitative,
        qualitative=setup.qualitative, groups=setup.groups, group_weights=setup.group_weights,
        missing_group=setup.missing_group, short_of_raters=setup.short_of_raters,
        missing_metric=setup.missing_metric, record_rule=setup.record_rule, record_weight=setup.record_weight,
        record_min_weight=setup.record_min_weight, person_ids=[person_id for person_id, _post in people],
        tree_of=np.array([tree_index[post] for post in posts], dtype=np.intp),
        tree_weights=tree_weights, level=np.array([LEVELS.index(post.level) for post in posts], dtype=np.intp),
        values=value_array, ratings=rating_array, raters=rater_array, records=counts)
