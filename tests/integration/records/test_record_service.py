"""Daily records through the use cases, on SQLite and PostgreSQL: entering (R2, R3), versions, the
leader's review (R4) and who may read whose records."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.integration.records.records_support import NOW, STAGE, enter, record_in, review, staff_no

from kaohe.audit.models import AuditEntry
from kaohe.errors import Forbidden, Invalid, NotFound
from kaohe.ledger.models import LedgerEntry
from kaohe.records import service, tasks
from kaohe.records.models import RecordStatus, RecordVersion, ReviewAction, WorkRecord
from kaohe.records.schemas import RecordUpdate, ReviewIn, TaskCreate
from kaohe.scheme import service as scheme_service
from kaohe.scheme.loader import default_scheme_text


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _update(record, **changes) -> RecordUpdate:  # type: ignore[no-untyped-def]
    fields = {name: getattr(record, name) for name in ("title", "started_at", "ended_at", "stage_result",
                                                        "difficulties", "commendation", "task_item_id")}
    return RecordUpdate(**{**fields, **changes})


# --- entering -----------------------------------------------------------------------------------


def test_it_saves_a_record_with_its_first_version_history_audit_and_ledger_entry(db, who):
    staff = who("staff")
    ledger_before = _count(db, LedgerEntry)
    record = enter(db, staff, title="窗口受理企业开办", difficulties="系统卡顿，改用离线登记后补录", commendation="获群众锦旗一面")
    db.expire_all()
    saved = db.get(WorkRecord, record.id)
    assert (saved.version, saved.status, saved.late) == (1, RecordStatus.submitted, False)
    assert saved.staff_id == staff.staff_id and saved.recorded_by == staff.user_id
    versions = db.scalars(select(RecordVersion).where(RecordVersion.record_id == record.id)).all()
    assert [v.version for v in versions] == [1] and versions[0].content["title"] == "窗口受理企业开办"
    history = db.scalars(select(ReviewAction).where(ReviewAction.record_id == record.id)).all()
    assert [(h.action, h.to_status) for h in history] == [("submit", "submitted")]
    assert _count(db, AuditEntry, AuditEntry.action == "record.create", AuditEntry.entity_id == str(record.id)) == 1
    assert _count(db, LedgerEntry) == ledger_before + 2  # the record's version, and its audit row's entry
    last = db.scalar(select(LedgerEntry).where(LedgerEntry.kind != "audit").order_by(LedgerEntry.seq.desc()).limit(1))
    assert last.kind == "record.version" and "窗口受理企业开办".encode() in last.payload


def test_it_marks_a_record_entered_more_than_24_hours_after_its_end_as_late(db, who):
    staff = who("staff")
    on_time = enter(db, staff, ended=NOW - timedelta(hours=23))
    late = enter(db, staff, title="补记上周的窗口值班", ended=NOW - timedelta(hours=30))
    assert on_time.late is False
    assert late.late is True


def test_it_takes_the_late_limit_from_the_published_scheme(db, who):
    hr = who("hr")
    text = default_scheme_text()
    assert "hours: 24  # R3" in text
    draft = scheme_service.import_version(db, actor=hr, year=NOW.year, text=text.replace("hours: 24  # R3", "hours: 48  # R3"))
    scheme_service.publish(db, actor=hr, version_id=draft.id)
    assert service.entry_limit_hours(db, NOW.year) == 48
    thirty = enter(db, who("staff"), ended=NOW - timedelta(hours=30))
    fifty = enter(db, who("staff"), title="补记两天前的窗口值班", ended=NOW - timedelta(hours=50))
    assert thirty.late is False
    assert fifty.late is True


@pytest.mark.parametrize(("fields", "message"), [
    ({"ended": NOW - timedelta(hours=3), "hours": -1}, "结束时间不能早于开始时间。"),
    ({"ended": NOW + timedelta(hours=2)}, "结束时间不能晚于现在：请在工作完成后记录。"),
])
def test_it_refuses_impossible_times_in_chinese_and_saves_nothing(db, who, fields, message):
    before = (_count(db, WorkRecord), _count(db, LedgerEntry))
    with pytest.raises(Invalid) as refused:
        service.create_record(db, actor=who("staff"), record_in=record_in(**fields), now=NOW)
    db.rollback()
    assert refused.value.message == message
    assert (_count(db, WorkRecord), _count(db, LedgerEntry)) == before


def test_it_refuses_a_task_of_someone_elses_task_book(db, who):
    hr = who("hr")
    theirs = tasks.create_task(db, actor=hr, task_in=TaskCreate(
        staff_no=staff_no(db, who("staff2")), year=2026, code="T-XXK-01", title="机房改造"))
    mine = tasks.create_task(db, actor=hr, task_in=TaskCreate(
        staff_no=staff_no(db, who("staff")), year=2026, code="T-ZW1-01", title="一窗通办改革"))
    db.commit()
    before = _count(db, WorkRecord)
    with pytest.raises(Invalid) as refused:
        enter(db, who("staff"), task_item_id=theirs.id)
    db.rollback()
    assert refused.value.message == "所选任务不属于该人员的年度任务书。"
    assert _count(db, WorkRecord) == before
    assert enter(db, who("staff"), task_item_id=mine.id).task_item_id == mine.id


# --- editing ------------------------------------------------------------------------------------


def test_it_keeps_the_old_version_and_sends_a_returned_record_back_for_review(db, who):
    staff, leader = who("staff"), who("leader")
    record = enter(db, staff, title="整理群众来信")
    review(db, leader, [record], "return", "请补充办件数量")
    assert record.status is RecordStatus.returned
    edited = service.update_record(db, actor=staff, record_id=record.id, now=NOW + timedelta(minutes=30),
                                   record_in=_update(record, stage_result="整理群众来信四十二封，全部转办并登记回复。"))
    db.expire_all()
    assert (edited.version, edited.status) == (2, RecordStatus.submitted)
    kept = {v.version: v.content["stage_result"]
            for v in db.scalars(select(RecordVersion).where(RecordVersion.record_id == record.id))}
    assert kept == {1: STAGE, 2: "整理群众来信四十二封，全部转办并登记回复。"}
    actions = [h.action for h in service.history(db, edited)]
    assert actions == ["submit", "return", "resubmit"]
    assert record.id in [r.id for r in service.pending_for_leader(db, actor=leader)]


def test_it_refuses_to_edit_a_confirmed_record(db, who):
    staff = who("staff")
    record = enter(db, staff)
    review(db, who("leader"), [record])
    with pytest.raises(Invalid) as refused:
        service.update_record(db, actor=staff, record_id=record.id, now=NOW,
                              record_in=_update(record, title="改过的标题"))
    db.rollback()
    assert refused.value.message == "记录已经分管领导确认，不能再修改。"
    db.expire_all()
    assert db.get(WorkRecord, record.id).title == "办理企业开办业务"


def test_it_lets_only_the_author_edit(db, who):
    record = enter(db, who("staff"))
    with pytest.raises(Forbidden) as refused:
        service.update_record(db, actor=who("leader"), record_id=record.id, now=NOW,
                              record_in=_update(record, title="领导改的标题"))
    db.rollback()
    assert refused.value.message == "只有记录人本人可以修改这条记录。"
    with pytest.raises(NotFound):  # a colleague does not even see it
        service.update_record(db, actor=who("JZ0025"), record_id=record.id, now=NOW,
                              record_in=_update(record, title="同事改的标题"))
    db.rollback()
    db.expire_all()
    assert db.get(WorkRecord, record.id).version == 1


# --- review -------------------------------------------------------------------------------------


def test_it_lets_the_leader_confirm_one_and_several_at_once(db, who):
    staff, colleague, leader = who("staff"), who("JZ0025"), who("leader")
    one = enter(db, staff, title="受理企业开办")
    many = [enter(db, staff, title="窗口咨询答复"), enter(db, colleague, title="帮办代办服务")]
    review(db, leader, [one])
    review(db, leader, many, comment="好")
    db.expire_all()
    for record in (one, *many):
        row = db.get(WorkRecord, record.id)
        assert row.status is RecordStatus.confirmed and row.reviewed_by == leader.user_id
    assert service.pending_for_leader(db, actor=leader) == []


def test_it_needs_a_reason_to_return_a_record(db, who):
    record = enter(db, who("staff"))
    with pytest.raises(Invalid) as refused:
        review(db, who("leader"), [record], "return", "  ")
    db.rollback()
    assert refused.value.message == "退回时必须填写退回原因。"
    db.expire_all()
    assert db.get(WorkRecord, record.id).status is RecordStatus.submitted


def test_it_lets_nobody_confirm_their_own_record(db, who):
    leader = who("leader")
    own = enter(db, leader, title="分管领域调度会")
    with pytest.raises(Invalid) as refused:
        review(db, leader, [own])
    db.rollback()
    assert "不能自己确认" in refused.value.details[0]
    db.expire_all()
    assert db.get(WorkRecord, own.id).status is RecordStatus.submitted
    assert own.id not in [r.id for r in service.pending_for_leader(db, actor=leader)]


def test_it_lets_nobody_confirm_a_record_they_entered_for_someone_else(db, who):
    leader = who("leader")
    written = service.create_record(db, actor=leader, now=NOW, record_in=record_in(
        title="代记：窗口业务", staff_no=staff_no(db, who("staff")))).record
    assert written.recorded_by == leader.user_id and service.may_edit(leader, written)
    with pytest.raises(Invalid):
        review(db, leader, [written])
    db.rollback()


def test_it_lets_a_leader_review_only_their_own_people(db, who):
    leader = who("leader")
    mine = enter(db, who("staff"), title="本科室的记录")
    foreign = enter(db, who("staff2"), title="信息技术科的记录")
    with pytest.raises(Invalid) as refused:
        review(db, leader, [foreign])
    db.rollback()
    # Out of the leader's scope: refused as if it did not exist, so its title and owner stay hidden.
    assert refused.value.details[0] == f"记录 {foreign.id} 不存在。"
    ledger_before = _count(db, LedgerEntry)
    with pytest.raises(Invalid) as batch:
        review(db, leader, [mine, foreign])
    db.rollback()
    assert batch.value.message == "审核未完成：1 条记录不能由您处理，所选记录均未改动。"
    db.expire_all()
    assert db.get(WorkRecord, mine.id).status is RecordStatus.submitted
    assert db.get(WorkRecord, foreign.id).status is RecordStatus.submitted
    assert _count(db, LedgerEntry) == ledger_before
    assert _count(db, ReviewAction, ReviewAction.record_id == mine.id) == 1


def test_it_refuses_review_to_staff(db, who):
    record = enter(db, who("staff"))
    with pytest.raises(Forbidden):
        service.review(db, actor=who("JZ0025"), review_in=ReviewIn(record_ids=[record.id], action="confirm"),
                       now=NOW)


# --- who reads what -----------------------------------------------------------------------------


def test_it_shows_records_only_to_those_who_may_see_the_person(db, who):
    staff, colleague = who("staff"), who("JZ0025")
    mine = enter(db, staff, title="我的记录")
    theirs = enter(db, colleague, title="同事的记录")
    other = enter(db, who("staff2"), title="别科的记录")
    with pytest.raises(NotFound):
        service.get_record(db, actor=staff, record_id=theirs.id)

    def seen(role: str) -> set[int]:
        rows, _total = service.search(db, actor=who(role), query=service.RecordQuery(per_page=500))
        return {r.id for r in rows} & {mine.id, theirs.id, other.id}

    assert seen("staff") == {mine.id}
    assert seen("leader") == {mine.id, theirs.id}
    assert seen("inspector") == {mine.id, theirs.id, other.id}
