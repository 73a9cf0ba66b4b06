"""Property tests of the quarterly engine (docs/scoring.md, "Quarterly score", Guarantees) on the mini scheme
of the hand-worked examples: random people, random policies, random record weights and trees."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from bench.bench_quarter_engine import naive_people, naive_person
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.scoring.quarterly_mini import QUALITATIVE, WEIGHTS, inputs

from kaohe.scoring.quarterly import FLAG_NAMES, QuarterInputs, QuarterResults, score_quarter

# a second tree: B.2 is not part of it (as when a post template replaces a branch)
TREES = np.array([WEIGHTS, (60, 60, 40, 40, 100, 0)], dtype=np.float64)

marks = st.none() | st.floats(1, 5, allow_nan=False)


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    ratings = {}
    for leaf in QUALITATIVE:
        for group in leaf.groups:
            count = draw(st.integers(0, 2 if group == "leader" else 5))
            if count:
                low = 1.0 if leaf.scale_max == 5 else 0.0
                ratings[(leaf.code, group)] = (draw(st.floats(low, leaf.scale_max, allow_nan=False)), count)
    values = {}
    for code, high in (("A.1", 110.0), ("A.2", 6.0)):
        value = draw(st.none() | st.floats(0, high, allow_nan=False))
        if value is not None:
            values[code] = value
    submitted = draw(st.integers(0, 20))
    confirmed = draw(st.integers(0, submitted))
    late = draw(st.integers(0, submitted))
    mark = draw(marks)
    records = (submitted, confirmed, draw(st.integers(0, 12)), late, math.nan if mark is None else mark)
    return {"level": draw(st.integers(0, 2)), "values": values, "ratings": ratings, "records": records}


@st.composite
def units(draw: st.DrawFn, min_size: int = 1) -> QuarterInputs:
    crowd = draw(st.lists(people(), min_size=min_size, max_size=12))
    policy = {"missing_group": draw(st.sampled_from(["renormalise", "zero"])),
              "short_of_raters": draw(st.sampled_from(["exclude", "score"])),
              "missing_metric": draw(st.sampled_from(["exclude", "zero"]))}
    weight = draw(st.integers(30, 100))
    groups = draw(st.lists(st.integers(0, 60), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
    tree_of = np.array(draw(st.lists(st.integers(0, 1), min_size=len(crowd), max_size=len(crowd))), dtype=np.intp)
    return replace(inputs(crowd, **policy), record_weight=float(weight), group_weights=tuple(map(float, groups)),
                   tree_weights=TREES, tree_of=tree_of)


def rows(results: QuarterResults, order: list[int]) -> list[tuple[Any, ...]]:
    return [(results.quarterly_score[i], results.indicator_score[i], results.record_score[i], results.flags[i],
             results.inputs_hash[i], results.contribution[i].tobytes(), results.status[i].tobytes()) for i in order]


@settings(max_examples=150, deadline=None)
@given(units())
def test_the_record_share_is_the_schemes_record_weight(unit: QuarterInputs) -> None:
    results = score_quarter(unit)
    share = unit.record_weight / 100
    assert np.allclose(results.record_part, share * results.record_score)
    assert np.allclose(results.indicator_part, (1 - share) * results.indicator_score)
    assert np.allclose(results.quarterly_score, results.record_part + results.indicator_part)
    # one more point of record score moves the quarterly score by exactly the record weight's share
    bumped = score_quarter(replace(unit, record_rule=replace(unit.record_rule, max_return_penalty=0,
                                                             return_penalty=0)))
    moved = bumped.quarterly_score - results.quarterly_score
    assert np.allclose(moved, share * (bumped.record_score - results.record_score))


@settings(max_examples=150, deadline=None)
@given(units(min_size=2), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_people(unit: QuarterInputs, rng: Any) -> None:
    n = len(unit.person_ids)
    order = list(range(n))
    rng.shuffle(order)
    index = np.array(order)
    records = unit.records
    shuffled = replace(
        unit, person_ids=[unit.person_ids[i] for i in order], tree_of=unit.tree_of[index], level=unit.level[index],
        values=unit.values[index], ratings=unit.ratings[index], raters=unit.raters[index],
        records=replace(records, **{name: np.asarray(getattr(records, name))[index] for name in
                                    ("confirmed", "returned", "late", "submitted", "expected", "mean_mark")}))
    before, after = score_quarter(unit), score_quarter(shuffled)
    assert after.person_ids == tuple(unit.person_ids[i] for i in order)
    assert rows(after, list(range(n))) == rows(before, order)


@settings(max_examples=150, deadline=None)
@given(units(min_size=2), st.data())
def test_changing_one_rating_moves_only_that_persons_result(unit: QuarterInputs, data: st.DataObject) -> None:
    n = len(unit.person_ids)
    who = data.draw(st.integers(0, n - 1))
    k = data.draw(st.integers(0, len(QUALITATIVE) - 1))
    leaf = QUALITATIVE[k]
    group = unit.groups.index(data.draw(st.sampled_from(leaf.groups)))
    ratings, raters = unit.ratings.copy(), unit.raters.copy()
    old = ratings[who, k, group]
    new = data.draw(st.floats(0, leaf.scale_max, allow_nan=False).filter(lambda v: v != old))
    ratings[who, k, group] = new
    raters[who, k, group] = max(1, raters[who, k, group])
    before, after = score_quarter(unit), score_quarter(replace(unit, ratings=ratings, raters=raters))
    others = [i for i in range(n) if i != who]
    assert rows(after, others) == rows(before, others)
    assert after.inputs_hash[who] != before.inputs_hash[who]


@settings(max_examples=200, deadline=None)
@given(units())
def test_the_breakdown_adds_up_and_agrees_with_the_per_person_loop(unit: QuarterInputs) -> None:
    results = score_quarter(unit)
    assert np.allclose(results.contribution.sum(axis=1), results.indicator_score)
    counted = results.counted.any(axis=1)
    assert np.allclose(results.weight.sum(axis=1)[counted], 100)
    assert (results.weight[~results.counted] == 0).all()
    assert np.allclose(results.nominal_weight.sum(axis=1), 100)
    assert not np.isnan(results.indicator_score).any() and not np.isnan(results.quarterly_score).any()
    assert ((results.indicator_score >= -1e-9) & (results.indicator_score <= 100 + 1e-9)).all()
    for i, expected in enumerate(naive_person(unit, who) for who in naive_people(unit)):
        assert math.isclose(results.indicator_score[i], expected["indicator"], abs_tol=1e-9)
        assert math.isclose(results.quarterly_score[i], expected["quarterly"], abs_tol=1e-9)
        assert set(results.flag_names(i)) == expected["flags"]
        line = results.person(i)
        assert {row.code: row.contribution for row in line.lines if row.counted} == {
            code: _close(value, line, code) for code, value in expected["contributions"].items()}


def _close(value: float, line: Any, code: str) -> float:
    """The engine's contribution when it is within float noise of the loop's, else the loop's (to fail)."""
    mine = next(row.contribution for row in line.lines if row.code == code)
    return mine if math.isclose(mine, value, abs_tol=1e-9) else value


@settings(max_examples=100, deadline=None)
@given(units())
def test_the_hash_does_not_depend_on_the_order_of_leaves_or_groups(unit: QuarterInputs) -> None:
    reversed_groups = tuple(reversed(unit.groups))
    flipped = replace(
        unit, quantitative=tuple(reversed(unit.quantitative)), values=unit.values[:, ::-1],
        qualitative=tuple(reversed(unit.qualitative)), groups=reversed_groups,
        group_weights=tuple(reversed(unit.group_weights)), ratings=unit.ratings[:, ::-1, ::-1],
        raters=unit.raters[:, ::-1, ::-1], nodes=tuple(reversed(unit.nodes)),
        tree_weights=unit.tree_weights[:, ::-1])
    before, after = score_quarter(unit), score_quarter(flipped)
    assert after.inputs_hash == before.inputs_hash
    assert np.allclose(after.quarterly_score, before.quarterly_score)
    # and any change of the scheme version changes every hash
    assert set(score_quarter(replace(unit, scheme_hash="another")).inputs_hash).isdisjoint(before.inputs_hash)


def test_every_flag_has_a_name() -> None:
    assert sorted(FLAG_NAMES) == [1 << bit for bit in range(len(FLAG_NAMES))]
