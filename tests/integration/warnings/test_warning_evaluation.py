"""Quarterly warnings through the real use cases, on SQLite and PostgreSQL (Q5): values imported from the
systems that deliver them, quarters computed, warnings raised with the scheme's suggested action; a
recomputation raises nothing twice and withdraws (keeping the row and its history) what no longer
triggers; HR or the person's leader marks a warning handled, with a note; each reader sees their scope."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import todo_providers
from kaohe.clock import zone
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.metrics import service as metrics_service
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.models import Staff
from kaohe.quarterly import results, service
from kaohe.quarterly.models import QuarterPhase
from kaohe.scheme import service as scheme_service
from kaohe.todo import gather
from kaohe.warnings import service as warnings
from kaohe.warnings.models import QuarterWarning, WarningHistory, WarningStatus

YEAR = 2026
SATISFACTION, PROGRESS, ATTENDANCE = "JI.S3.1", "JI.M1.1", "QIN.1.1"  # the default scheme's indicators
SOURCES = {SATISFACTION: "service_platform", PROGRESS: "project_system", ATTENDANCE: "attendance_system"}


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=zone())


@pytest.fixture
def hr(db, who):  # type: ignore[no-untyped-def]
    """This year opened, its second and third quarters moved into their rating phase."""
    hr = who("hr")
    service.open_year(db, actor=hr, year=YEAR, now=at(1, 5))
    for quarter in (2, 3):
        while service.find_cycle(db, YEAR, quarter).phase is not QuarterPhase.rating:
            service.advance(db, actor=hr, year=YEAR, quarter=quarter, now=at(10, 12), reason="测试推进")
    db.commit()
    return hr


def _no(db, who, role: str) -> str:  # type: ignore[no-untyped-def]
    return db.get(Staff, who(role).staff_id).employee_no


def _send(db, hr, quarter: int, code: str, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The source's whole delivery of `code` for the quarter (replacing its earlier one)."""
    assert scheme_service.current(db, year=YEAR).quarterly.warnings.satisfaction_indicator == SATISFACTION
    metrics_service.import_api(db, actor=hr, idempotency_key=None, now=at(10, 13), batch_in=MetricBatchIn(
        source=SOURCES[code], year=YEAR, quarter=quarter, replace=True,
        items=[{"employee_no": no, "indicator_code": code, "value": v} for no, v in values.items()]))
    db.commit()


def _compute(db, hr, quarter: int) -> None:  # type: ignore[no-untyped-def]
    results.compute_quarter(db, actor=hr, year=YEAR, quarter=quarter, now=at(10, 14))
    db.commit()


def _warnings(db, **where) -> list[QuarterWarning]:  # type: ignore[no-untyped-def]
    stmt = select(QuarterWarning).order_by(QuarterWarning.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(QuarterWarning, name) == value)
    return list(db.scalars(stmt))


def _history(db, warning: QuarterWarning) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    rows = db.scalars(select(WarningHistory).where(WarningHistory.warning_id == warning.id).order_by(WarningHistory.id))
    return [(h.action, h.from_status, h.to_status) for h in rows]


def test_two_low_quarters_running_raise_a_satisfaction_warning_with_the_schemes_action(db, who, hr):  # type: ignore[no-untyped-def]
    me, other = _no(db, who, "staff"), _no(db, who, "staff2")
    _send(db, hr, 2, SATISFACTION, {me: "80", other: "70"})
    _compute(db, hr, 2)
    assert _warnings(db, kind="satisfaction") == []  # the first quarter had no value: one low quarter only
    _send(db, hr, 3, SATISFACTION, {me: "84.9", other: "92"})
    _compute(db, hr, 3)
    [warning] = _warnings(db, kind="satisfaction")
    assert (warning.staff_id, warning.year, warning.quarter, warning.status) == (
        who("staff").staff_id, YEAR, 3, WarningStatus.pending)
    assert warning.figures == {"indicator": SATISFACTION, "threshold": 85.0, "quarters": [
        {"quarter": "2026-Q2", "value": 80.0}, {"quarter": "2026-Q3", "value": 84.9}]}
    scheme = scheme_service.current(db, year=YEAR)
    assert warning.suggested_action == scheme.quarterly.warnings.suggested_action.satisfaction
    assert "服务对象满意度连续 2 个季度低于 85" in warnings.explain(warning, warnings.indicator_names(db, {YEAR}))
    assert _history(db, warning) == [("raise", "", "pending")]
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "warning.raise"))
    assert audit.entity_id == str(warning.id) and "满意度连续偏低" in audit.summary and audit.actor_id == hr.user_id


def test_task_progress_lag_and_a_score_drop_are_warned(db, who, hr):  # type: ignore[no-untyped-def]
    me, other = _no(db, who, "staff"), _no(db, who, "staff2")
    _send(db, hr, 2, ATTENDANCE, {me: "99", other: "99"})  # 出勤率 ≥ 98 → 100 points
    _compute(db, hr, 2)
    _send(db, hr, 3, ATTENDANCE, {me: "50", other: "96"})  # 出勤率 40 and 85 points
    _send(db, hr, 3, PROGRESS, {me: "79.5", other: "80"})
    _compute(db, hr, 3)
    drops = {w.staff_id: w for w in _warnings(db, kind="score_drop")}
    assert set(drops) == {who("staff").staff_id, who("staff2").staff_id}
    assert drops[who("staff").staff_id].figures["drop"] == 22.4  # 出勤率 100 → 40 points, 年度重点工作完成率 now counted
    assert drops[who("staff2").staff_id].figures["quarters"] == [
        {"quarter": "2026-Q2", "value": 70.0}, {"quarter": "2026-Q3", "value": 59.5}]
    [lag] = _warnings(db, kind="task_progress")
    assert lag.staff_id == who("staff").staff_id and lag.figures["quarters"] == [{"quarter": "2026-Q3", "value": 79.5}]
    assert lag.suggested_action == scheme_service.current(db, year=YEAR).quarterly.warnings.suggested_action.task_progress


def test_recomputing_is_idempotent_and_withdraws_what_no_longer_triggers(db, who, hr):  # type: ignore[no-untyped-def]
    me = _no(db, who, "staff")
    _send(db, hr, 3, PROGRESS, {me: "60"})
    _compute(db, hr, 3)
    [warning] = _warnings(db)
    _compute(db, hr, 3)
    _compute(db, hr, 3)
    assert _warnings(db) == [warning] and _history(db, warning) == [("raise", "", "pending")]

    _send(db, hr, 3, PROGRESS, {me: "95"})
    _compute(db, hr, 3)
    db.refresh(warning)
    assert warning.status is WarningStatus.withdrawn and len(_warnings(db)) == 1  # kept, marked
    assert _history(db, warning)[-1] == ("withdraw", "pending", "withdrawn")
    reason = db.scalar(select(WarningHistory.comment).where(WarningHistory.action == "withdraw"))
    assert "不再触发" in reason

    _send(db, hr, 3, PROGRESS, {me: "50"})
    _compute(db, hr, 3)
    db.refresh(warning)
    assert warning.status is WarningStatus.pending and warning.figures["quarters"][0]["value"] == 50.0
    assert [h[0] for h in _history(db, warning)] == ["raise", "withdraw", "reraise"]
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("warning.%"))) == 3


def test_the_satisfaction_run_crosses_the_year_boundary(db, who, hr):  # type: ignore[no-untyped-def]
    me = _no(db, who, "staff")
    service.open_year(db, actor=hr, year=YEAR - 1, now=at(1, 6))
    for year, quarter in ((YEAR - 1, 4), (YEAR, 1)):
        while service.find_cycle(db, year, quarter).phase is not QuarterPhase.rating:
            service.advance(db, actor=hr, year=year, quarter=quarter, now=at(4, 20), reason="测试推进")
        metrics_service.import_api(db, actor=hr, idempotency_key=None, now=at(4, 21), batch_in=MetricBatchIn(
            source="service_platform", year=year, quarter=quarter, replace=True,
            items=[{"employee_no": me, "indicator_code": SATISFACTION, "value": "70" if quarter == 4 else "75"}]))
    db.commit()
    alone = warnings.evaluate_quarter(db, actor=hr, year=YEAR - 1, quarter=4, now=at(4, 22))
    assert alone.raised == 0  # 2025-Q3 had no value: a run of one low quarter only
    summary = warnings.evaluate_quarter(db, actor=hr, year=YEAR, quarter=1, now=at(4, 22))
    db.commit()
    assert (summary.raised, summary.pending) == (1, 1)
    [warning] = _warnings(db, year=YEAR, quarter=1)
    assert [q["quarter"] for q in warning.figures["quarters"]] == ["2025-Q4", "2026-Q1"]
    assert _warnings(db, year=YEAR - 1) == []


def test_hr_or_the_persons_leader_handle_a_warning_with_a_note(db, who, hr):  # type: ignore[no-untyped-def]
    me, other = _no(db, who, "staff"), _no(db, who, "staff2")
    _send(db, hr, 3, PROGRESS, {me: "60", other: "60"})
    _compute(db, hr, 3)
    mine = next(w for w in _warnings(db) if w.staff_id == who("staff").staff_id)
    theirs = next(w for w in _warnings(db) if w.staff_id == who("staff2").staff_id)
    leader = who("leader")
    for role in ("staff", "inspector", "admin"):
        with pytest.raises(Forbidden):
            warnings.handle(db, actor=who(role), warning_id=mine.id, note="已处理", now=at(10, 20))
    with pytest.raises(NotFound):  # staff2 is not one of the leader's people: not even seen
        warnings.handle(db, actor=leader, warning_id=theirs.id, note="已谈话", now=at(10, 20))
    with pytest.raises(Invalid, match="处理情况"):
        warnings.handle(db, actor=leader, warning_id=mine.id, note="  ", now=at(10, 20))
    warnings.handle(db, actor=leader, warning_id=mine.id, note="已与本人谈话，制定改进计划", now=at(10, 21))
    warnings.handle(db, actor=hr, warning_id=theirs.id, note="已安排专项培训", now=at(10, 21))
    db.commit()
    db.refresh(mine)
    assert (mine.status, mine.note, mine.handled_by) == (WarningStatus.handled, "已与本人谈话，制定改进计划",
                                                          leader.user_id)
    last = db.scalar(select(WarningHistory).where(WarningHistory.warning_id == mine.id).order_by(WarningHistory.id.desc()))
    assert (last.action, last.from_status, last.to_status, last.actor_id, last.comment) == (
        "handle", "pending", "handled", leader.user_id, "已与本人谈话，制定改进计划")
    assert db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "warning.handle")) == 2
    with pytest.raises(Invalid, match="已处理"):
        warnings.handle(db, actor=hr, warning_id=mine.id, note="再次处理", now=at(10, 22))
    # Handled stays handled, even when a recomputation no longer triggers it.
    _send(db, hr, 3, PROGRESS, {me: "99", other: "99"})
    _compute(db, hr, 3)
    assert {w.status for w in _warnings(db)} == {WarningStatus.handled}


def test_each_reader_sees_their_scope_and_hr_and_the_leader_owe_it(db, who, hr):  # type: ignore[no-untyped-def]
    me, other = _no(db, who, "staff"), _no(db, who, "staff2")
    _send(db, hr, 3, PROGRESS, {me: "60", other: "60"})
    _compute(db, hr, 3)
    seen = {role: {w.staff_id for w in warnings.list_warnings(db, actor=who(role))}
            for role in ("hr", "inspector", "leader", "staff", "staff2", "admin", "dept_head")}
    both = {who("staff").staff_id, who("staff2").staff_id}
    assert seen["hr"] == seen["inspector"] == both
    assert seen["leader"] == seen["staff"] == {who("staff").staff_id}
    assert seen["staff2"] == {who("staff2").staff_id}
    assert seen["admin"] == set() and seen["dept_head"] == set()
    filtered = warnings.list_warnings(db, actor=hr, filters=warnings.Filters(year=YEAR, quarter=3, kind="score_drop"))
    assert filtered == []
    with pytest.raises(Invalid, match="预警类型"):
        warnings.list_warnings(db, actor=hr, filters=warnings.Filters(kind="nonsense"))
    todo = {role: [i for i in gather(db, who(role), at(10, 20), todo_providers()) if i.key == "warnings.pending"]
            for role in ("hr", "leader", "staff", "inspector")}
    assert [(i.title, i.count, i.href) for i in todo["hr"]] == [("2 条季度预警待处理", 2, "/warnings?status=pending")]
    assert [i.count for i in todo["leader"]] == [1]
    assert todo["staff"] == todo["inspector"] == []


def test_only_hr_evaluates_an_opened_quarter_not_yet_closed(db, who, hr):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        warnings.evaluate_quarter(db, actor=hr, year=YEAR + 3, quarter=1, now=at(10, 20))
    with pytest.raises(Forbidden):
        warnings.evaluate_quarter(db, actor=who("leader"), year=YEAR, quarter=3, now=at(10, 20))
    while service.find_cycle(db, YEAR, 2).phase is not QuarterPhase.closed:
        service.advance(db, actor=hr, year=YEAR, quarter=2, now=at(10, 12), reason="测试推进")
    db.commit()
    with pytest.raises(Conflict, match="冻结"):
        warnings.evaluate_quarter(db, actor=hr, year=YEAR, quarter=2, now=at(10, 20))
