"""The system's draft of a written feedback (Q4), from hand-made breakdowns: strengths are the counted
indicators furthest above the department's mean, weaknesses the ones furthest below plus what is missing,
one measure per weakness; the same inputs always give the same draft."""

from decimal import Decimal

from kaohe.feedback import drafting

NAMES = {"A": "出勤率", "B": "任务完成率", "C": "服务满意度", "D": "工作质量", "peers": "同事"}


def line(code: str, points: float | None, *, counted: bool = True, status: str = "scored") -> dict:
    return {"code": code, "kind": "quantitative", "status": status, "counted": counted, "points": points,
            "weight": 25.0, "contribution": 0.0}


def breakdown(*lines: dict, **extra: list[str]) -> dict:
    return {"lines": list(lines), "missing_groups": [], "short_of_raters": [], "missing_metrics": [], **extra}


ME = breakdown(line("A", 100), line("B", 60), line("C", 90), line("D", 80))
COLLEAGUE = breakdown(line("A", 80), line("B", 90), line("C", 70), line("D", 80))
OTHER = breakdown(line("A", 60), line("B", 90), line("C", 80), line("D", None, counted=False,
                                                                     status="missing_metric"))


def test_it_names_the_best_indicators_against_the_department_mean() -> None:
    proposal = drafting.propose(ME, [ME, COLLEAGUE, OTHER], NAMES)
    assert [(p.code, p.points, p.mean) for p in proposal.strengths] == [
        ("A", Decimal("100.00"), Decimal("80.00")), ("C", Decimal("90.00"), Decimal("80.00"))]
    texts = proposal.texts()
    assert texts["strengths"].splitlines()[0] == "「出勤率」100.00 分，部门平均 80.00 分，高出 20.00 分。"
    # D: 80 against a mean of 80 (the uncounted line is left out of the mean) is neither.
    assert [(p.code, p.kind) for p in proposal.weaknesses] == [("B", "below")]
    assert texts["weaknesses"] == "「任务完成率」60.00 分，部门平均 80.00 分，低 20.00 分。"
    assert texts["measures"] == "针对「任务完成率」查找原因、制定具体做法，下季度力争达到部门平均（80.00 分）以上。"


def test_missing_data_and_short_raters_are_things_to_fix_each_with_a_measure() -> None:
    mine = breakdown(line("A", 70), line("B", None, counted=False, status="missing_metric"),
                     line("C", None, counted=False, status="short_of_raters"),
                     line("D", None, counted=False, status="missing_metric"),
                     missing_metrics=["B", "D"], short_of_raters=["C"], missing_groups=["peers"])
    proposal = drafting.propose(mine, [mine, COLLEAGUE], NAMES, flags=["no_records"],
                                department_score=Decimal("81.5"))
    kinds = [(p.kind, p.name) for p in proposal.weaknesses]
    assert kinds == [("below", "出勤率"), ("missing_metric", "任务完成率、工作质量"), ("short_of_raters", "服务满意度"),
                     ("missing_group", "同事"), ("no_records", "")]
    assert len(proposal.measures) == len(proposal.weaknesses)
    assert "「任务完成率、工作质量」缺少数据" in proposal.texts()["weaknesses"]  # one line for all that is missing
    assert "核对「任务完成率、工作质量」的数据报送" in proposal.measures[1]
    assert "日常工作记录" in proposal.measures[-1]
    assert proposal.texts()["strengths"] == "本季度没有高于部门平均的指标。"
    assert "81.5" in proposal.goal


def test_it_keeps_to_the_top_few_and_breaks_ties_by_the_schemes_order() -> None:
    mine = breakdown(line("A", 90), line("B", 90), line("C", 90), line("D", 90))
    low = breakdown(line("A", 70), line("B", 70), line("C", 70), line("D", 70))
    proposal = drafting.propose(mine, [mine, low], NAMES, top=2)
    assert [p.code for p in proposal.strengths] == ["A", "B"]
    assert proposal.weaknesses == () and proposal.texts()["weaknesses"] == "本季度各项指标均不低于部门平均。"


def test_the_same_inputs_give_the_same_draft_whatever_the_departments_order() -> None:
    first = drafting.propose(ME, [ME, COLLEAGUE, OTHER], NAMES)
    again = drafting.propose(ME, [OTHER, ME, COLLEAGUE], NAMES)
    assert first == again and first.as_json() == again.as_json()


def test_a_person_alone_in_the_department_has_neither_strengths_nor_weaknesses_by_comparison() -> None:
    proposal = drafting.propose(ME, [ME], NAMES)
    assert proposal.strengths == () and proposal.weaknesses == ()
