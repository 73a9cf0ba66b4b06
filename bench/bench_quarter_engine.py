"""Time the quarterly engine (`kaohe.scoring.quarterly.score_quarter`) on 100,000 synthetic people of the
default scheme against a straightforward per-person pure-Python loop, in the same run.

The loop (`naive_person`) is the method of docs/scoring.md ("Quarterly score") written the obvious way: one
person at a time, dictionaries, recursion down the person's tree, the record score formula, a JSON + SHA-256
inputs hash. It runs on a sample (default 5,000 people) and is extrapolated linearly to the full size; the
script first checks that the loop and the engine agree on the sample. The tests use the same loop as a
reference (tests/unit/scoring/test_quarterly_properties.py).

Not part of the test suite. Run: .venv/bin/python bench/bench_quarter_engine.py [people] [sample]
(environment: KAOHE_BENCH_PEOPLE, KAOHE_BENCH_SAMPLE). Target: the engine at 100,000 people in ≤ 1 s.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kaohe.org.enums import Level, PostCategory
from kaohe.scheme import load_default_scheme
from kaohe.scoring.quarterly import QuarterInputs, RecordCounts, score_quarter
from kaohe.scoring.quarterly_from_scheme import LEVELS, Post, QuarterSetup, quarter_setup

# --- the straightforward loop ----------------------------------------------------------------------------


@dataclass
class NaivePerson:
    """One person as plain Python: node weights of their tree, level, values, ratings, record counts."""

    weights: dict[str, float]
    level: int
    values: dict[str, float]
    ratings: dict[tuple[str, str], tuple[float, int]]
    records: tuple[float, float, float, float, float, float]  # confirmed, returned, late, submitted, expected, mark


def naive_person(inputs: QuarterInputs, who: NaivePerson) -> dict[str, Any]:
    """The quarterly result of one person, the obvious way."""
    children: dict[str | None, list[str]] = {}
    for node in inputs.nodes:
        children.setdefault(node.parent, []).append(node.code)
    quantitative = {leaf.code: leaf for leaf in inputs.quantitative}
    qualitative = {leaf.code: leaf for leaf in inputs.qualitative}
    group_weight = dict(zip(inputs.groups, inputs.group_weights, strict=True))
    flags: set[str] = set()

    def leaf_points(code: str) -> float | None:
        """Points of a leaf, or None when it does not count."""
        if code in quantitative:
            leaf = quantitative[code]
            value = who.values.get(code)
            if value is None:
                flags.add("missing_metric")
                return 0.0 if inputs.missing_metric == "zero" else None
            if leaf.rule == "bands":
                for threshold, score in leaf.bands:
                    if (value >= threshold) if leaf.higher_better else (value <= threshold):
                        return float(score)
                return float(leaf.otherwise or 0.0)
            target = leaf.targets[who.level]
            if leaf.rule == "linear":
                floor = leaf.floor or 0.0
                return min(max((value - floor) / (target - floor), 0.0), 1.0) * 100
            cap = leaf.cap or 0.0
            if not leaf.higher_better:
                return min(max(target / value * 100, 0.0), cap) if value > 0 else cap
            return min(max(value / target * 100, 0.0), cap)
        leaf = qualitative[code]
        total_raters = 0
        weighted = weight_sum = 0.0
        for group in leaf.groups:
            mean, count = who.ratings.get((code, group), (math.nan, 0))
            total_raters += count
            if count > 0:
                weighted += group_weight[group] * mean / leaf.scale_max * 100
                weight_sum += group_weight[group]
            else:
                flags.add("missing_group")
                if inputs.missing_group == "zero":
                    weight_sum += group_weight[group]
        short = total_raters < leaf.min_raters
        if short:
            flags.add("short_of_raters")
        if weight_sum == 0 or (short and inputs.short_of_raters == "exclude"):
            return None
        return weighted / weight_sum

    points: dict[str, float | None] = {}

    def counts(code: str) -> bool:
        if who.weights.get(code, 0) <= 0:
            return False
        if code not in children:
            if code not in points:
                points[code] = leaf_points(code)
            return points[code] is not None
        return any([counts(kid) for kid in children[code]])  # a list: every leaf is visited (flags)

    contributions: dict[str, float] = {}

    def share(codes: list[str], mass: float) -> None:
        active = [code for code in codes if counts(code)]
        total = sum(who.weights[code] for code in active)
        for code in active:
            part = mass * who.weights[code] / total
            if code in children:
                share(children[code], part)
            else:
                contributions[code] = part * (points[code] or 0.0) / 100

    for code in children[None]:
        counts(code)
    share(children[None], 100.0)
    indicator = sum(contributions.values())
    if not contributions:
        flags.add("no_indicators")

    rule = inputs.record_rule
    confirmed, returned, late, submitted, expected, mark = who.records
    if not expected > 0:
        record = math.nan
    elif submitted == 0:
        record = 0.0
    else:
        volume = min(confirmed / expected, rule.volume_cap) / rule.volume_cap
        timeliness = 1 - late / submitted
        mark = rule.neutral_mark if math.isnan(mark) else min(max(mark, rule.mark_min), rule.mark_max)
        quality = (mark - rule.mark_min) / (rule.mark_max - rule.mark_min)
        record = (rule.volume_weight * volume + rule.timeliness_weight * timeliness + rule.quality_weight * quality
                  - min(rule.return_penalty * returned, rule.max_return_penalty))
        record = min(max(record, 0.0), 100.0)
    if submitted == 0:
        flags.add("no_records")
    quarterly = (inputs.record_weight * record + (100 - inputs.record_weight) * indicator) / 100
    document = {"scheme": inputs.scheme_hash, "weights": who.weights, "level": who.level, "values": who.values,
                "ratings": sorted([*key, *value] for key, value in who.ratings.items()), "records": who.records}
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()
    return {"indicator": indicator, "record": record, "quarterly": quarterly, "contributions": contributions,
            "flags": flags, "hash": digest}


def naive_people(inputs: QuarterInputs, rows: range | list[int] | None = None) -> list[NaivePerson]:
    """Rows of the engine's inputs as plain Python people (what a per-person ORM loop would hold)."""
    n = len(inputs.person_ids)
    codes_q = [leaf.code for leaf in inputs.quantitative]
    codes_r = [leaf.code for leaf in inputs.qualitative]
    node_codes = [node.code for node in inputs.nodes]
    tree_weights = np.asarray(inputs.tree_weights)
    values = np.asarray(inputs.values).reshape(n, len(codes_q))
    ratings = np.asarray(inputs.ratings).reshape(n, len(codes_r), len(inputs.groups))
    raters = np.asarray(inputs.raters).reshape(ratings.shape)
    records = np.column_stack(inputs.records.columns())
    people = []
    for i in rows if rows is not None else range(n):
        tree = tree_weights[int(inputs.tree_of[i])]
        people.append(NaivePerson(
            weights={code: float(w) for code, w in zip(node_codes, tree, strict=True) if w > 0},
            level=int(inputs.level[i]),
            values={code: float(v) for code, v in zip(codes_q, values[i], strict=True) if not math.isnan(v)},
            ratings={(code, group): (float(ratings[i, k, g]), int(raters[i, k, g]))
                     for k, code in enumerate(codes_r) for g, group in enumerate(inputs.groups) if raters[i, k, g]},
            records=tuple(float(x) for x in records[i])))  # type: ignore[arg-type]
    return people


# --- synthetic unit --------------------------------------------------------------------------------------

POSTS = [Post(level, category, post=post) for level in Level
         for category, post in ((None, None), (PostCategory.management, None), (PostCategory.management, "招商引资岗"),
                                (PostCategory.technical, None), (PostCategory.technical, "科研岗"),
                                (PostCategory.service, None))]


def synthetic(setup: QuarterSetup, n: int, seed: int = 2026) -> QuarterInputs:
    """n people spread over every post: 3% of metrics missing, 2% without a leader's rating, 5% of the other groups
    empty, some leaves short of raters, 5% without records."""
    rng = np.random.default_rng(seed)
    q, r, g = len(setup.quantitative), len(setup.qualitative), len(setup.groups)
    tree_of = rng.integers(0, len(POSTS), n)
    values = np.empty((n, q))
    for j, leaf in enumerate(setup.quantitative):
        if leaf.rule == "bands":
            top = max(t for t, _ in leaf.bands)
            values[:, j] = np.round(rng.uniform(0, top * 1.1 + 1, n), 1)
        elif leaf.rule == "linear":
            low, high = sorted((leaf.floor or 0.0, max(leaf.targets)))
            values[:, j] = np.round(rng.uniform(low - (high - low) * 0.2, high * 1.1, n), 1)
        else:
            values[:, j] = np.round(rng.uniform(0, max(leaf.targets) * 1.3, n), 1)
    values[rng.random((n, q)) < 0.03] = np.nan
    raters = np.zeros((n, r, g), dtype=np.int64)
    ratings = np.full((n, r, g), np.nan)
    for k, leaf in enumerate(setup.qualitative):
        for key in leaf.groups:
            gi = setup.group_index[key]
            if key == "leader":  # one leader in charge, missing for 2% of people
                count = (rng.random(n) >= 0.02).astype(np.int64)
            else:  # 1–5 raters, a group empty for 5%
                count = np.where(rng.random(n) < 0.05, 0, rng.integers(1, 6, n))
            raters[:, k, gi] = count
            low = 1.0 if leaf.scale_max == 5 else 0.0
            mean = np.round(rng.uniform(low + (leaf.scale_max - low) * 0.4, leaf.scale_max, n), 2)
            ratings[:, k, gi] = np.where(count > 0, mean, np.nan)
    submitted = rng.integers(0, 20, n).astype(np.float64)
    confirmed = np.floor(submitted * rng.uniform(0.5, 1, n))
    late = np.floor(submitted * rng.uniform(0, 0.3, n))
    returned = np.floor((submitted - confirmed) * rng.uniform(0, 1, n))
    mark = np.where(rng.random(n) < 0.2, np.nan, np.round(rng.uniform(1, 5, n), 2))
    return QuarterInputs(
        scheme_hash="0" * 64, nodes=setup.nodes, quantitative=setup.quantitative, qualitative=setup.qualitative,
        groups=setup.groups, group_weights=setup.group_weights, missing_group=setup.missing_group,
        short_of_raters=setup.short_of_raters, missing_metric=setup.missing_metric, record_rule=setup.record_rule,
        record_weight=setup.record_weight, record_min_weight=setup.record_min_weight,
        person_ids=list(range(n)), tree_of=tree_of, tree_weights=np.array([setup.tree_weights(p) for p in POSTS]),
        level=np.array([LEVELS.index(POSTS[t].level) for t in tree_of]), values=values, ratings=ratings,
        raters=raters, records=RecordCounts(confirmed=confirmed, returned=returned, late=late, submitted=submitted,
                                            expected=np.full(n, setup.expected_records), mean_mark=mark))


def agree(engine: Mapping[str, np.ndarray], naive: list[dict[str, Any]]) -> None:
    for name in ("indicator", "record", "quarterly"):
        fast = engine[name]
        slow = np.array([row[name] for row in naive])
        assert np.allclose(fast, slow, atol=1e-9, equal_nan=True), f"{name}: the engine and the loop disagree"


def main() -> None:
    n = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("KAOHE_BENCH_PEOPLE", "100000"))
    sample = min(n, int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("KAOHE_BENCH_SAMPLE", "5000")))
    setup = quarter_setup(load_default_scheme())
    inputs = synthetic(setup, n)
    score_quarter(synthetic(setup, 100))  # warm up imports and caches

    engine = engine_cpu = float("inf")
    for _ in range(5):  # best of five: wall clock, and the process's CPU time (the machine may be shared)
        start, cpu = time.perf_counter(), time.process_time()
        results = score_quarter(inputs)
        engine = min(engine, time.perf_counter() - start)
        engine_cpu = min(engine_cpu, time.process_time() - cpu)

    people = naive_people(inputs, range(sample))
    start, cpu = time.perf_counter(), time.process_time()
    naive = [naive_person(inputs, who) for who in people]
    loop, loop_cpu = time.perf_counter() - start, time.process_time() - cpu
    agree({"indicator": results.indicator_score[:sample], "record": results.record_score[:sample],
           "quarterly": results.quarterly_score[:sample]}, naive)

    flagged = {name: int(((results.flags & bit) > 0).sum()) for bit, name in
               ((1, "missing_group"), (2, "short_of_raters"), (4, "missing_metric"), (8, "no_records"))}
    extrapolated, extrapolated_cpu = loop * n / sample, loop_cpu * n / sample
    print(f"people: {n:,} on the default scheme, {len(POSTS)} post variants, {len(setup.quantitative)} "
          f"quantitative + {len(setup.qualitative)} qualitative leaves; flagged {flagged}")
    print(f"score_quarter (NumPy, best of 5):  {engine:.3f} s wall, {engine_cpu:.3f} s CPU   (target ≤ 1 s)")
    print(f"per-person loop on {sample:,}:         {loop:.3f} s wall, {loop_cpu:.3f} s CPU   "
          f"→ {extrapolated:.1f} s wall, {extrapolated_cpu:.1f} s CPU for {n:,} (linear)")
    print(f"ratio:                             {extrapolated / engine:.1f}× wall, "
          f"{extrapolated_cpu / engine_cpu:.1f}× CPU")


if __name__ == "__main__":
    main()
