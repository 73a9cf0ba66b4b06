"""The bulk breakdowns a feature stores say exactly what `person(i)` says, line by line, and `shown_lines`
rounds them as `PersonResult.shown` does (the same displayed numbers, contributions adding up)."""

import pytest
from tests.unit.scoring.quarterly_mini import inputs, person

from kaohe.scoring.quarterly import score_quarter, shown_lines

PEOPLE = [person(), person(ratings={("B.1", "peers"): None}), person(values={"A.1": None}),
          person(ratings={("B.2", "recipients"): (90.0, 1)}), person(level=2, records=(0, 0, 0, 0, 0.0))]


def test_bulk_breakdowns_match_each_persons_result() -> None:
    results = score_quarter(inputs(PEOPLE))
    stored = results.breakdowns()
    assert len(stored) == len(PEOPLE)
    for i, breakdown in enumerate(stored):
        one = results.person(i)
        assert breakdown["missing_groups"] == list(one.missing_groups)
        assert breakdown["short_of_raters"] == list(one.short_of_raters)
        assert breakdown["missing_metrics"] == list(one.missing_metrics)
        assert breakdown["record_part"] == pytest.approx(one.record_part, abs=1e-6)
        assert [line["code"] for line in breakdown["lines"]] == [line.code for line in one.lines]
        for line, expected in zip(breakdown["lines"], one.lines, strict=True):
            assert (line["status"], line["counted"], line["rule"]) == (expected.status, expected.counted, expected.rule)
            for field in ("value", "target", "points", "nominal_weight", "weight", "contribution"):
                want = getattr(expected, field)
                assert (line[field] is None) == (want is None), (i, line["code"], field)
                if want is not None:
                    assert line[field] == pytest.approx(want, abs=1e-6), (i, line["code"], field)
            assert [g["group"] for g in line.get("ratings", [])] == [g.group for g in expected.ratings]
    assert stored[1]["missing_groups"] == ["peers"] and stored[2]["missing_metrics"] == ["A.1"]
    assert stored[3]["short_of_raters"] == ["B.2"]


def test_shown_lines_round_as_the_person_result_does() -> None:
    results = score_quarter(inputs(PEOPLE))
    for i, breakdown in enumerate(results.breakdowns()):
        shown = results.person(i).shown()
        lines = shown_lines(breakdown, results.indicator_score[i])
        assert [line["contribution"] for line in lines] == [line.contribution for line in shown.lines]
        assert [line["points"] for line in lines] == [line.points for line in shown.lines]
        assert sum(line["contribution"] for line in lines) == pytest.approx(shown.indicator_score, abs=1e-9)
