"""The records ledger against tampering behind the application's back (R5), the month loop (R4) and the
bulk import of past records, through the use cases and the `kaohe` command, on both databases."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from tests.integration.records.records_support import department, enter, review
from typer.testing import CliRunner

from kaohe.cli import app
from kaohe.config import get_settings
from kaohe.errors import Conflict, Forbidden, Invalid
from kaohe.records import month as month_service
from kaohe.records.clock import LOCAL
from kaohe.records.models import LedgerEntry, MonthClose, RecordStatus, WorkRecord

runner = CliRunner()


@pytest.fixture
def cli(demo_url, monkeypatch):  # type: ignore[no-untyped-def]
    """`kaohe …` against the same database as the test's `db` session."""
    monkeypatch.setenv("KAOHE_DATABASE_URL", demo_url)
    get_settings.cache_clear()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


@pytest.fixture
def history(db, who) -> list[int]:  # type: ignore[no-untyped-def]
    """Records entered and reviewed; returns the ledger's seq numbers in order."""
    staff, colleague, leader = who("staff"), who("JZ0025"), who("leader")
    records = [enter(db, staff, title=f"窗口业务第{i}批") for i in range(3)] + [enter(db, colleague)]
    review(db, leader, records[:2])
    review(db, leader, records[2:3], "return", "请补充办件数量")
    seqs = list(db.scalars(select(LedgerEntry.seq).order_by(LedgerEntry.seq)))
    assert len(seqs) >= 7
    return seqs


def _swap(db, first: int, second: int) -> None:  # type: ignore[no-untyped-def]
    for old, new in ((first, -1), (second, first), (-1, second)):
        db.execute(text("UPDATE ledger_entry SET seq = :new WHERE seq = :old"), {"new": new, "old": old})
    db.commit()


def test_it_verifies_an_untouched_ledger(cli, history):
    result = cli("ledger", "verify")
    assert result.exit_code == 0, result.output
    assert f"共 {len(history)} 条" in result.output
    anchor = cli("ledger", "anchor")
    assert anchor.exit_code == 0 and f"第 {history[-1]} 号条目" in anchor.output


def test_it_names_an_entry_whose_payload_was_changed_with_sql(cli, db, history):
    target = history[3]
    payload = bytes(db.scalar(select(LedgerEntry.payload).where(LedgerEntry.seq == target)))
    forged = payload.replace("二十三件".encode(), "三十三件".encode())
    assert forged != payload
    db.execute(text("UPDATE ledger_entry SET payload = :p WHERE seq = :s"), {"p": forged, "s": target})
    db.commit()
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert f"第 {target} 号账本条目内容被改动" in result.output


def test_it_names_a_deleted_entry_in_the_middle(cli, db, history):
    target = history[3]
    db.execute(text("DELETE FROM ledger_entry WHERE seq = :s"), {"s": target})
    db.commit()
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert f"第 {target} 号账本条目被删除" in result.output


@pytest.mark.parametrize("distance", [1, 2])
def test_it_names_two_entries_whose_order_was_swapped(cli, db, history, distance):
    first = history[2]
    _swap(db, first, first + distance)
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert f"第 {first} 号账本条目的顺序被调换" in result.output


def test_it_detects_two_swapped_entries_at_all(cli, db, history):
    """Whatever the wording, a swap is never accepted and the first swapped entry is named."""
    first = history[2]
    _swap(db, first, first + 1)
    result = cli("ledger", "verify")
    assert result.exit_code == 1 and f"第 {first} 号账本条目" in result.output


def test_it_detects_the_last_entry_deleted_behind_the_heads_back(cli, db, history):
    last = history[-1]
    db.execute(text("DELETE FROM ledger_entry WHERE seq = :s"), {"s": last})
    db.commit()
    assert db.scalar(text("SELECT seq FROM ledger_head WHERE id = 1")) == last
    result = cli("ledger", "verify")
    assert result.exit_code == 1
    assert f"第 {last} 号账本条目被删除" in result.output


# --- the month loop ------------------------------------------------------------------------------

SEPTEMBER = datetime(2026, 9, 15, 16, 0, tzinfo=LOCAL)
OCTOBER = datetime(2026, 10, 8, 9, 0, tzinfo=LOCAL)
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
    assert closed.figures["records"] == 2 and closed.figures["waiting_leader"] == 0
    state = month_service.department_month(db, actor=head, department_id=zw1.id, month="2026-09", now=OCTOBER)
    assert state.closed is not None and state.closed.summary == SUMMARY
    with pytest.raises(Conflict) as twice:
        month_service.close_month(db, actor=head, department_id=zw1.id, month="2026-09", summary=SUMMARY,
                                  now=OCTOBER)
    db.rollback()
    assert twice.value.message == "2026-09 已经办结。"
    assert db.scalar(select(func.count()).select_from(MonthClose)) == 1
    assert db.scalar(select(LedgerEntry.kind).order_by(LedgerEntry.seq.desc()).limit(1)) == "month.close"


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
    assert result.exit_code == 0, result.output
    assert "已导入 3 条历史记录" in result.output
    rows = db.scalars(select(WorkRecord).where(WorkRecord.source == "import").order_by(WorkRecord.id)).all()
    assert len(rows) == 3 == db.scalar(select(func.count()).select_from(WorkRecord)) - before
    assert [r.status for r in rows] == [RecordStatus.confirmed, RecordStatus.submitted, RecordStatus.confirmed]
    assert cli("ledger", "verify").exit_code == 0


def test_it_imports_nothing_from_a_file_with_one_bad_row(cli, db, tmp_path):
    before = db.scalar(select(func.count()).select_from(WorkRecord))
    bad = tmp_path / "history.csv"
    bad.write_text(HEADER + GOOD + "ZZ9999,不存在的人,2026-03-05 09:00,2026-03-05 10:00,这一行的工号不存在,\n",
                   encoding="utf-8")
    result = cli("import", "records", str(bad))
    assert result.exit_code == 1
    assert "第 5 行「工号」" in result.output and "ZZ9999" in result.output
    assert db.scalar(select(func.count()).select_from(WorkRecord)) == before
