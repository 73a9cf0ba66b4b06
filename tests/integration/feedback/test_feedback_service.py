"""Written feedback through the use cases, on SQLite and PostgreSQL (Q4): the result computed → the system's
draft (strengths and weaknesses against the department) → the leader saves and signs (the signature in the
ledger, which still verifies) → the person acknowledges or comments; and every refusal a user could meet."""

from datetime import date

import pytest
from sqlalchemy import select
from tests.integration.feedback.feedback_support import QUARTER, YEAR, advance_to, arrange_results, at

from kaohe.audit.models import AuditEntry
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.feedback import service
from kaohe.feedback.models import Feedback, FeedbackHistory, FeedbackStatus
from kaohe.feedback.schemas import AnswerIn, FeedbackDraft, SignIn
from kaohe.feedback.todo import owed
from kaohe.ledger import service as ledger_service
from kaohe.ledger.models import LedgerEntry
from kaohe.quarterly import service as quarterly
from kaohe.quarterly.models import QuarterPhase

DEADLINE = date(YEAR, 12, 31)


@pytest.fixture
def reviewed(db, who):  # type: ignore[no-untyped-def]
    arrange_results(db, who("hr"), staff_id=who("staff").staff_id)
    return who("staff").staff_id


def _draft(db, actor, staff_id, **texts):  # type: ignore[no-untyped-def]
    view = service.open_feedback(db, actor=actor, year=YEAR, quarter=QUARTER, staff_id=staff_id)
    fields = {**view.texts, "deadline": DEADLINE, **texts}
    row = service.save_draft(db, actor=actor, year=YEAR, quarter=QUARTER, staff_id=staff_id,
                             draft_in=FeedbackDraft(**fields), now=at(10, 21))
    db.commit()
    return row


def _sign(db, actor, staff_id, digest=None):  # type: ignore[no-untyped-def]
    row = service.sign(db, actor=actor, year=YEAR, quarter=QUARTER, staff_id=staff_id,
                       sign_in=SignIn(digest=digest), now=at(10, 22))
    db.commit()
    return row


def _history(db, row):  # type: ignore[no-untyped-def]
    return [(h.from_status, h.to_status, h.actor_name) for h in db.scalars(
        select(FeedbackHistory).where(FeedbackHistory.feedback_id == row.id).order_by(FeedbackHistory.id))]


def test_the_whole_path_from_result_to_acknowledgement(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader, staff = who("leader"), who("staff")
    view = service.open_feedback(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=reviewed)
    assert view.feedback is None and view.may_edit and not view.may_sign
    # 92 → 70 points against colleagues at 99, 99, 96 (100, 100, 85): below the department's mean.
    assert "「出勤率」70.00 分，部门平均" in view.texts["weaknesses"], view.texts
    assert "缺少数据" in view.texts["weaknesses"] and "出勤率" in view.texts["measures"]
    assert "本季度没有高于部门平均的指标" in view.texts["strengths"]

    row = _draft(db, leader, reviewed, strengths="窗口服务态度好，群众评价高。")
    assert row.status is FeedbackStatus.draft and row.edited
    assert service.open_feedback(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=reviewed).may_sign
    with pytest.raises(NotFound):  # a draft is not the person's to see yet
        service.open_feedback(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed)

    digest = service.open_feedback(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=reviewed).digest
    signed = _sign(db, leader, reviewed, digest)
    assert signed.status is FeedbackStatus.signed and signed.signed_hash == digest
    assert signed.signed_name == leader.display_name and signed.signed_at is not None
    entry = db.get(LedgerEntry, signed.ledger_seq)
    assert entry is not None and entry.kind == "feedback.sign" and digest.encode() in entry.payload
    assert ledger_service.verify(db).ok

    mine = service.open_feedback(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed)
    assert mine.may_answer and not mine.may_edit and mine.texts["strengths"] == "窗口服务态度好，群众评价高。"
    assert [t.key for t in _todos(db, staff)] == ["feedback.answer"]
    service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                   answer_in=AnswerIn(action="acknowledge"), now=at(10, 23))
    db.commit()
    db.refresh(signed)
    assert signed.status is FeedbackStatus.acknowledged and signed.answered_at is not None
    assert _history(db, signed) == [("", "draft", leader.display_name), ("draft", "signed", leader.display_name),
                                    ("signed", "acknowledged", staff.display_name)]
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "feedback")))
    assert actions == {"feedback.draft", "feedback.sign", "feedback.acknowledge"}
    assert ledger_service.verify(db).ok
    assert _todos(db, staff) == []

    _owner, quarters = service.file_of(db, actor=staff, staff_id=reviewed)
    assert [(q.year, q.quarter) for q in quarters] == [(YEAR, QUARTER)]
    assert quarters[0].result is None  # under review: the person sees their result once the quarter closes
    assert quarters[0].feedback is not None and quarters[0].feedback.status is FeedbackStatus.acknowledged


def _todos(db, actor):  # type: ignore[no-untyped-def]
    return list(owed(db, actor, at(10, 23)))


def test_the_leader_is_reminded_until_every_person_is_signed(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader = who("leader")
    before = _todos(db, leader)
    assert len(before) == 1 and before[0].key == "feedback.sign"
    count = before[0].count
    assert before[0].title == f"{count} 人的季度书面反馈待签署" and count >= 5
    _draft(db, leader, reviewed)
    _sign(db, leader, reviewed)
    assert _todos(db, leader)[0].count == count - 1


def test_a_comment_is_required_and_counts_as_received(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader, staff = who("leader"), who("staff")
    _draft(db, leader, reviewed)
    _sign(db, leader, reviewed)
    with pytest.raises(Invalid, match="意见"):
        service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                       answer_in=AnswerIn(action="comment", comment=" "), now=at(10, 23))
    db.rollback()
    row = service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                         answer_in=AnswerIn(action="comment", comment="出勤率偏低是因为参加了市里的集中培训。"),
                         now=at(10, 23))
    db.commit()
    assert row.status is FeedbackStatus.disputed and "集中培训" in row.comment
    with pytest.raises(Conflict, match="答复过"):
        service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                       answer_in=AnswerIn(action="acknowledge"), now=at(10, 24))


def test_only_the_leader_drafts_and_signs_and_only_the_person_answers(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader, staff, hr = who("leader"), who("staff"), who("hr")
    other_leader, stranger = who("committee"), who("staff2")  # the 主任 leads the leader, not staff
    texts = FeedbackDraft(strengths="甲", weaknesses="乙", goals="丙", measures="丁", deadline=DEADLINE)
    with pytest.raises(Forbidden, match="分管领导"):
        service.save_draft(db, actor=other_leader, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                           draft_in=texts, now=at(10, 21))
    with pytest.raises(NotFound):  # staff2 cannot even see staff
        service.save_draft(db, actor=stranger, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                           draft_in=texts, now=at(10, 21))
    with pytest.raises(Forbidden, match="自己"):
        service.save_draft(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                           draft_in=texts, now=at(10, 21))
    db.rollback()
    # HR drafts, but only the leader signs.
    service.save_draft(db, actor=hr, year=YEAR, quarter=QUARTER, staff_id=reviewed, draft_in=texts, now=at(10, 21))
    db.commit()
    for actor, error in ((hr, Forbidden), (other_leader, Forbidden), (staff, Forbidden), (stranger, NotFound)):
        with pytest.raises(error):
            _sign(db, actor, reviewed)
        db.rollback()
    with pytest.raises(NotFound):  # nothing signed: nothing for the person to answer
        service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                       answer_in=AnswerIn(action="acknowledge"), now=at(10, 23))
    _sign(db, leader, reviewed)
    with pytest.raises(Forbidden, match="本人"):
        service.answer(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                       answer_in=AnswerIn(action="acknowledge"), now=at(10, 23))


def test_nobody_edits_after_signing(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader, hr = who("leader"), who("hr")
    _draft(db, leader, reviewed)
    _sign(db, leader, reviewed)
    for actor in (leader, hr):
        with pytest.raises(Conflict, match="不能再修改"):
            _draft(db, actor, reviewed, strengths="改过的优点")
        db.rollback()
    with pytest.raises(Conflict, match="不能再修改"):
        _sign(db, leader, reviewed)
    db.rollback()
    assert db.scalar(select(Feedback.strengths)) != "改过的优点"


def test_a_changed_draft_or_an_incomplete_one_is_not_signed(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader = who("leader")
    _draft(db, leader, reviewed, goals="", deadline=None)
    with pytest.raises(Invalid, match="改进目标、完成期限"):
        _sign(db, leader, reviewed)
    db.rollback()
    _draft(db, leader, reviewed, goals="下季度出勤率不低于 98%。")
    with pytest.raises(Conflict, match="刷新"):
        _sign(db, leader, reviewed, digest="0" * 64)
    db.rollback()
    with pytest.raises(Invalid, match="早于本季度结束日"):
        _draft(db, leader, reviewed, deadline=date(YEAR, 9, 1))


def test_a_quarter_without_results_has_no_feedback(db, who):  # type: ignore[no-untyped-def]
    leader, hr, staff_id = who("leader"), who("hr"), who("staff").staff_id
    with pytest.raises(NotFound, match="尚未开启"):
        service.open_feedback(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=staff_id)
    quarterly.open_year(db, actor=hr, year=YEAR, now=at(1, 5))
    db.commit()
    advance_to(db, hr, QuarterPhase.rating)
    with pytest.raises(Conflict, match="审核阶段"):
        service.open_feedback(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=staff_id)
    advance_to(db, hr, QuarterPhase.review)  # under review, but never computed
    with pytest.raises(NotFound, match="还没有季度结果"):
        service.save_draft(db, actor=leader, year=YEAR, quarter=QUARTER, staff_id=staff_id,
                           draft_in=FeedbackDraft(), now=at(10, 21))
    assert service.people_of(db, actor=leader, year=YEAR, quarter=QUARTER) == []
    assert _todos(db, leader) == []


def test_the_file_is_shown_to_the_person_their_leader_hr_and_the_inspector_only(db, who, reviewed):  # type: ignore[no-untyped-def]
    _draft(db, who("leader"), reviewed)
    for role in ("staff", "leader", "hr", "inspector"):
        owner, quarters = service.file_of(db, actor=who(role), staff_id=reviewed)
        assert owner.id == reviewed and len(quarters) == 1
        # The draft shows to those who draft or read every file, never to the person before it is signed.
        assert (quarters[0].feedback is not None) is (role != "staff")
        assert (quarters[0].result is not None) is (role != "staff")
    for role in ("staff2", "dept_head", "liaison", "committee", "admin"):
        with pytest.raises(NotFound):
            service.file_of(db, actor=who(role), staff_id=reviewed)


def test_the_person_sees_their_result_in_the_file_once_the_quarter_closes(db, who, reviewed):  # type: ignore[no-untyped-def]
    leader, staff = who("leader"), who("staff")
    _draft(db, leader, reviewed)
    _sign(db, leader, reviewed)
    advance_to(db, who("hr"), QuarterPhase.closed)
    _owner, quarters = service.file_of(db, actor=staff, staff_id=reviewed)
    shown = quarters[0]
    assert shown.result is not None and shown.result.staff_id == reviewed
    assert "缺少数据" in shown.notes and shown.feedback.status is FeedbackStatus.signed
    # Feedback may still be answered once the quarter is closed.
    service.answer(db, actor=staff, year=YEAR, quarter=QUARTER, staff_id=reviewed,
                   answer_in=AnswerIn(action="acknowledge"), now=at(10, 30))
    db.commit()
    assert quarterly.find_cycle(db, YEAR, QUARTER).phase is QuarterPhase.closed
