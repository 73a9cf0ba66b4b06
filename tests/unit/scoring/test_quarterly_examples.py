"""The hand-worked examples of docs/scoring.md ("Quarterly score"), number for number."""

from __future__ import annotations

import ast
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from tests.unit.scoring.quarterly_mini import BASE, SENIOR, WEIGHTS, inputs, person

import kaohe.scoring.quarterly as engine
from kaohe.scoring.quarterly import PersonResult, score_quarter

NOBODY = {key: None for key in BASE["ratings"]}
CASES = {
    "张三": person(),
    "李四": person(ratings={("B.1", "leader"): None, ("B.1", "peers"): (4.5, 4)}),
    "王五": person(ratings={("B.2", "recipients"): (95.0, 1), ("B.2", "leader"): (88.0, 1)}),
    "赵六": person(level=SENIOR, values={"A.2": 3.0}),
    "赵六（初级）": person(values={"A.2": 3.0}),
    "钱七": person(values={"A.1": None}),
    "孙八": person(records=(0, 0, 0, 0, math.nan)),
    "无数据": person(values={"A.1": None, "A.2": None}, ratings=NOBODY),
}


def results(**policy: str) -> dict[str, PersonResult]:
    computed = score_quarter(inputs(list(CASES.values()), **policy))
    return {name: computed.person(i) for i, name in enumerate(CASES)}


@pytest.fixture(scope="module")
def default() -> dict[str, PersonResult]:
    return results()


def lines(result: PersonResult) -> dict[str, tuple[float | None, float, float]]:
    return {line.code: (line.points, line.weight, line.contribution) for line in result.lines}


def approx(value: float) -> object:
    return pytest.approx(value, abs=1e-9)


def test_1_a_normal_person(default: dict[str, PersonResult]) -> None:
    zhang = default["张三"]
    assert lines(zhang) == {"A.1": (100, 36, 36), "A.2": (50, 24, 12), "B.1": (approx(85), 20, approx(17)),
                            "B.2": (approx(86), 20, approx(17.2))}
    assert zhang.indicator_score == approx(82.2)
    assert zhang.record_score == 88
    assert (zhang.record_part, zhang.indicator_part) == (approx(26.4), approx(57.54))
    assert zhang.quarterly_score == approx(83.94)
    assert zhang.flags == ()
    b1 = next(line for line in zhang.lines if line.code == "B.1")
    assert [(g.group, g.mean, g.raters, round(g.share, 4)) for g in b1.ratings] == [
        ("leader", 4.0, 1, 0.6667), ("peers", 4.75, 4, 0.3333)]
    assert b1.raters == 5 and b1.status == "scored"


def test_2_a_missing_rater_group_is_renormalised_and_named(default: dict[str, PersonResult]) -> None:
    li = default["李四"]
    assert lines(li)["B.1"] == (approx(90), 20, approx(18))
    assert li.indicator_score == approx(83.2)
    assert li.quarterly_score == approx(84.64)
    assert li.flags == ("missing_group",)
    assert li.missing_groups == ("leader",)
    assert li.short_of_raters == ()
    zero = results(missing_group="zero")["李四"]
    assert lines(zero)["B.1"][0] == approx(30)
    assert (zero.indicator_score, zero.quarterly_score) == (approx(71.2), approx(76.24))
    assert zero.missing_groups == ("leader",)


def test_3_fewer_than_3_raters_is_flagged_and_left_out(default: dict[str, PersonResult]) -> None:
    wang = default["王五"]
    b2 = next(line for line in wang.lines if line.code == "B.2")
    assert (b2.status, b2.counted, b2.raters, b2.points, b2.weight) == ("short_of_raters", False, 2, None, 0)
    assert lines(wang)["B.1"] == (approx(85), 40, approx(34))
    assert wang.indicator_score == approx(82)
    assert wang.quarterly_score == approx(83.8)
    assert wang.flags == ("short_of_raters",)
    assert wang.short_of_raters == ("B.2",)
    scored = results(short_of_raters="score")["王五"]
    assert lines(scored)["B.2"] == (approx(91), 20, approx(18.2))
    assert scored.indicator_score == approx(83.2)
    assert scored.flags == ("short_of_raters",)


def test_4_the_target_is_the_post_levels(default: dict[str, PersonResult]) -> None:
    senior, junior = default["赵六"], default["赵六（初级）"]
    a2 = next(line for line in senior.lines if line.code == "A.2")
    assert (a2.value, a2.target, a2.points, a2.contribution) == (3, 4, 75, 18)
    assert (senior.indicator_score, senior.quarterly_score) == (approx(88.2), approx(88.14))
    a2 = next(line for line in junior.lines if line.code == "A.2")
    assert (a2.target, a2.points) == (2, 100)  # 150% capped at 100
    assert (junior.indicator_score, junior.quarterly_score) == (approx(94.2), approx(92.34))


def test_5_a_missing_metric_is_shown_missing_and_left_out(default: dict[str, PersonResult]) -> None:
    qian = default["钱七"]
    a1 = next(line for line in qian.lines if line.code == "A.1")
    assert (a1.status, a1.value, a1.points, a1.counted, a1.nominal_weight) == ("missing_metric", None, None,
                                                                               False, 36)
    assert lines(qian)["A.2"] == (50, 60, 30)
    assert (qian.indicator_score, qian.quarterly_score) == (approx(64.2), approx(71.34))
    assert qian.flags == ("missing_metric",) and qian.missing_metrics == ("A.1",)
    zero = results(missing_metric="zero")["钱七"]
    assert lines(zero)["A.1"] == (0, 36, 0)
    assert (zero.indicator_score, zero.quarterly_score) == (approx(46.2), approx(58.74))
    assert zero.flags == ("missing_metric",)


def test_6_a_person_without_records_gets_the_record_rules_zero(default: dict[str, PersonResult]) -> None:
    sun = default["孙八"]
    assert sun.record_score == 0
    assert sun.indicator_score == approx(82.2)
    assert sun.quarterly_score == approx(57.54)
    assert sun.flags == ("no_records",)


def test_7_nothing_to_score_gives_zero_not_nan(default: dict[str, PersonResult]) -> None:
    nothing = default["无数据"]
    assert nothing.indicator_score == 0 and not math.isnan(nothing.quarterly_score)
    assert nothing.quarterly_score == approx(26.4)
    assert nothing.flags == ("missing_group", "short_of_raters", "missing_metric", "no_indicators")
    assert all(not line.counted and line.weight == 0 for line in nothing.lines)
    assert nothing.missing_groups == ("leader", "peers", "recipients")


def test_every_other_person_is_unchanged_by_the_policies(default: dict[str, PersonResult]) -> None:
    for policy in ({"missing_group": "zero"}, {"short_of_raters": "score"}, {"missing_metric": "zero"}):
        assert results(**policy)["张三"].quarterly_score == default["张三"].quarterly_score


def test_display_rounds_to_2_decimals_and_the_shown_parts_add_up() -> None:
    # 4.4 of five points and 83.3 of 100 give repeating decimals: (88 × 2 + 95 × 1) ÷ 3 = 90.333…
    odd = person(ratings={("B.1", "leader"): (4.4, 1), ("B.1", "peers"): (4.75, 4), ("B.2", "leader"): (83.3, 1)})
    result = score_quarter(inputs([odd])).person(0)
    shown = result.shown()
    assert shown.indicator_score == round(result.indicator_score, 2)
    assert sum(round(line.contribution * 100) for line in shown.lines) == round(shown.indicator_score * 100)
    for exact, rounded in zip(result.lines, shown.lines, strict=True):
        assert abs(exact.contribution - rounded.contribution) < 0.01
        assert rounded.points == round(exact.points, 2)
    assert shown.quarterly_score == round(result.quarterly_score + 1e-12, 2)


def test_the_engine_is_pure() -> None:
    """Standard library, NumPy and the record score only: no database, web, clock or Pydantic."""
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    outside = {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names}
    assert outside == {"numpy", "kaohe.scoring.records"}


def test_an_empty_unit_and_an_empty_tree_give_documented_results() -> None:
    empty = score_quarter(inputs([]))
    assert (len(empty), empty.inputs_hash, empty.quarterly_score.shape) == (0, (), (0,))
    unit = replace(inputs([person(), person()]), tree_weights=np.array([WEIGHTS, (0,) * 6], dtype=float),
                   tree_of=np.array([0, 1]))
    nobody = score_quarter(unit).person(1)
    assert (nobody.indicator_score, nobody.lines, nobody.flags) == (0, (), ("no_indicators",))
    assert nobody.quarterly_score == approx(26.4)


def test_inconsistent_ratings_are_refused() -> None:
    unit = inputs([person()])
    ratings = unit.ratings.copy()
    ratings[0, 0, 3] = 4.0  # experts: a mean rating without anybody who rated
    with pytest.raises(ValueError, match="exactly where somebody rated"):
        score_quarter(replace(unit, ratings=ratings))
    raters = unit.raters.copy()
    raters[0, 0, 3] = 2
    with pytest.raises(ValueError, match="exactly where somebody rated"):
        score_quarter(replace(unit, raters=raters))
    with pytest.raises(ValueError, match="record_weight"):
        score_quarter(replace(unit, record_weight=20.0))
    assert np.isfinite(score_quarter(unit).quarterly_score).all()
