"""The record score (R6): the default rule, monotonicity, missing data, the quarterly weighting."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaohe.scheme.loader import load_default_scheme
from kaohe.scoring.from_scheme import record_score_rule
from kaohe.scoring.records import record_scores, weighted_quarter

NAN = float("nan")
DEFAULT = record_score_rule(load_default_scheme())  # the default scheme's records.score


def scores(confirmed, returned, late, submitted, expected, mark, rule=DEFAULT):  # type: ignore[no-untyped-def]
    return record_scores(np.asarray(confirmed, float), np.asarray(returned, float), np.asarray(late, float),
                         np.asarray(submitted, float), np.asarray(expected, float), np.asarray(mark, float), rule)


def test_it_scores_by_the_default_rule():
    result = scores([12, 6, 20], [0, 1, 0], [0, 2, 0], [12, 8, 20], [12, 12, 10], [5, NAN, 1])
    # 60·1 + 25·1 + 15·1; 60·0.5 + 25·0.75 + 15·0.5 − 2; 60·1 (capped) + 25 + 0
    assert result == pytest.approx([100.0, 54.25, 85.0])


def test_it_is_nan_safe():
    result = scores([NAN, 5, 5, 0], [NAN, 0, 0, 0], [NAN, 0, 0, 0], [NAN, 5, 5, 0], [10, NAN, 0, 10],
                    [NAN, 4, 4, NAN])
    assert result[0] == 0.0  # nothing known to be submitted
    assert np.isnan(result[1]) and np.isnan(result[2])  # no expected count: HR decides
    assert result[3] == 0.0
    assert not np.isnan(scores([5], [0], [0], [5], [10], [NAN])).any()


def test_it_caps_the_return_penalty_and_the_range():
    result = scores([10, 10], [100, 0], [10, 0], [10, 10], [10, 10], [1, 5])
    assert result[0] == pytest.approx(60 + 0 + 0 - 20)
    assert result.min() >= 0 and result.max() <= 100


def test_it_takes_every_number_from_the_rule():
    rule = replace(DEFAULT, volume_weight=50, timeliness_weight=30, quality_weight=20, return_penalty=5,
                   volume_cap=1.2, neutral_mark=1)
    assert scores([12], [1], [0], [12], [10], [NAN], rule)[0] == pytest.approx(50 + 30 + 0 - 5)
    with pytest.raises(ValueError):
        replace(DEFAULT, volume_weight=70)


def test_it_refuses_inconsistent_counts():
    with pytest.raises(ValueError):
        scores([6], [0], [0], [5], [10], [3])
    with pytest.raises(ValueError):
        scores([1], [0], [-1], [5], [10], [3])


people = st.integers(1, 30)


@settings(max_examples=80, deadline=None)
@given(n=people, data=st.data())
def test_it_is_monotone_in_confirmed_records_and_in_the_late_share(n, data):
    ints = st.lists(st.integers(0, 40), min_size=n, max_size=n)
    submitted = np.array(data.draw(ints), float) + 1
    confirmed = np.floor(submitted * np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))))
    late = np.floor(submitted * np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))))
    returned = np.array(data.draw(ints), float)
    expected = np.array(data.draw(ints), float) + 1
    mark = np.array(data.draw(st.lists(st.one_of(st.just(NAN), st.floats(1, 5)), min_size=n, max_size=n)))
    base = scores(confirmed, returned, late, submitted, expected, mark)
    more_confirmed = scores(np.minimum(confirmed + 1, submitted), returned, late, submitted, expected, mark)
    more_late = scores(confirmed, returned, np.minimum(late + 1, submitted), submitted, expected, mark)
    assert (more_confirmed >= base - 1e-9).all()
    assert (more_late <= base + 1e-9).all()
    assert ((base >= 0) & (base <= 100)).all()


def test_it_weighs_the_record_score_into_the_quarter():
    result = weighted_quarter(np.array([80.0, 100.0, NAN]), np.array([90.0, 50.0, 90.0]), 30, min_weight=30)
    assert result[:2] == pytest.approx([87.0, 65.0]) and np.isnan(result[2])
    assert weighted_quarter(np.array([80.0]), np.array([90.0]), 40, min_weight=30)[0] == pytest.approx(86.0)
    with pytest.raises(ValueError):
        weighted_quarter(np.array([80.0]), np.array([90.0]), 25, min_weight=30)  # below the R6 floor
