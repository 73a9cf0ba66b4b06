"""The three warning rules of the quarter (Q5), pure: satisfaction below the threshold quarters running
(a missing quarter breaks the run, Q1 follows the previous year's last quarter), task progress below the
minimum, a score drop of more than the margin (exactly the margin is no warning)."""

from decimal import Decimal

from kaohe.warnings.rules import Kind, Thresholds, evaluate, previous_quarter, run_of

RULES = Thresholds(satisfaction_indicator="JI.2.3", satisfaction_threshold=85, satisfaction_quarters=2,
                   task_progress_indicator="JI.1.1", task_progress_min=80, score_drop_margin=10)


def _raised(*, year=2026, quarter=3, satisfaction=None, progress=None, scores=None, previous=None,
            people=(1,), rules=RULES):  # type: ignore[no-untyped-def]
    return evaluate(year=year, quarter=quarter, per_year=4, rules=rules, satisfaction=satisfaction or {},
                    progress=progress or {}, scores=scores or {}, previous_scores=previous or {},
                    people=list(people))


def test_two_quarters_running_below_the_threshold_raise_a_satisfaction_warning() -> None:
    raised = _raised(satisfaction={(1, 2026, 2): Decimal("84.5"), (1, 2026, 3): Decimal("80")})
    assert [(r.staff_id, r.kind) for r in raised] == [(1, Kind.satisfaction)]
    assert raised[0].figures == {"indicator": "JI.2.3", "threshold": 85.0, "quarters": [
        {"quarter": "2026-Q2", "value": 84.5}, {"quarter": "2026-Q3", "value": 80.0}]}


def test_one_low_quarter_is_no_warning() -> None:
    assert _raised(satisfaction={(1, 2026, 2): 90, (1, 2026, 3): 70}) == []
    assert _raised(satisfaction={(1, 2026, 2): 70, (1, 2026, 3): 85}) == []  # exactly the threshold is not below


def test_a_missing_quarter_breaks_the_run() -> None:
    assert _raised(satisfaction={(1, 2026, 3): 70}) == []
    assert _raised(satisfaction={(1, 2026, 1): 70, (1, 2026, 3): 70}) == []  # Q2 missing: Q1 does not count


def test_the_run_crosses_the_year_boundary() -> None:
    assert run_of(2027, 1, 3, 4) == [(2026, 3), (2026, 4), (2027, 1)]
    assert previous_quarter(2027, 1, 4) == (2026, 4)
    raised = _raised(year=2027, quarter=1, satisfaction={(1, 2026, 4): 80, (1, 2027, 1): 82})
    assert [q["quarter"] for q in raised[0].figures["quarters"]] == ["2026-Q4", "2027-Q1"]
    assert _raised(year=2027, quarter=1, satisfaction={(1, 2027, 4): 80, (1, 2027, 1): 82}) == []


def test_the_number_of_quarters_comes_from_the_scheme() -> None:
    three = Thresholds(**{**RULES.__dict__, "satisfaction_quarters": 3})
    low = {(1, 2026, 2): 80, (1, 2026, 3): 80}
    assert _raised(satisfaction=low, rules=three) == []
    assert len(_raised(satisfaction={**low, (1, 2026, 1): 84}, rules=three)) == 1


def test_a_drop_of_exactly_the_margin_is_no_warning_more_is() -> None:
    assert _raised(scores={1: Decimal("80.10")}, previous={1: Decimal("90.10")}) == []
    raised = _raised(scores={1: Decimal("80.09")}, previous={1: Decimal("90.10")})
    assert [r.kind for r in raised] == [Kind.score_drop]
    assert raised[0].figures["drop"] == 10.01 and raised[0].figures["margin"] == 10.0
    assert [q["quarter"] for q in raised[0].figures["quarters"]] == ["2026-Q2", "2026-Q3"]
    assert _raised(scores={1: 95}, previous={1: 70}) == []  # a rise is no warning


def test_no_score_in_either_quarter_is_not_compared() -> None:
    assert _raised(scores={1: None}, previous={1: 90}) == []
    assert _raised(scores={1: 50}, previous={}) == []


def test_task_progress_below_the_minimum_lags() -> None:
    raised = _raised(progress={1: Decimal("79.99"), 2: 80}, people=(1, 2, 3))
    assert [(r.staff_id, r.kind) for r in raised] == [(1, Kind.task_progress)]
    assert raised[0].figures["minimum"] == 80.0 and raised[0].figures["quarters"][0]["value"] == 79.99


def test_only_the_people_asked_about_are_warned_each_rule_once() -> None:
    raised = _raised(people=(2,), progress={1: 10, 2: 10}, satisfaction={(2, 2026, 2): 1, (2, 2026, 3): 1},
                     scores={2: 10}, previous={2: 99})
    assert [(r.staff_id, r.kind) for r in raised] == [
        (2, Kind.satisfaction), (2, Kind.task_progress), (2, Kind.score_drop)]
