"""Every number of the record score (R6) is the scheme's: change it in the YAML text and the score
follows, with no code change; none has a default in code."""

from dataclasses import MISSING, fields

import numpy as np
import pytest

from kaohe.scheme.loader import default_scheme_text, load_scheme_text
from kaohe.scheme.models import Scheme
from kaohe.scheme.policy import RecordScore
from kaohe.scoring.from_scheme import expected_per_quarter, quarter_result, record_score_rule
from kaohe.scoring.records import RecordScoreRule, record_scores

NAN = float("nan")


def scheme_with(*replacements: tuple[str, str]) -> Scheme:
    text = default_scheme_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    scheme = load_scheme_text(text)
    assert isinstance(scheme, Scheme), scheme
    return scheme


def quarter(scheme: Scheme) -> np.ndarray:
    """Three people: half the volume with some late and one returned, unmarked; the full volume marked
    4; many returns, marked 5."""
    return record_scores(
        confirmed=np.array([6.0, 12.0, 10.0]),
        returned=np.array([1.0, 0.0, 15.0]),
        late=np.array([2.0, 0.0, 0.0]),
        submitted=np.array([8.0, 12.0, 25.0]),
        expected=np.full(3, expected_per_quarter(scheme)),
        mean_mark=np.array([NAN, 4.0, 5.0]),
        rule=record_score_rule(scheme),
    )


# One change per number of `records.score` (weights change in pairs: they must add up to 100).
CHANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "expected_per_month": (("expected_per_month: 4  #", "expected_per_month: 2  #"),),
    "volume_cap": (("volume_cap: 1  #", "volume_cap: 2  #"),),
    "volume_weight": (("volume_weight: 60  #", "volume_weight: 50  #"),
                      ("timeliness_weight: 25  #", "timeliness_weight: 35  #")),
    "timeliness_weight": (("timeliness_weight: 25  #", "timeliness_weight: 15  #"),
                          ("quality_weight: 15  #", "quality_weight: 25  #")),
    "quality_weight": (("quality_weight: 15  #", "quality_weight: 5  #"),
                       ("volume_weight: 60  #", "volume_weight: 70  #")),
    "mark_min": (("mark_min: 1  #", "mark_min: 0  #"),),
    "mark_max": (("mark_max: 5  #", "mark_max: 10  #"),),
    "neutral_mark": (("neutral_mark: 3  #", "neutral_mark: 1  #"),),
    "return_penalty": (("return_penalty: 2  #", "return_penalty: 3  #"),),
    "max_return_penalty": (("max_return_penalty: 20  #", "max_return_penalty: 10  #"),),
}


def test_the_default_scheme_gives_the_documented_scores():
    # 60·0.5 + 25·0.75 + 15·0.5 − 2; 60·1 + 25 + 15·0.75; 60·10/12 + 25 + 15 − min(2·15, 20)
    assert quarter(scheme_with()) == pytest.approx([54.25, 96.25, 70.0])


def test_every_number_of_the_record_score_is_covered():
    assert set(CHANGES) == set(RecordScore.model_fields)
    assert all(field.default is MISSING and field.default_factory is MISSING for field in fields(RecordScoreRule))


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_changing_the_number_in_the_yaml_changes_the_score(name: str):
    default = quarter(scheme_with())
    changed = quarter(scheme_with(*CHANGES[name]))
    assert not np.allclose(changed, default), name


def test_the_changed_numbers_give_the_expected_scores():
    assert quarter(scheme_with(*CHANGES["expected_per_month"]))[0] == pytest.approx(60 + 18.75 + 7.5 - 2)
    assert quarter(scheme_with(*CHANGES["volume_cap"]))[0] == pytest.approx(60 * 0.25 + 18.75 + 7.5 - 2)
    assert quarter(scheme_with(*CHANGES["neutral_mark"]))[0] == pytest.approx(30 + 18.75 + 0 - 2)
    assert quarter(scheme_with(*CHANGES["mark_max"]))[1] == pytest.approx(60 + 25 + 15 * 3 / 9)
    assert quarter(scheme_with(*CHANGES["max_return_penalty"]))[2] == pytest.approx(80.0)


def test_the_quarterly_weighting_follows_the_scheme():
    record, other = np.array([80.0]), np.array([90.0])
    assert quarter_result(scheme_with(), record, other)[0] == pytest.approx(87.0)  # 30% records
    heavier = scheme_with(("  weight: 30  # R6\n", "  weight: 40  # R6\n"))
    assert quarter_result(heavier, record, other)[0] == pytest.approx(86.0)
