"""The vectorised grading engine: bands, veto, caps and floors per group, the bonus cap."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scoring.grading import GradeBand, QuotaRule, apply_bonus_cap, assign_grades, head_count

BANDS = [GradeBand("excellent", 95), GradeBand("good", 85), GradeBand("qualified", 75), GradeBand("basic", 60),
         GradeBand("unqualified", 0)]
ORDER = {band.code: index for index, band in enumerate(BANDS)}
QUOTAS = [QuotaRule("excellent", max_share=20, rounding="floor"),
          QuotaRule("unqualified", min_share=5, rounding="ceil")]


def grades(scores, vetoed=None, quotas=(), **kwargs):  # type: ignore[no-untyped-def]
    scores = np.asarray(scores, dtype=float)
    vetoed = np.zeros(len(scores), bool) if vetoed is None else np.asarray(vetoed)
    return list(assign_grades(scores, vetoed, BANDS, quotas, **kwargs))


def test_it_grades_by_bands_at_or_above_the_minimum():
    assert grades([95, 94.99, 85, 75, 60, 59.9, 0]) == [
        "excellent", "good", "good", "qualified", "basic", "unqualified", "unqualified"]


def test_a_veto_makes_anyone_unqualified():
    assert grades([99, 99], vetoed=[True, False]) == ["unqualified", "excellent"]


def test_it_drops_the_lowest_excess_excellents_to_good():
    result = grades([99, 98, 97, 96, 90, 80, 80, 80, 80, 80], quotas=QUOTAS)
    assert result[:4] == ["excellent", "excellent", "good", "good"]  # 20% of 10 = 2


def test_ties_are_broken_by_the_secondary_key():
    scores = [97, 97, 97, 50, 50, 50, 50, 50, 50, 50]
    first = grades(scores, quotas=QUOTAS, tiebreak=np.array([3, 1, 2, 4, 5, 6, 7, 8, 9, 10]))
    assert first[:3] == ["good", "excellent", "excellent"]


def test_it_pushes_the_lowest_scores_down_to_meet_the_unqualified_floor():
    scores = np.linspace(99, 61, 40)  # nobody below 60
    result = grades(scores, quotas=QUOTAS)
    assert result.count("unqualified") == 2  # ceil(5% of 40)
    assert result[-2:] == ["unqualified", "unqualified"]


def test_vetoed_people_count_towards_the_floor():
    scores = np.linspace(99, 61, 40)
    vetoed = np.zeros(40, bool)
    vetoed[0] = vetoed[1] = True
    result = grades(scores, vetoed, quotas=QUOTAS)
    assert result.count("unqualified") == 2 and result[:2] == ["unqualified", "unqualified"]


def test_quotas_apply_within_each_group():
    scores = [99, 98, 97, 96, 95, 99, 98, 97, 96, 95]
    groups = np.array([1] * 5 + [2] * 5)
    result = grades(scores, quotas=[QuotaRule("excellent", max_share=20)], groups=groups)
    assert result.count("excellent") == 2 and result[0] == result[5] == "excellent"


def test_a_demoted_excess_counts_against_the_next_cap():
    quotas = [QuotaRule("excellent", max_share=10), QuotaRule("good", max_share=10)]
    result = grades([99] * 10, quotas=quotas)
    assert result.count("excellent") == 1 and result.count("good") == 1 and result.count("qualified") == 8


@pytest.mark.parametrize(("rounding", "expected"), [("floor", 3), ("ceil", 4), ("round", 4)])
def test_rounding_turns_a_share_into_a_head_count(rounding, expected):
    assert head_count(17.5, np.array([20]), rounding)[0] == expected  # 3.5 people
    assert head_count(15, np.array([20]), "ceil")[0] == 3  # not 3.0000000000000004 → 4


def test_it_refuses_nan_scores_and_mismatched_arrays():
    with pytest.raises(ValueError):
        grades([np.nan])
    with pytest.raises(ValueError):
        assign_grades(np.array([1.0, 2.0]), np.array([False]), BANDS)


def test_the_bonus_cap_is_a_share_of_the_base():
    capped = apply_bonus_cap(np.array([80.0, 80.0, 50.0]), np.array([10.0, 20.0, -3.0]), 20)
    assert list(capped) == [10.0, 16.0, 0.0]


population = st.integers(min_value=1, max_value=120).flatmap(lambda n: st.tuples(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(st.integers(min_value=0, max_value=3), min_size=n, max_size=n),
))
shares = st.tuples(st.floats(min_value=0, max_value=60), st.floats(min_value=0, max_value=30),
                   st.sampled_from(["floor", "ceil", "round"]))


@settings(max_examples=150, deadline=None)
@given(population, shares)
def test_quotas_hold_vetoes_stick_and_grades_are_monotone(people, limits):
    scores, vetoed, groups = (np.array(x) for x in people)
    max_share, min_share, rounding = limits
    quotas = [QuotaRule("excellent", max_share=max_share, rounding=rounding),
              QuotaRule("unqualified", min_share=min_share, rounding=rounding)]
    result = assign_grades(scores, vetoed, BANDS, quotas, groups=groups)
    ranks = np.array([ORDER[g] for g in result])
    assert (result[vetoed] == "unqualified").all()
    for group in np.unique(groups):
        members = groups == group
        size = members.sum()
        assert (result[members] == "excellent").sum() <= head_count(max_share, np.array([size]), rounding)[0]
        floor = head_count(min_share, np.array([size]), rounding)[0]
        assert (result[members] == "unqualified").sum() >= min(floor, size)
        # Monotone: among people not vetoed, a higher score never gets a worse grade.
        clean = members & ~vetoed
        order = np.argsort(-scores[clean], kind="stable")
        s, r = scores[clean][order], ranks[clean][order]
        for i in range(len(s) - 1):
            if s[i] > s[i + 1]:
                assert r[i] <= r[i + 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=50),
       st.lists(st.floats(min_value=0, max_value=50), min_size=50, max_size=50),
       st.floats(min_value=0, max_value=100))
def test_the_capped_bonus_never_exceeds_the_cap_nor_the_claim(base, bonus, cap):
    base_array, bonus_array = np.array(base), np.array(bonus[: len(base)])
    capped = apply_bonus_cap(base_array, bonus_array, cap)
    assert (capped <= base_array * cap / 100 + 1e-9).all() and (capped <= bonus_array).all()
