"""The month loop (R4) with the anchor its close prints, and the bulk import of past records, through the
use cases and the `kaohe` command, on both databases. Tampering with the records and the ledger behind
the application's back (R5) is tested in tests/integration/ledger/."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from tests.integration.ledger.ledger_support import run_kaohe
from tests.integration.records.records_support import department, enter, review

from kaohe.clock import zone
from kaohe.errors import Conflict, Forbidden, Invalid
from kaohe.ledger.models import LedgerEntry
from kaohe.records import month as month_service
from kaohe.records.models import MonthClose, RecordStatus, WorkRecord


@pytest.fixture
def cli(demo_url):  # type: ignore[no-untyped-def]
    """The installed `kaohe …` in a process of its own, against the same database as the test's `db`."""
    return lambda *args: run_kaohe(demo_url, *args)


# --- the month loop ------------------------------------------------------------------------------

SEPTEMBER = datetime(2026, 9, 15, 16, 0, tzinfo=zone())
OCTOBER = datetime(2026, 10, 8, 9, 0, tzinfo=zone())
SUMMARY = "九月份政务服务一科办件量稳步上升，群众满意度保持高位，下月重点推进一窗通办。"


def test_it_lets_the_department_head_close_a_month_once_nothing_waits(db, who):
    zw1 = department(db, "ZW1")
    staff, leader, head = who("staff"), who("leader"), who("dept_head")
    first = enter(db, staff, now=SEPTEMBER)
    second = enter(db, who("JZ0025"), now=SEPTEMBER, title="九月的帮办代办")
    with pytest.raises(Invalid) as waiting:
        month_service.close_month(db, actor=head, department_id=zw1.id, month="2026-09", summary=SUMMARY,
                                  now=OCTOBER)
    db.rollback()
    assert waiting.value.message == "还有 2 条记录等待分管领导审核，审核完成后才能办结本月。"
    with pytest.raises(Invalid) as early:
        month_service.close_month(db, actor=head, department_id=zw1.id, month="2026-09", summary=SUMMARY,
                                  now=SEPTEMBER + timedelta(days=1))
    db.rollback()
    assert early.value.message == "2026-09 尚未结束，不能办结。"
    review(db, leader, [first, second], now=SEPTEMBER + timedelta(days=2))
    closed = month_service.close_month(db, actor=head, department_id=zw1.id, month="2026-09", summary=SUMMARY,
                                       now=OCTOBER)
    assert closed.close.figures["records"] == 2 and closed.close.figures["waiting_leader"] == 0
    # The close's entry: its audit row's entry may follow it (every audit row has a ledger entry).
    last = db.scalar(select(LedgerEntry).where(LedgerEntry.kind == "month.close").order_by(LedgerEntry.seq.desc()).limit(1))
    assert closed.anchor.startswith(f"考核账本锚点：第 {last.seq} 号条目，哈希 {last.hash}，锚定时间 ")
    db.commit()  # the test plays the edge
    state = month_service.department_month(db, actor=head, department_id=zw1.id, month="2026-09", now=OCTOBER)
    assert state.closed is not None and state.closed.summary == SUMMARY
    with pytest.raises(Conflict) as twice:
        month_service.close_month(db, actor=head, department_id=zw1.id, month="2026-09", summary=SUMMARY,
                                  now=OCTOBER)
    db.rollback()
    assert twice.value.message == "2026-09 已经办结。"
    assert db.scalar(select(func.count()).select_from(MonthClose)) == 1
    assert db.scalar(select(LedgerEntry.kind).where(LedgerEntry.kind != "audit")
                     .order_by(LedgerEntry.seq.desc()).limit(1)) == "month.close"


def test_it_refuses_the_close_to_staff_and_to_another_departments_head(db, who):
    zw1 = department(db, "ZW1")
    for role in ("staff", "leader", "hr"):
        with pytest.raises(Forbidden):
            month_service.close_month(db, actor=who(role), department_id=zw1.id, month="2026-09",
                                      summary=SUMMARY, now=OCTOBER)
        db.rollback()
    assert db.scalar(select(func.count()).select_from(MonthClose)) == 0


def test_it_reminds_the_leader_of_reviews_and_the_author_of_returned_records(db, who):
    staff, leader = who("staff"), who("leader")
    returned = enter(db, staff, title="需要补充的记录")
    enter(db, who("JZ0025"), title="等待审核的记录")
    review(db, leader, [returned], "return", "请补充办件数量")
    leader_sees = {(r.who, r.what) for r in month_service.reminders(db, actor=leader, now=OCTOBER)}
    assert ("沈杰", "有记录等待审核确认") in leader_sees
    mine = month_service.reminders(db, actor=staff, now=OCTOBER)
    assert [(r.who, r.what, r.count) for r in mine] == [("郭婷", "有被退回的记录需要修改后重新提交", 1)]


# --- bulk import through the command line -----------------------------------------------------------

HEADER = "工号,工作事项,开始时间,结束时间,阶段成果,状态\n"
GOOD = ("JZ0028,窗口受理企业开办,2026-03-02 09:00,2026-03-02 11:30,受理企业开办申请十二件，全部当日办结,\n"
        "JZ0025,帮办代办服务,2026-03-03 09:00,2026-03-03 17:00,为老年群众代办社保业务八件,待审核\n"
        "JZ0062,机房巡检,2026-03-04,2026-03-04,完成机房巡检并更换两块硬盘,\n")


def test_it_imports_past_records_from_the_command_line(cli, db, tmp_path):
    before = db.scalar(select(func.count()).select_from(WorkRecord))
    good = tmp_path / "history.csv"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    result = cli("import", "records", str(good))
    assert result.code == 0, result.text
    assert "已导入 3 条历史记录" in result.text
    rows = db.scalars(select(WorkRecord).where(WorkRecord.source == "import").order_by(WorkRecord.id)).all()
    assert len(rows) == 3 == db.scalar(select(func.count()).select_from(WorkRecord)) - before
    assert [r.status for r in rows] == [RecordStatus.confirmed, RecordStatus.submitted, RecordStatus.confirmed]
    assert cli("ledger", "verify").code == 0


def test_it_imports_nothing_from_a_file_with_one_bad_row(cli, db, tmp_path):
    before = db.scalar(select(func.count()).select_from(WorkRecord))
    bad = tmp_path / "history.csv"
    bad.write_text(HEADER + GOOD + "ZZ9999,不存在的人,2026-03-05 09:00,2026-03-05 10:00,这一行的工号不存在,\n",
                   encoding="utf-8")
    result = cli("import", "records", str(bad))
    assert result.code == 1
    assert "第 5 行「工号」" in result.text and "ZZ9999" in result.text
    assert db.scalar(select(func.count()).select_from(WorkRecord)) == before
