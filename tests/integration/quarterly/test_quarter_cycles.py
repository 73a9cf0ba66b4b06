"""Quarterly cycles through the use cases, on SQLite and PostgreSQL (Q1, Q6): HR opens a year, moves a
quarter through collection, rating and review against working-day deadlines on the unit's calendar, a
closed quarter is frozen, and reopening it needs HR and a reason; every step leaves history, an audit
row and a ledger entry."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import todo_providers
from kaohe.calendar import service as calendar_service
from kaohe.calendar.workdays import CalendarError, DayKind
from kaohe.clock import zone
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.ledger import service as ledger_service
from kaohe.ledger.models import LedgerEntry, LedgerPending
from kaohe.messages import t
from kaohe.org.models import Department
from kaohe.quarterly import service
from kaohe.quarterly.models import PhaseRun, QuarterCycle, QuarterPhase, QuarterTransition
from kaohe.records.month import close_month
from kaohe.todo import Urgency, gather

YEAR = 2026


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=zone())


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _ledger(db) -> int:  # type: ignore[no-untyped-def]
    # Sealed or still pending: entries of the quarter's phase changes.
    return (_count(db, LedgerEntry, LedgerEntry.kind == "quarter.phase")
            + _count(db, LedgerPending, LedgerPending.kind == "quarter.phase"))


@pytest.fixture
def opened(db, who):  # type: ignore[no-untyped-def]
    service.open_year(db, actor=who("hr"), year=YEAR, now=at(1, 5))
    db.commit()
    return who("hr")


def advance(db, actor, quarter: int, now: datetime, reason: str = "") -> QuarterCycle:  # type: ignore[no-untyped-def]
    cycle = service.advance(db, actor=actor, year=YEAR, quarter=quarter, reason=reason, now=now)
    db.commit()
    return cycle


def run_of(db, cycle: QuarterCycle, phase: QuarterPhase) -> PhaseRun:  # type: ignore[no-untyped-def]
    return service.runs_of(db, cycle)[phase]


# --- opening ------------------------------------------------------------------------------------------

def test_it_opens_the_year_with_the_schemes_number_of_quarters(db, opened):
    cycles = db.scalars(select(QuarterCycle).where(QuarterCycle.year == YEAR).order_by(QuarterCycle.quarter)).all()
    assert [(c.quarter, c.starts_on, c.ends_on, c.phase) for c in cycles] == [
        (1, date(2026, 1, 1), date(2026, 3, 31), QuarterPhase.pending),
        (2, date(2026, 4, 1), date(2026, 6, 30), QuarterPhase.pending),
        (3, date(2026, 7, 1), date(2026, 9, 30), QuarterPhase.pending),
        (4, date(2026, 10, 1), date(2026, 12, 31), QuarterPhase.pending)]
    assert _count(db, QuarterTransition, QuarterTransition.action == "open") == 4
    assert _count(db, AuditEntry, AuditEntry.action == "quarter.open", AuditEntry.entity_id == str(YEAR)) == 1
    with pytest.raises(Conflict, match="2026 年度的考核周期已经开启"):
        service.open_year(db, actor=opened, year=YEAR, now=at(1, 6))


def test_only_the_appraisal_office_opens_and_moves_quarters(db, who, opened):
    for role in ("staff", "inspector", "admin", "leader", "dept_head"):
        with pytest.raises(Forbidden):
            service.open_year(db, actor=who(role), year=YEAR + 1, now=at(1, 6))
        with pytest.raises(Forbidden):
            service.advance(db, actor=who(role), year=YEAR, quarter=1, now=at(4, 7))
    db.rollback()
    assert db.get(QuarterCycle, service.find_cycle(db, YEAR, 1).id).phase is QuarterPhase.pending
    # The inspector and the leaders read where the quarters stand; a staff member does not.
    assert len(service.list_cycles(db, actor=who("inspector"))) == 4
    assert service.get_cycle(db, actor=who("leader"), year=YEAR, quarter=2).quarter == 2
    with pytest.raises(Forbidden):
        service.list_cycles(db, actor=who("staff"))
    with pytest.raises(NotFound, match="2031年第一季度尚未开启"):
        service.get_cycle(db, actor=who("inspector"), year=2031, quarter=1)


# --- through every phase ----------------------------------------------------------------------------

def test_a_quarter_moves_through_every_phase_on_working_day_deadlines_across_national_day(db, opened):
    hr = opened
    # Started before the quarter ends: collection begins on the first working day after 30 September,
    # which is 8 October (1–7 October is the National Day holiday), and takes 5 working days counting
    # Saturday 10 October, a 调休 workday: due on Tuesday 13 October, not Wednesday 14.
    cycle = advance(db, hr, 3, at(9, 29), reason="第三季度数据采集")
    collection = run_of(db, cycle, QuarterPhase.collection)
    assert (cycle.phase, collection.starts_on, collection.deadline, collection.working_days) == (
        QuarterPhase.collection, date(2026, 10, 8), date(2026, 10, 13), 5)
    # Rating starts the day HR moves on, for the scheme's 10 working days.
    cycle = advance(db, hr, 3, at(10, 13, 17))
    rating = run_of(db, cycle, QuarterPhase.rating)
    assert (rating.starts_on, rating.deadline, rating.working_days) == (date(2026, 10, 13), date(2026, 10, 26), 10)
    assert run_of(db, cycle, QuarterPhase.collection).ended_at is not None
    # Moved on a Saturday that is not a workday: review starts on Monday, 5 working days.
    cycle = advance(db, hr, 3, at(10, 24))
    review = run_of(db, cycle, QuarterPhase.review)
    assert (review.starts_on, review.deadline) == (date(2026, 10, 26), date(2026, 10, 30))
    cycle = advance(db, hr, 3, at(10, 30, 16), reason="审核完毕")
    assert cycle.phase is QuarterPhase.closed
    rows = service.history(db, cycle)
    assert [(r.action, r.from_phase, r.to_phase) for r in reversed(rows)] == [
        ("open", "", "pending"), ("advance", "pending", "collection"), ("advance", "collection", "rating"),
        ("advance", "rating", "review"), ("advance", "review", "closed")]
    assert rows[0].reason == "审核完毕" and rows[0].actor_id == hr.user_id and rows[0].actor_name == hr.display_name
    assert rows[0].at == at(10, 30, 16)
    assert _count(db, AuditEntry, AuditEntry.action == "quarter.advance", AuditEntry.entity_id == str(cycle.id)) == 4
    assert _ledger(db) == 4 + 4  # four quarters opened, four moves
    assert ledger_service.verify(db).ok  # the chain, its signatures and the audit rows it covers


def test_collection_started_after_the_quarter_ends_starts_that_day(db, opened):
    cycle = advance(db, opened, 1, at(4, 8, 9))
    run = run_of(db, cycle, QuarterPhase.collection)
    assert (run.starts_on, run.deadline) == (date(2026, 4, 8), date(2026, 4, 14))


def test_a_unit_closure_moves_the_deadline(db, opened):
    calendar_service.set_day(db, actor=opened, day=date(2026, 10, 12), kind=DayKind.closure, name="系统升级停工")
    db.commit()
    cycle = advance(db, opened, 3, at(10, 8))
    assert run_of(db, cycle, QuarterPhase.collection).deadline == date(2026, 10, 14)


def test_a_deadline_in_a_year_without_calendar_data_is_refused_and_nothing_moves(db, opened):
    # The fourth quarter's collection starts in January 2027, a year nobody has loaded.
    with pytest.raises(CalendarError) as refused:
        service.advance(db, actor=opened, year=YEAR, quarter=4, now=at(12, 30))
    assert refused.value.message == t("calendar.year_not_loaded", year=2027, day="2027-01-01")
    db.rollback()
    assert service.find_cycle(db, YEAR, 4).phase is QuarterPhase.pending
    assert _count(db, PhaseRun) == 0


def test_a_move_made_from_a_stale_page_is_refused(db, opened):
    advance(db, opened, 2, at(7, 2))
    with pytest.raises(Conflict, match="已被推进到「数据采集」阶段"):
        service.advance(db, actor=opened, year=YEAR, quarter=2, now=at(7, 3), expected=QuarterPhase.pending)


# --- frozen, reopened ---------------------------------------------------------------------------------

def _close(db, hr, quarter: int = 2) -> None:  # type: ignore[no-untyped-def]
    for day in (2, 3, 6, 7):
        advance(db, hr, quarter, at(7, day))


def test_a_closed_quarter_is_frozen(db, opened):
    assert service.require_open(db, YEAR, 2).phase is QuarterPhase.pending
    _close(db, opened)
    with pytest.raises(Conflict, match="2026年第二季度已结束，数据已冻结"):
        service.require_open(db, YEAR, 2)
    with pytest.raises(Conflict, match="不能再推进"):
        service.advance(db, actor=opened, year=YEAR, quarter=2, now=at(7, 8))
    with pytest.raises(NotFound):
        service.require_open(db, 2031, 1)
    with pytest.raises(Conflict, match="只能在「评价」阶段进行"):
        service.require_phase(db, YEAR, 1, QuarterPhase.rating)
    assert service.require_phase(db, YEAR, 1, QuarterPhase.pending).quarter == 1


def test_reopening_needs_hr_and_a_reason_and_leaves_history(db, who, opened):
    _close(db, opened)
    with pytest.raises(Invalid, match="请填写重新打开的理由"):
        service.reopen(db, actor=opened, year=YEAR, quarter=2, reason="  ", now=at(7, 9))
    with pytest.raises(Forbidden):
        service.reopen(db, actor=who("inspector"), year=YEAR, quarter=2, reason="数据有误", now=at(7, 9))
    with pytest.raises(Conflict, match="尚未结束，无需重新打开"):
        service.reopen(db, actor=opened, year=YEAR, quarter=1, reason="数据有误", now=at(7, 9))
    db.rollback()
    cycle = service.reopen(db, actor=opened, year=YEAR, quarter=2, reason="满意度数据有误，需更正后重新审核",
                           now=at(7, 9))
    db.commit()
    assert cycle.phase is QuarterPhase.review and service.require_open(db, YEAR, 2) is cycle
    # A new review run: from Thursday 9 July, 5 working days.
    runs = db.scalars(select(PhaseRun).where(PhaseRun.cycle_id == cycle.id, PhaseRun.phase == QuarterPhase.review)
                      .order_by(PhaseRun.id)).all()
    assert len(runs) == 2 and (runs[-1].starts_on, runs[-1].deadline) == (date(2026, 7, 9), date(2026, 7, 15))
    last = service.history(db, cycle)[0]
    assert (last.action, last.from_phase, last.to_phase, last.reason, last.actor_id) == (
        "reopen", "closed", "review", "满意度数据有误，需更正后重新审核", opened.user_id)
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "quarter.reopen"))
    assert audit is not None and "满意度数据有误" in audit.summary and audit.after["phase"] == "review"


# --- what is owed, and the 待办 ---------------------------------------------------------------------

def test_collection_owes_every_month_not_closed_per_department_with_its_head(db, who, opened):
    zw1 = db.scalar(select(Department).where(Department.code == "ZW1"))
    close_month(db, actor=who("dept_head"), department_id=zw1.id, month="2026-01",
                summary="一月份窗口受理工作按期完成，无积压。", now=at(2, 3))
    db.commit()
    shown = service.detail(db, actor=opened, year=YEAR, quarter=1, now=at(4, 7))
    owed = {item.department: item for item in shown.owed[QuarterPhase.collection]}
    assert owed[zw1.name].what == "2026-02、2026-03 月结尚未办结" and owed[zw1.name].count == 2
    assert owed[zw1.name].who == zw1.head.name
    assert owed[zw1.name].href == f"/records/month?department_id={zw1.id}&month=2026-02"
    active = _count(db, Department, Department.is_active.is_(True))
    assert len(owed) == active  # in the first quarter of the demo nobody else has closed a month
    assert all(item.count == 3 for name, item in owed.items() if name != zw1.name)
    assert shown.owed[QuarterPhase.rating] == [] and shown.owed[QuarterPhase.review] == []


def _todo(db, actor, now):  # type: ignore[no-untyped-def]
    return [item for item in gather(db, actor, now, todo_providers()) if item.key.startswith("quarter.")]


def test_hr_is_reminded_of_a_deadline_two_working_days_away_or_past(db, who, opened):
    advance(db, opened, 3, at(10, 8))  # collection due 13 October
    assert _todo(db, opened, at(10, 8)) == []  # four working days left: 9, 10 (调休), 12, 13 October
    assert _todo(db, opened, at(10, 9)) == []  # three left
    due = _todo(db, opened, at(10, 12))
    assert len(due) == 1 and due[0].urgency is Urgency.soon and due[0].href == "/quarterly/2026/3"
    assert due[0].title == "2026年第三季度「数据采集」阶段还剩 1 个工作日截止"
    today = _todo(db, opened, at(10, 13))
    assert today[0].title == "2026年第三季度「数据采集」阶段今日截止"
    late = _todo(db, opened, at(10, 15))
    assert len(late) == 1 and late[0].urgency is Urgency.overdue
    assert late[0].title == "2026年第三季度「数据采集」阶段已逾期 2 个工作日"
    assert _todo(db, who("staff"), at(10, 15)) == [] and _todo(db, who("inspector"), at(10, 15)) == []
