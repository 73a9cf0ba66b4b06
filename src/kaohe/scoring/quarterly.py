"""The quarterly result (R6) of a whole unit in one vectorised pass. Pure: NumPy and the standard library.

Public API (the method, with worked examples, is in docs/scoring.md, "Quarterly score"):

    inputs = QuarterInputs(...)            # plain values and arrays, one row per person
    results = score_quarter(inputs)        # -> QuarterResults: arrays, one row per person
    results.person(i)                      # -> PersonResult: one person's score and its breakdown
    results.person(i).shown()              # the same, rounded to 2 decimals for display

`kaohe.scoring.quarterly_from_scheme.quarter_inputs` builds `QuarterInputs` from a year's `Scheme`; nothing
here has a default: every rule number, weight and policy is an input.

For every person:

- the **indicator score**: every leaf of the person's tree gets points (0–100 with the default caps) by its
  rule — quantitative: bands, linear or ratio to the level's target; qualitative: the rater groups' mean
  ratings, each converted to points (rating ÷ scale max × 100) and weighted by the group weights. Each leaf
  weighs its *composed* weight (the product of the percent weights down the tree, siblings normalised by their
  sum). A leaf that cannot be scored (missing metric, short of raters, under the `exclude` policies) is left
  out and its siblings share its weight, level by level up the tree. The indicator score is the sum of the
  contributions `composed weight × points ÷ 100`, so the breakdown adds up to it exactly (to float precision);
- the **record score**: `kaohe.scoring.records.record_scores` with the scheme's record rule, unchanged;
- the **quarterly score**: `kaohe.scoring.records.weighted_quarter`: `records.weight` % of the record score
  plus the rest of the indicator score;
- **flags** (`FLAG_NAMES`): missing rater group, leaves short of raters, missing metrics, no records, no
  scorable indicator, record score not judged;
- an **inputs hash**: SHA-256 over a canonical serialisation of everything that determines the person's result
  (the scheme version hash included), independent of the order of people, leaves and groups in the input.

Inputs are checked (shapes, ranges, consistency) and refused with `ValueError`: they are built by code, not
typed by users; the feature turns user mistakes into Chinese messages before calling the engine.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from kaohe.scoring.records import RecordScoreRule, record_scores, weighted_quarter

# --- vocabulary ------------------------------------------------------------------------------------------

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
RULES = ("bands", "linear", "ratio")
MISSING_GROUP_RULES = ("renormalise", "zero")
SHORT_OF_RATERS_RULES = ("exclude", "score")
MISSING_METRIC_RULES = ("exclude", "zero")

# the state of one leaf for one person
ABSENT = 0  # not in the person's tree
SCORED = 1
MISSING_METRIC = 2  # quantitative leaf without a value
SHORT_OF_RATERS = 3  # qualitative leaf rated by fewer people than its minimum (未达交叉验证人数)
STATUS_NAMES = {ABSENT: "absent", SCORED: "scored", MISSING_METRIC: "missing_metric",
                SHORT_OF_RATERS: "short_of_raters"}

# person flags (a bit mask per person)
FLAG_MISSING_GROUP = 1  # a rater group asked for by a leaf had nobody for the person
FLAG_SHORT_OF_RATERS = 2  # a qualitative leaf had fewer raters than its minimum
FLAG_MISSING_METRIC = 4  # a quantitative leaf had no value
FLAG_NO_RECORDS = 8  # no daily record submitted in the quarter
FLAG_NO_INDICATORS = 16  # no leaf could be scored: indicator score 0
FLAG_RECORDS_UNJUDGED = 32  # record score NaN (expected count missing): quarterly score NaN
FLAG_NAMES = {FLAG_MISSING_GROUP: "missing_group", FLAG_SHORT_OF_RATERS: "short_of_raters",
              FLAG_MISSING_METRIC: "missing_metric", FLAG_NO_RECORDS: "no_records",
              FLAG_NO_INDICATORS: "no_indicators", FLAG_RECORDS_UNJUDGED: "records_unjudged"}


# --- inputs ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Node:
    """A node of the indicator library: `parent` is None for a level-1 indicator. Leaves are the nodes
    nobody names as parent; the union of every overlay's nodes is one forest (codes are unique)."""

    code: str
    parent: str | None


@dataclass(frozen=True, kw_only=True)
class QuantitativeLeaf:
    """A quantitative leaf and its rule (S3). `targets` has one target per level, indexed by
    `QuarterInputs.level` (a plain target is repeated)."""

    code: str
    rule: str  # bands | linear | ratio
    higher_better: bool
    bands: tuple[tuple[float, float], ...] = ()  # bands: (threshold, points), in the scheme's order
    otherwise: float | None = None  # bands: points when no band is reached
    floor: float | None = None  # linear: the value that scores 0
    targets: tuple[float, ...] = ()  # linear: the value that scores 100; ratio: the target
    cap: float | None = None  # ratio: the most points

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"{self.code}: unknown rule {self.rule!r}")
        if self.rule == "bands" and (not self.bands or self.otherwise is None):
            raise ValueError(f"{self.code}: a bands rule needs bands and otherwise")
        if self.rule == "linear" and (self.floor is None or not self.targets
                                      or any(t == self.floor for t in self.targets)):
            raise ValueError(f"{self.code}: a linear rule needs a floor and targets different from it")
        if self.rule == "ratio" and (self.cap is None or self.cap <= 0 or not self.targets
                                     or any(t <= 0 for t in self.targets)):
            raise ValueError(f"{self.code}: a ratio rule needs positive targets and a positive cap")


@dataclass(frozen=True, kw_only=True)
class QualitativeLeaf:
    """A qualitative leaf: the rater groups that rate it, its rating scale (ratings are 0..`scale_max`) and the
    fewest raters (all groups together) it needs to be cross-validated (S2)."""

    code: str
    groups: tuple[str, ...]
    scale_max: float
    min_raters: int

    def __post_init__(self) -> None:
        if not self.groups or self.scale_max <= 0 or self.min_raters < 1:
            raise ValueError(f"{self.code}: needs rater groups, a positive scale and min_raters ≥ 1")


@dataclass(frozen=True, kw_only=True)
class RecordCounts:
    """The daily-record counts of the quarter, one entry per person (see `kaohe.scoring.records`)."""

    confirmed: np.ndarray
    returned: np.ndarray
    late: np.ndarray
    submitted: np.ndarray
    expected: np.ndarray
    mean_mark: np.ndarray

    def columns(self) -> tuple[np.ndarray, ...]:
        return tuple(np.asarray(getattr(self, name), dtype=np.float64) for name in _RECORD_FIELDS)


_RECORD_FIELDS = ("confirmed", "returned", "late", "submitted", "expected", "mean_mark")


@dataclass(frozen=True, kw_only=True)
class QuarterInputs:
    """Everything one quarter's computation needs. Shapes: n people, N nodes, Q quantitative and R qualitative
    leaves, G rater groups, T distinct trees.

    - `tree_weights` (T × N): each node's weight, percent of its parent, in each distinct tree (0 = the node is
      not in that tree); `tree_of` (n,) the tree of each person.
    - `level` (n,): index into each leaf's `targets` (the post level, S3).
    - `values` (n × Q): quantitative values, NaN = missing.
    - `ratings` (n × R × G): mean rating per leaf and group, on the leaf's scale, NaN where nobody rated;
      `raters` (n × R × G): how many rated.
    """

    scheme_hash: str
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
    person_ids: Sequence[Any]
    tree_of: np.ndarray
    tree_weights: np.ndarray
    level: np.ndarray
    values: np.ndarray
    ratings: np.ndarray
    raters: np.ndarray
    records: RecordCounts


# --- results ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRating:
    group: str
    mean: float | None  # on the leaf's scale; None when nobody of the group rated
    raters: int
    share: float  # the group's share of the leaf's points after the missing-group rule (0–1)


@dataclass(frozen=True)
class LeafLine:
    """One line of a person's breakdown: value or ratings → rule → points → weight → contribution."""

    code: str
    kind: str  # quantitative | qualitative
    status: str  # scored | missing_metric | short_of_raters
    counted: bool  # whether it counts in the indicator score
    rule: str  # bands | linear | ratio | groups
    value: float | None  # quantitative value (None: missing)
    target: float | None  # the level's target (linear, ratio)
    ratings: tuple[GroupRating, ...]  # qualitative
    raters: int | None  # qualitative: raters of all groups together
    points: float | None  # None when the leaf could not be scored
    nominal_weight: float  # composed weight in the person's tree, percent
    weight: float  # composed weight after renormalisation, percent (0 if not counted)
    contribution: float  # weight × points ÷ 100


@dataclass(frozen=True)
class PersonResult:
    person_id: Any
    record_score: float
    indicator_score: float
    record_part: float
    indicator_part: float
    quarterly_score: float
    record_weight: float
    flags: tuple[str, ...]
    missing_groups: tuple[str, ...]
    short_of_raters: tuple[str, ...]
    missing_metrics: tuple[str, ...]
    lines: tuple[LeafLine, ...]
    inputs_hash: str
    scheme_hash: str

    def shown(self) -> PersonResult:
        """The result rounded for display: every number to 2 decimals, half up; the contributions of the
        counted lines by largest remainder, so that the shown contributions add up to the shown indicator
        score exactly (a shown contribution differs from its exact value by less than 0.01)."""
        shown_lines = _shown_contributions([line.contribution if line.counted else 0.0 for line in self.lines],
                                           self.indicator_score)
        lines = tuple(
            LeafLine(line.code, line.kind, line.status, line.counted, line.rule, _round(line.value),
                     _round(line.target),
                     tuple(GroupRating(g.group, _round(g.mean), g.raters, g.share) for g in line.ratings),
                     line.raters, _round(line.points), _round2(line.nominal_weight), _round2(line.weight), shown)
            for line, shown in zip(self.lines, shown_lines, strict=True))
        return PersonResult(self.person_id, _round2(self.record_score), _round2(self.indicator_score),
                            _round2(self.record_part), _round2(self.indicator_part), _round2(self.quarterly_score),
                            self.record_weight, self.flags, self.missing_groups, self.short_of_raters,
                            self.missing_metrics, lines, self.inputs_hash, self.scheme_hash)


@dataclass(frozen=True)
class QuarterResults:
    """Every person's result, row i for `person_ids[i]`. Leaf columns: the quantitative leaves, then the
    qualitative ones, in input order (`leaf_codes`)."""

    scheme_hash: str
    person_ids: tuple[Any, ...]
    leaf_codes: tuple[str, ...]
    leaf_kinds: tuple[str, ...]
    groups: tuple[str, ...]
    record_weight: float
    record_score: np.ndarray  # (n,)
    indicator_score: np.ndarray  # (n,)
    record_part: np.ndarray  # (n,) record_weight % of the record score
    indicator_part: np.ndarray  # (n,) the rest of the indicator score
    quarterly_score: np.ndarray  # (n,)
    flags: np.ndarray  # (n,) bit mask of FLAG_*
    inputs_hash: tuple[str, ...]
    status: np.ndarray  # (n, L) ABSENT / SCORED / MISSING_METRIC / SHORT_OF_RATERS
    counted: np.ndarray  # (n, L) bool: counts in the indicator score
    points: np.ndarray  # (n, L) NaN where not scored
    target: np.ndarray  # (n, Q) the level's target of linear and ratio leaves, NaN for bands
    nominal_weight: np.ndarray  # (n, L) composed weight in the person's tree
    weight: np.ndarray  # (n, L) composed weight after renormalisation
    contribution: np.ndarray  # (n, L)
    group_share: np.ndarray  # (n, R, G) each group's share of a qualitative leaf's points
    group_missing: np.ndarray  # (n, R, G) bool: the leaf asks for the group, nobody of it rated
    raters_total: np.ndarray  # (n, R)
    values: np.ndarray  # (n, Q) the inputs, for the breakdown
    ratings: np.ndarray  # (n, R, G)
    raters: np.ndarray  # (n, R, G)
    rules: tuple[str, ...]  # (L,) bands | linear | ratio | groups
    tree_order: tuple[int, ...]  # leaf columns in the order of the input nodes (the scheme's order)
    _index: dict[Any, int] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.person_ids)

    def index(self, person_id: Any) -> int:
        if not self._index:
            self._index.update((pid, i) for i, pid in enumerate(self.person_ids))
        return self._index[person_id]

    def flag_names(self, i: int) -> tuple[str, ...]:
        mask = int(self.flags[i])
        return tuple(name for bit, name in FLAG_NAMES.items() if mask & bit)

    def person(self, i: int) -> PersonResult:
        """Row i as plain Python values, with its breakdown (leaves not in the person's tree left out)."""
        q = self.values.shape[1]
        lines = []
        for j in self.tree_order:
            code = self.leaf_codes[j]
            status = int(self.status[i, j])
            if status == ABSENT:
                continue
            kind = self.leaf_kinds[j]
            value = target = raters = None
            ratings: tuple[GroupRating, ...] = ()
            if kind == QUANTITATIVE:
                value = _maybe(self.values[i, j])
                target = _maybe(self.target[i, j])
            else:
                k = j - q
                raters = int(self.raters_total[i, k])
                ratings = tuple(
                    GroupRating(g, _maybe(self.ratings[i, k, gi]), int(self.raters[i, k, gi]),
                                float(self.group_share[i, k, gi]))
                    for gi, g in enumerate(self.groups)
                    if self.group_share[i, k, gi] > 0 or self.raters[i, k, gi] > 0 or self.group_missing[i, k, gi])
            lines.append(LeafLine(code, kind, STATUS_NAMES[status], bool(self.counted[i, j]), self.rules[j], value,
                                  target, ratings, raters, _maybe(self.points[i, j]),
                                  float(self.nominal_weight[i, j]), float(self.weight[i, j]),
                                  float(self.contribution[i, j])))
        missing = tuple(g for gi, g in enumerate(self.groups) if self.group_missing[i, :, gi].any())
        short = tuple(line.code for line in lines if line.status == "short_of_raters")
        metrics = tuple(line.code for line in lines if line.status == "missing_metric")
        return PersonResult(self.person_ids[i], float(self.record_score[i]), float(self.indicator_score[i]),
                            float(self.record_part[i]), float(self.indicator_part[i]),
                            float(self.quarterly_score[i]), self.record_weight, self.flag_names(i), missing, short,
                            metrics, tuple(lines), self.inputs_hash[i], self.scheme_hash)


    def breakdowns(self) -> list[dict[str, Any]]:
        """Every person's breakdown as plain JSON-ready values, built from the arrays in bulk (what a feature
        stores; `person(i)` builds the same lines as objects, one person at a time). Exact values rounded to
        6 decimals; `shown_lines` rounds them for display. Lines follow the scheme's order; leaves not in the
        person's tree are left out."""
        order = np.asarray(self.tree_order, dtype=np.intp)
        q = self.values.shape[1]
        kinds = [self.leaf_kinds[j] for j in order]
        codes = [self.leaf_codes[j] for j in order]
        rules = [self.rules[j] for j in order]

        def rows(array: np.ndarray) -> list[list[Any]]:
            rounded = np.round(array[:, order].astype(np.float64), 6)
            return np.where(np.isnan(rounded), None, rounded).tolist()

        padded_values = np.full((len(self.person_ids), len(self.leaf_codes)), np.nan)
        padded_values[:, :q] = self.values
        padded_target = np.full_like(padded_values, np.nan)
        padded_target[:, :q] = self.target
        status = self.status[:, order].tolist()
        counted = self.counted[:, order].tolist()
        points, nominal, weight = rows(self.points), rows(self.nominal_weight), rows(self.weight)
        contribution, value, target = rows(self.contribution), rows(padded_values), rows(padded_target)
        ratings = np.where(np.isnan(self.ratings), None, np.round(self.ratings, 6)).tolist()
        raters, share = self.raters.tolist(), np.round(self.group_share, 6).tolist()
        missing, totals = self.group_missing.tolist(), self.raters_total.tolist()
        out = []
        for i in range(len(self.person_ids)):
            lines = []
            missing_groups: set[str] = set()
            for c, j in enumerate(order.tolist()):
                state = status[i][c]
                if state == ABSENT:
                    continue
                line: dict[str, Any] = {
                    "code": codes[c], "kind": kinds[c], "status": STATUS_NAMES[state], "counted": counted[i][c],
                    "rule": rules[c], "value": value[i][c], "target": target[i][c], "points": points[i][c],
                    "nominal_weight": nominal[i][c], "weight": weight[i][c], "contribution": contribution[i][c]}
                if kinds[c] == QUALITATIVE:
                    k = j - q
                    line["raters"] = totals[i][k]
                    line["ratings"] = [
                        {"group": g, "mean": ratings[i][k][gi], "raters": raters[i][k][gi], "share": share[i][k][gi]}
                        for gi, g in enumerate(self.groups)
                        if share[i][k][gi] > 0 or raters[i][k][gi] > 0 or missing[i][k][gi]]
                    missing_groups.update(g for gi, g in enumerate(self.groups) if missing[i][k][gi])
                lines.append(line)
            out.append({
                "record_part": round(float(self.record_part[i]), 6),
                "indicator_part": round(float(self.indicator_part[i]), 6),
                "missing_groups": [g for g in self.groups if g in missing_groups],
                "short_of_raters": [line["code"] for line in lines if line["status"] == "short_of_raters"],
                "missing_metrics": [line["code"] for line in lines if line["status"] == "missing_metric"],
                "lines": lines})
        return out


def shown_lines(breakdown: dict[str, Any], indicator_score: float) -> list[dict[str, Any]]:
    """A stored breakdown's lines rounded for display, as `PersonResult.shown` does: every number to 2
    decimals, half up; the counted contributions by largest remainder, so they add up to the shown indicator
    score exactly."""
    lines = breakdown.get("lines", [])
    shown = _shown_contributions([line["contribution"] if line["counted"] else 0.0 for line in lines],
                                 float(indicator_score))
    return [{**line, "value": _round(line["value"]), "target": _round(line["target"]),
             "points": _round(line["points"]), "nominal_weight": _round2(line["nominal_weight"]),
             "weight": _round2(line["weight"]), "contribution": cents,
             "ratings": [{**g, "mean": _round(g["mean"])} for g in line.get("ratings", [])]}
            for line, cents in zip(lines, shown, strict=True)]


# --- the engine ------------------------------------------------------------------------------------------

def score_quarter(inputs: QuarterInputs) -> QuarterResults:
    """Every person's quarterly result, in one vectorised pass.

    Internally every array is leaf-major — (L, n), (R, G, n) — so that each leaf's and each group's numbers
    for the whole unit are contiguous; the results expose them person-major, as views.
    """
    n, q, r, g = _check(inputs)
    tree_of = np.asarray(inputs.tree_of, dtype=np.intp)
    level = np.asarray(inputs.level, dtype=np.intp)
    values = np.asarray(inputs.values, dtype=np.float64).reshape(n, q)
    ratings = np.asarray(inputs.ratings, dtype=np.float64).reshape(n, r, g)
    raters = np.asarray(inputs.raters).reshape(n, r, g)
    tree_weights = np.asarray(inputs.tree_weights, dtype=np.float64)

    structure = _Structure(inputs.nodes, [leaf.code for leaf in inputs.quantitative]
                           + [leaf.code for leaf in inputs.qualitative])
    tree_in = structure.in_tree(tree_weights)  # (T, L): the leaf and all its ancestors weigh > 0
    in_tree = np.take(tree_in.T, tree_of, axis=1)  # (L, n)

    # quantitative leaves
    points = np.empty((q + r, n))
    target = np.empty((q, n))
    values_t = np.ascontiguousarray(values.T)
    for j, leaf in enumerate(inputs.quantitative):
        points[j], target[j] = _rule_points(leaf, values_t[j], level)
    missing = np.isnan(values_t) & in_tree[:q]
    points[:q][missing] = 0.0 if inputs.missing_metric == "zero" else np.nan
    status = in_tree.astype(np.int8)  # ABSENT 0, SCORED 1
    status[:q][missing] = MISSING_METRIC
    counted = in_tree.copy()
    if inputs.missing_metric == "exclude":
        counted[:q] &= ~missing

    # qualitative leaves
    group_of = {key: index for index, key in enumerate(inputs.groups)}
    asked = np.zeros((r, g), dtype=bool)
    for k, leaf in enumerate(inputs.qualitative):
        asked[k, [group_of[key] for key in leaf.groups]] = True
    scale = np.array([leaf.scale_max for leaf in inputs.qualitative], dtype=np.float64).reshape(r, 1, 1)
    need = np.array([leaf.min_raters for leaf in inputs.qualitative], dtype=np.int64).reshape(r, 1)
    raters_t = np.ascontiguousarray(raters.transpose(1, 2, 0))  # (R, G, n)
    present = raters_t > 0  # _check made sure nobody rates for a group the leaf does not ask for
    group_weights = (np.asarray(inputs.group_weights, dtype=np.float64) * asked)[:, :, None]  # (R, G, 1)
    weights = group_weights * present if inputs.missing_group == "renormalise" else np.broadcast_to(
        group_weights, (r, g, n))
    total_weight = weights.sum(axis=1)  # (R, n)
    scorable = total_weight > 0
    group_share = weights / np.where(scorable, total_weight, 1.0)[:, None, :]
    group_points = np.where(present, ratings.transpose(1, 2, 0), 0.0) * (100.0 / scale)
    qual_in_tree = in_tree[q:]
    points[q:] = (group_share * group_points).sum(axis=1)
    raters_total = raters_t.sum(axis=1)  # (R, n)
    short = (raters_total < need) & qual_in_tree
    status[q:][short] = SHORT_OF_RATERS
    counted[q:] &= scorable
    dropped = ~scorable
    if inputs.short_of_raters == "exclude":
        counted[q:] &= ~short
        dropped |= short
    points[q:][dropped] = np.nan
    group_share = group_share * qual_in_tree[:, None, :]
    group_missing = asked[:, :, None] & ~present & qual_in_tree[:, None, :]

    # composed weights: nominal (the tree as it stands) and after leaving out what is not counted
    nominal = np.take(structure.composed(tree_weights.T, tree_in.T), tree_of, axis=1)  # the tree's only
    weight = structure.composed(np.take(tree_weights.T, tree_of, axis=1), counted)
    contribution = weight * np.where(counted, points, 0.0) / 100.0
    indicator = contribution.sum(axis=0)
    points[~in_tree] = np.nan
    target[~in_tree[:q]] = np.nan

    record_score = record_scores(*inputs.records.columns(), inputs.record_rule)
    record_part = inputs.record_weight * record_score / 100.0
    indicator_part = (100.0 - inputs.record_weight) * indicator / 100.0
    quarterly = weighted_quarter(record_score, indicator, inputs.record_weight,
                                 min_weight=inputs.record_min_weight)

    flags = np.zeros(n, dtype=np.int64)
    flags |= np.where(group_missing.any(axis=(0, 1)), FLAG_MISSING_GROUP, 0)
    flags |= np.where(short.any(axis=0), FLAG_SHORT_OF_RATERS, 0)
    flags |= np.where(missing.any(axis=0), FLAG_MISSING_METRIC, 0)
    submitted = np.nan_to_num(np.asarray(inputs.records.submitted, dtype=np.float64), nan=0.0)
    flags |= np.where(submitted == 0, FLAG_NO_RECORDS, 0)
    flags |= np.where(~counted.any(axis=0), FLAG_NO_INDICATORS, 0)
    flags |= np.where(np.isnan(record_score), FLAG_RECORDS_UNJUDGED, 0)

    kinds = (QUANTITATIVE,) * q + (QUALITATIVE,) * r
    rules = tuple(leaf.rule for leaf in inputs.quantitative) + ("groups",) * r
    return QuarterResults(
        scheme_hash=inputs.scheme_hash, person_ids=tuple(inputs.person_ids), leaf_codes=tuple(structure.leaf_codes),
        leaf_kinds=kinds, groups=tuple(inputs.groups), record_weight=float(inputs.record_weight),
        record_score=record_score, indicator_score=indicator, record_part=record_part,
        indicator_part=indicator_part, quarterly_score=quarterly, flags=flags,
        inputs_hash=inputs_hashes(inputs), status=status.T, counted=counted.T, points=points.T, target=target.T,
        nominal_weight=nominal.T, weight=weight.T, contribution=contribution.T,
        group_share=group_share.transpose(2, 0, 1), group_missing=group_missing.transpose(2, 0, 1),
        raters_total=raters_total.T, values=values, ratings=ratings, raters=raters, rules=rules,
        tree_order=tuple(int(j) for j in np.argsort(structure.leaf_nodes, kind="stable")))


def _rule_points(leaf: QuantitativeLeaf, value: np.ndarray, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(points, target) of one quantitative leaf for everyone; NaN values give arbitrary points (masked later)."""
    if leaf.rule == "bands":
        assert leaf.otherwise is not None
        points = np.full(value.shape, float(leaf.otherwise))
        for threshold, score in reversed(leaf.bands):  # the first band reached wins
            reached = value >= threshold if leaf.higher_better else value <= threshold
            points = np.where(reached, float(score), points)
        return points, np.full(value.shape, np.nan)
    target = np.asarray(leaf.targets, dtype=np.float64)[level]
    if leaf.rule == "linear":
        assert leaf.floor is not None
        share = (value - leaf.floor) / (target - leaf.floor)
        return np.clip(share, 0.0, 1.0) * 100.0, target
    assert leaf.cap is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        if leaf.higher_better:
            ratio = value / target * 100.0
        else:
            ratio = np.where(value > 0, target / np.where(value > 0, value, 1.0) * 100.0, leaf.cap)
    return np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, leaf.cap), target


class _Structure:
    """The forest of nodes as index arrays: leaves, parents before children, each parent's children."""

    def __init__(self, nodes: Sequence[Node], leaf_codes: list[str]) -> None:
        codes = [node.code for node in nodes]
        if len(set(codes)) != len(codes):
            raise ValueError("node codes must be unique")
        index = {code: i for i, code in enumerate(codes)}
        children: dict[int, list[int]] = {-1: []}
        for i, node in enumerate(nodes):
            if node.parent is not None and node.parent not in index:
                raise ValueError(f"{node.code}: unknown parent {node.parent}")
            children.setdefault(-1 if node.parent is None else index[node.parent], []).append(i)
        leaves = {i for i in range(len(codes)) if i not in children}
        if set(leaf_codes) != {codes[i] for i in leaves} or len(leaf_codes) != len(leaves):
            raise ValueError("every leaf node must be exactly one quantitative or qualitative leaf, and back")
        # parents before children (breadth first from the roots); a cycle never reaches the roots
        order: list[int] = []
        pending = [-1]
        while pending:
            parent = pending.pop(0)
            order.append(parent)
            pending.extend(kid for kid in children.get(parent, []) if kid in children)
        if len(order) != len(children):
            raise ValueError("the nodes do not form a forest")
        self.size = len(codes)
        self.leaf_codes = leaf_codes
        self.leaf_nodes = np.array([index[code] for code in leaf_codes], dtype=np.intp)
        self.families = [(parent, np.array(children[parent], dtype=np.intp)) for parent in order]
        self.parent = np.array([-1 if node.parent is None else index[node.parent] for node in nodes],
                               dtype=np.intp)

    def in_tree(self, tree_weights: np.ndarray) -> np.ndarray:
        """(T, L): the leaf and every ancestor weigh more than 0 in the tree."""
        inside = tree_weights > 0
        for parent, kids in self.families:  # parents before children: an ancestor's exclusion flows down
            if parent >= 0:
                inside[:, kids] &= inside[:, [parent]]
        return inside[:, self.leaf_nodes]

    def composed(self, node_weights: np.ndarray, leaf_active: np.ndarray) -> np.ndarray:
        """(L, m) composed weights in percent from (N, m) node weights and (L, m) active leaves, one column per
        person (or per tree): siblings share their parent's weight in proportion to their own weights, among
        the siblings that are active (a node is active when a leaf below it is). Rows are nodes, so every
        family is a block of contiguous rows."""
        m = node_weights.shape[1]
        active = np.zeros((self.size, m), dtype=bool)
        active[self.leaf_nodes] = leaf_active
        for parent, kids in reversed(self.families):  # children before parents
            if parent >= 0:
                active[parent] = active[kids].any(axis=0)
        effective = np.zeros((self.size, m))
        for parent, kids in self.families:  # parents before children
            mass = node_weights[kids] * active[kids]
            total = mass.sum(axis=0)
            np.divide(mass, total, out=mass, where=total > 0)
            mass[:, total <= 0] = 0.0
            mass *= 100.0 if parent < 0 else effective[parent]
            effective[kids] = mass
        return effective[self.leaf_nodes]


def _check(inputs: QuarterInputs) -> tuple[int, int, int, int]:
    n = len(inputs.person_ids)
    if len(set(inputs.person_ids)) != n:
        raise ValueError("person_ids must be unique")
    q, r, g = len(inputs.quantitative), len(inputs.qualitative), len(inputs.groups)
    if len(inputs.group_weights) != g or len(set(inputs.groups)) != g:
        raise ValueError("one weight per rater group, groups unique")
    if any(w < 0 for w in inputs.group_weights):
        raise ValueError("group weights must not be negative")
    for leaf in inputs.qualitative:
        unknown = set(leaf.groups) - set(inputs.groups)
        if unknown:
            raise ValueError(f"{leaf.code}: unknown rater groups {sorted(unknown)}")
    for name, allowed in (("missing_group", MISSING_GROUP_RULES), ("short_of_raters", SHORT_OF_RATERS_RULES),
                          ("missing_metric", MISSING_METRIC_RULES)):
        if getattr(inputs, name) not in allowed:
            raise ValueError(f"{name} must be one of {allowed}")
    tree_weights = np.asarray(inputs.tree_weights, dtype=np.float64)
    if tree_weights.ndim != 2 or tree_weights.shape[1] != len(inputs.nodes) or tree_weights.shape[0] < 1:
        raise ValueError("tree_weights must be (trees × nodes)")
    if not np.isfinite(tree_weights).all() or (tree_weights < 0).any():
        raise ValueError("tree weights must be finite and not negative")
    tree_of = np.asarray(inputs.tree_of)
    level = np.asarray(inputs.level)
    if tree_of.shape != (n,) or level.shape != (n,):
        raise ValueError("tree_of and level need one entry per person")
    if n and (tree_of.min() < 0 or tree_of.max() >= tree_weights.shape[0]):
        raise ValueError("tree_of out of range")
    levels = min((len(leaf.targets) for leaf in inputs.quantitative if leaf.rule != "bands"), default=None)
    if n and levels is not None and (level.min() < 0 or level.max() >= levels):
        raise ValueError("level out of range of the targets")
    values = np.asarray(inputs.values, dtype=np.float64)
    if values.size != n * q or np.isinf(values).any():
        raise ValueError("values must be (people × quantitative leaves), finite or NaN")
    ratings = np.asarray(inputs.ratings, dtype=np.float64)
    raters = np.asarray(inputs.raters)
    if ratings.size != n * r * g or raters.size != n * r * g:
        raise ValueError("ratings and raters must be (people × qualitative leaves × groups)")
    ratings, raters = ratings.reshape(n, r, g), raters.reshape(n, r, g)
    whole = np.issubdtype(raters.dtype, np.integer) or np.array_equal(raters, np.round(raters))
    if not whole or (raters < 0).any():
        raise ValueError("rater counts must be whole numbers, not negative")
    rated = raters > 0
    if (np.isnan(ratings) == rated).any():
        raise ValueError("a mean rating is given exactly where somebody rated")
    scale = np.array([leaf.scale_max for leaf in inputs.qualitative], dtype=np.float64).reshape(1, r, 1)
    if ((ratings < 0) | (ratings > scale)).any():  # NaN compares False
        raise ValueError("mean ratings must lie within 0 and the leaf's scale")
    group_of = {key: index for index, key in enumerate(inputs.groups)}
    asked = np.zeros((r, g), dtype=bool)
    for k, leaf in enumerate(inputs.qualitative):
        asked[k, [group_of[key] for key in leaf.groups]] = True
    if (rated & ~asked[None]).any():
        raise ValueError("ratings from a group the leaf does not ask for")
    if len(inputs.records.submitted) != n:
        raise ValueError("record counts need one entry per person")
    return n, q, r, g


# --- hashing ---------------------------------------------------------------------------------------------

def _canonical(array: np.ndarray) -> np.ndarray:
    """float64, one NaN, no −0: equal numbers give equal bytes."""
    array = np.asarray(array, dtype=np.float64) + 0.0
    return np.where(np.isnan(array), np.nan, array)


def _header(inputs: QuarterInputs) -> bytes:
    """Everything shared by the whole unit, as canonical JSON (sorted by code and key)."""
    def number(value: float | None) -> str | None:
        return None if value is None else repr(float(value))

    quantitative = sorted(inputs.quantitative, key=lambda leaf: leaf.code)
    qualitative = sorted(inputs.qualitative, key=lambda leaf: leaf.code)
    document = {
        "scheme_hash": inputs.scheme_hash,
        "nodes": sorted([node.code, node.parent] for node in inputs.nodes),
        "quantitative": [{"code": leaf.code, "rule": leaf.rule, "higher_better": leaf.higher_better,
                          "bands": [[number(t), number(s)] for t, s in leaf.bands],
                          "otherwise": number(leaf.otherwise), "floor": number(leaf.floor),
                          "targets": [number(t) for t in leaf.targets], "cap": number(leaf.cap)}
                         for leaf in quantitative],
        "qualitative": [{"code": leaf.code, "groups": sorted(leaf.groups), "scale_max": number(leaf.scale_max),
                         "min_raters": leaf.min_raters} for leaf in qualitative],
        "groups": sorted([key, number(w)] for key, w in zip(inputs.groups, inputs.group_weights, strict=True)),
        "policy": [inputs.missing_group, inputs.short_of_raters, inputs.missing_metric],
        "records": {**{k: number(v) for k, v in asdict(inputs.record_rule).items()},
                    "weight": number(inputs.record_weight), "min_weight": number(inputs.record_min_weight)},
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def inputs_hashes(inputs: QuarterInputs) -> tuple[str, ...]:
    """Each person's inputs hash: SHA-256 of the unit's canonical header (scheme hash, tree, rules, groups,
    policies, record rule), the digest of the person's tree weights, then the person's level, values, ratings,
    rater counts and record counts as float64, columns in code order and groups in key order — so neither the
    order of people nor of leaves or groups matters."""
    n = len(inputs.person_ids)
    if n == 0:
        return ()
    head = hashlib.sha256(_header(inputs)).digest()
    node_order = np.argsort([node.code for node in inputs.nodes], kind="stable")
    trees = _canonical(np.asarray(inputs.tree_weights, dtype=np.float64)[:, node_order])
    prefixes = [hashlib.sha256(head + hashlib.sha256(row.tobytes()).digest()) for row in trees]
    q, r, g = len(inputs.quantitative), len(inputs.qualitative), len(inputs.groups)
    quantitative = np.argsort([leaf.code for leaf in inputs.quantitative], kind="stable")
    qualitative = np.argsort([leaf.code for leaf in inputs.qualitative], kind="stable")
    groups = np.argsort(list(inputs.groups), kind="stable")
    cells = (qualitative[:, None] * g + groups[None, :]).ravel()  # (leaf, group) cells in canonical order
    width = 1 + q + 2 * r * g + len(_RECORD_FIELDS)
    rows = np.empty((n, width))
    rows[:, 0] = inputs.level
    rows[:, 1:1 + q] = np.asarray(inputs.values, dtype=np.float64).reshape(n, q)[:, quantitative]
    at = 1 + q
    for array in (inputs.ratings, inputs.raters):
        rows[:, at:at + r * g] = np.asarray(array, dtype=np.float64).reshape(n, r * g)[:, cells]
        at += r * g
    for column in inputs.records.columns():
        rows[:, at] = column
        at += 1
    rows += 0.0  # −0 → 0
    rows[np.isnan(rows)] = np.nan  # one NaN
    data = memoryview(rows).cast("B")
    size = width * 8
    hashes = []
    for i, tree in enumerate(np.asarray(inputs.tree_of, dtype=np.intp).tolist()):
        digest = prefixes[tree].copy()
        digest.update(data[i * size:(i + 1) * size])
        hashes.append(digest.hexdigest())
    return tuple(hashes)


# --- display rounding ------------------------------------------------------------------------------------

def _round2(value: float) -> float:
    if math.isnan(value):
        return value
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _round(value: float | None) -> float | None:
    return None if value is None else _round2(value)


def _maybe(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _shown_contributions(contributions: list[float], total: float) -> list[float]:
    """Contributions in hundredths that add up to `total` rounded to hundredths (largest remainder)."""
    if not contributions:
        return []
    target = round(_round2(total) * 100)
    cents = [c * 100 for c in contributions]
    floors = [math.floor(c + 1e-9) for c in cents]
    left = target - sum(floors)
    by_remainder = sorted(range(len(cents)), key=lambda i: (-(cents[i] - floors[i]), i))
    for i in by_remainder[:max(0, left)]:
        floors[i] += 1
    for i in reversed(by_remainder):  # only after float noise: take a hundredth back from the smallest remainders
        if left >= 0:
            break
        if floors[i] > 0:
            floors[i] -= 1
            left += 1
    return [f / 100 for f in floors]
