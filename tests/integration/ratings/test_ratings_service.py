"""Raters and ratings through the use cases, on SQLite and PostgreSQL (Q3, S2, P4): the system proposes
every person's leader and peers in one idempotent pass, HR adjusts with reasons, raters fill drafts and
submit final forms only while the quarter is rating, a recipient's link works once and expires, and what
the scoring reads and what a ratee sees are aggregates that hide who gave what."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.integration.ratings.ratings_support import (
    QUARTER,
    RATING,
    REVIEW,
    YEAR,
    as_staff,
    assignments_of,
    full_marks,
    raters_of,
    submit,
    to_rating,
    to_review,
)

from kaohe.audit.models import AuditEntry
from kaohe.bootstrap import todo_providers
from kaohe.errors import Conflict, Forbidden, Invalid, NotFound
from kaohe.org.models import Department, Staff
from kaohe.quarterly.models import QuarterCycle
from kaohe.ratings import filling, results, service
from kaohe.ratings.filling import Gone
from kaohe.ratings.models import Invitation, RaterAssignment, RatingHistory, RatingStatus
from kaohe.ratings.schemas import InvitationCreate, RaterAdd, RatingIn
from kaohe.ratings.settings import get_rating_settings
from kaohe.todo import gather


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


@pytest.fixture
def rating(db, who):  # type: ignore[no-untyped-def]
    to_rating(db, who("hr"))
    return who("hr")


def test_it_proposes_every_persons_leader_and_peers_once(db, who, rating):
    rows = db.scalars(select(RaterAssignment)).all()
    staff = {s.id: s for s in db.scalars(select(Staff))}
    leaders = dict(db.execute(select(Department.id, Department.leader_id)).all())
    assert rows and all(r.ratee_id != r.rater_id for r in rows)
    for row in rows:
        ratee = staff[row.ratee_id]
        if row.group == "leader":
            assert row.rater_id in (ratee.supervisor_id, leaders[ratee.department_id])
        else:
            assert row.group == "peers" and staff[row.rater_id].department_id == ratee.department_id
    peers = Counter(r.ratee_id for r in rows if r.group == "peers")
    # The scheme's peers_per_person (4) for everyone whose department is big enough.
    assert max(peers.values()) == 4
    load = Counter(r.rater_id for r in rows if r.group == "peers")
    assert max(load.values()) - min(load.values()) <= 1
    assert _count(db, RatingHistory, RatingHistory.action == "propose") == len(rows)
    again = service.propose(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING)
    db.commit()
    assert again.added == 0 and again.kept == len(rows)
    assert _count(db, RaterAssignment) == len(rows)
    assert _count(db, AuditEntry, AuditEntry.action == "ratings.propose") == 2


def test_only_hr_proposes_and_adjusts(db, who, rating):
    staff_no = db.get(Staff, who("staff").staff_id).employee_no
    for role in ("staff", "leader", "inspector", "admin"):
        with pytest.raises(Forbidden):
            service.propose(db, actor=who(role), year=YEAR, quarter=QUARTER, now=RATING)
        with pytest.raises(Forbidden):
            service.invite(db, actor=who(role), year=YEAR, quarter=QUARTER, now=RATING,
                           invitation_in=InvitationCreate(staff_no=staff_no))
    # Who rated whom: HR and the inspector, not the administrator.
    assert service.raters_of_quarter(db, actor=who("inspector"), year=YEAR, quarter=QUARTER)
    for role in ("admin", "staff", "leader", "committee"):
        with pytest.raises(Forbidden):
            service.raters_of_quarter(db, actor=who(role), year=YEAR, quarter=QUARTER)


def test_hr_adds_an_expert_and_removes_a_rater_with_a_reason(db, who, rating):
    me = db.get(Staff, who("staff").staff_id)
    expert = db.get(Staff, who("staff2").staff_id)
    with pytest.raises(Invalid, match="请填写理由"):
        service.add_rater(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING,
                          rater_in=RaterAdd(staff_no=me.employee_no, group="experts", rater_no=expert.employee_no))
    with pytest.raises(Invalid, match="「JZ9999」不存在"):
        service.add_rater(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING, rater_in=RaterAdd(
            staff_no=me.employee_no, group="experts", rater_no="JZ9999", reason="业务专家"))
    with pytest.raises(Invalid, match="不能评价本人"):
        service.add_rater(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING, rater_in=RaterAdd(
            staff_no=me.employee_no, group="experts", rater_no=me.employee_no, reason="业务专家"))
    row = service.add_rater(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING, rater_in=RaterAdd(
        staff_no=me.employee_no, group="experts", rater_no=expert.employee_no, reason="信息化专家"))
    db.commit()
    with pytest.raises(Conflict, match="已经是"):
        service.add_rater(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING, rater_in=RaterAdd(
            staff_no=me.employee_no, group="experts", rater_no=expert.employee_no, reason="重复"))
    with pytest.raises(Invalid, match="请填写理由"):
        service.remove_rater(db, actor=rating, assignment_id=row.id, reason="", now=RATING)
    service.remove_rater(db, actor=rating, assignment_id=row.id, reason="回避：同一项目组", now=RATING)
    db.commit()
    assert not db.get(RaterAssignment, row.id).active
    history = db.scalars(select(RatingHistory).where(RatingHistory.assignment_id == row.id)
                         .order_by(RatingHistory.id)).all()
    assert [(h.action, h.to_status, h.reason) for h in history] == [
        ("add", "pending", "信息化专家"), ("remove", "removed", "回避：同一项目组")]
    assert _count(db, AuditEntry, AuditEntry.action.in_(("ratings.add", "ratings.remove")),
                  AuditEntry.entity_id == str(row.id)) == 2
    # Proposing again does not bring back a rater HR removed.
    proposed = db.scalars(select(RaterAssignment).where(RaterAssignment.ratee_id == me.id,
                                                        RaterAssignment.group == "peers")).first()
    service.remove_rater(db, actor=rating, assignment_id=proposed.id, reason="调离本科室", now=RATING)
    assert service.propose(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING).added == 0
    assert not db.get(RaterAssignment, proposed.id).active


def test_a_rater_saves_a_draft_then_submits_once(db, who, rating):
    rater = who("staff")
    mine = assignments_of(db, rater)
    assert mine, "the demo staff member rates colleagues"
    first = mine[0]
    marks = full_marks(db, rater, first.id, 90)
    code = next(iter(marks))
    filling.save(db, actor=rater, assignment_id=first.id, now=RATING,
                 rating_in=RatingIn(marks={code: 80}, comment="沟通顺畅", action="draft"))
    db.commit()
    form = filling.get_form(db, actor=rater, assignment_id=first.id)
    assert form.assignment.status is RatingStatus.draft and form.marks == {code: 80.0}
    if len(marks) > 1:
        with pytest.raises(Invalid) as refused:
            filling.save(db, actor=rater, assignment_id=first.id, now=RATING,
                         rating_in=RatingIn(marks={code: 80}, action="submit"))
        assert any("请给「" in line for line in refused.value.details)
    filling.save(db, actor=rater, assignment_id=first.id, now=RATING, rating_in=RatingIn(marks=marks, action="submit"))
    db.commit()
    with pytest.raises(Conflict, match="已经提交"):
        filling.save(db, actor=rater, assignment_id=first.id, now=RATING, rating_in=RatingIn(marks=marks, action="draft"))
    history = db.scalars(select(RatingHistory).where(RatingHistory.assignment_id == first.id)
                         .order_by(RatingHistory.id)).all()
    assert [(h.action, h.from_status, h.to_status) for h in history] == [
        ("propose", "", "pending"), ("draft", "pending", "draft"), ("submit", "draft", "submitted")]
    assert history[-1].actor_name == rater.display_name
    # The audit row names the form, never whom it rates.
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "ratings.submit"))
    assert entry.entity_id == str(first.id) and first.ratee.name not in entry.summary


def test_marks_off_the_scale_are_refused_naming_the_indicator(db, who, rating):
    rater = who("staff")
    first = assignments_of(db, rater)[0]
    form = filling.get_form(db, actor=rater, assignment_id=first.id)
    leaf = form.leaves[0]
    for bad in (leaf.high + 1, leaf.low - 1, 3.5):
        with pytest.raises(Invalid) as refused:
            filling.save(db, actor=rater, assignment_id=first.id, now=RATING,
                         rating_in=RatingIn(marks={leaf.code: bad}, action="draft"))
        assert any(f"「{leaf.name}」的评分" in line for line in refused.value.details), refused.value.details
    with pytest.raises(Invalid) as refused:
        filling.save(db, actor=rater, assignment_id=first.id, now=RATING,
                     rating_in=RatingIn(marks={"ZZ.9": 1}, action="draft"))
    assert "指标「ZZ.9」不在这张评价表上。" in refused.value.details


def test_a_rater_reaches_only_their_own_forms(db, who, rating):
    others = assignments_of(db, who("staff2"))
    assert others
    for role in ("staff", "hr", "inspector", "leader"):
        with pytest.raises(NotFound):
            filling.get_form(db, actor=who(role), assignment_id=others[0].id)
    assert {item.assignment.id for item in filling.my_assignments(db, actor=who("staff"))} == {
        a.id for a in assignments_of(db, who("staff"))}


def test_marks_are_taken_only_while_the_quarter_is_rating(db, who):
    hr = who("hr")
    to_rating(db, hr)
    rater = who("staff")
    first = assignments_of(db, rater)[0]
    to_review(db, hr)
    with pytest.raises(Conflict, match="评价"):
        submit(db, rater, first.id)
    assert filling.get_form(db, actor=rater, assignment_id=first.id).closed_reason
    with pytest.raises(Conflict):  # nor are raters changed once rating is over
        service.propose(db, actor=hr, year=YEAR, quarter=QUARTER, now=REVIEW)


def test_an_invitation_works_once_and_expires(db, who, rating):
    ratee = db.get(Staff, who("staff").staff_id)
    made = service.invite(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING,
                          invitation_in=InvitationCreate(staff_no=ratee.employee_no, note="企业开办窗口"))
    db.commit()
    stored = db.get(Invitation, made.invitation.id)
    assert stored.token_hash != made.token and made.token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at == RATING + timedelta(days=get_rating_settings().invitation_days)
    form = filling.invitation_form(db, token=made.token, now=RATING)
    assert form.ratee.id == ratee.id and form.group_name == "服务对象" and form.leaves
    marks = {leaf.code: leaf.high for leaf in form.leaves}
    filling.submit_invitation(db, token=made.token, now=RATING, rating_in=RatingIn(marks=marks))
    db.commit()
    assert db.get(RaterAssignment, made.assignment.id).status is RatingStatus.submitted
    with pytest.raises(Gone, match="已经使用过"):
        filling.invitation_form(db, token=made.token, now=RATING)
    with pytest.raises(Gone, match="已经使用过"):
        filling.submit_invitation(db, token=made.token, now=RATING, rating_in=RatingIn(marks=marks))
    late = service.invite(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING,
                          invitation_in=InvitationCreate(staff_no=ratee.employee_no))
    db.commit()
    expired = RATING + timedelta(days=get_rating_settings().invitation_days, seconds=1)
    with pytest.raises(Gone, match="过期"):
        filling.invitation_form(db, token=late.token, now=expired)
    with pytest.raises(Gone, match="无效"):
        filling.invitation_form(db, token="not-a-token", now=RATING)
    # A withdrawn invitation stops working at once.
    withdrawn = service.invite(db, actor=rating, year=YEAR, quarter=QUARTER, now=RATING,
                               invitation_in=InvitationCreate(staff_no=ratee.employee_no))
    service.remove_rater(db, actor=rating, assignment_id=withdrawn.assignment.id, reason="发错对象", now=RATING)
    db.commit()
    with pytest.raises(Gone):
        filling.invitation_form(db, token=withdrawn.token, now=RATING)


def _rate_staff_by_peers(db, who, marks: list[float]) -> int:  # type: ignore[no-untyped-def]
    ratee = who("staff").staff_id
    peers = raters_of(db, ratee, "peers")
    assert len(peers) >= len(marks)
    for row, mark in zip(peers, marks, strict=False):
        submit(db, as_staff(db, row.rater_id), row.id, mark)
    return ratee


def test_the_scoring_reads_means_and_counts_per_person_indicator_and_group(db, who, rating):
    ratee = _rate_staff_by_peers(db, who, [3, 4, 5])
    leader = raters_of(db, ratee, "leader")[0]
    submit(db, as_staff(db, leader.rater_id), leader.id, 2)
    got = results.ratings_for_quarter(db, YEAR, QUARTER)
    mine = {(code, group): (mean, count) for staff_id, code, group, mean, count in got if staff_id == ratee}
    peer_codes = {code for code, group in mine if group == "peers"}
    assert peer_codes and all(mine[(code, "peers")] == (4.0, 3) for code in peer_codes)
    assert all(mine[(code, "leader")] == (2.0, 1) for code, group in mine if group == "leader")
    assert all(isinstance(row[3], float) and isinstance(row[4], int) for row in got)
    # Drafts and removed raters do not count.
    extra = raters_of(db, ratee, "peers")[3]
    filling.save(db, actor=as_staff(db, extra.rater_id), assignment_id=extra.id, now=RATING,
                 rating_in=RatingIn(marks=full_marks(db, as_staff(db, extra.rater_id), extra.id, 1)))
    db.commit()
    assert results.ratings_for_quarter(db, YEAR, QUARTER) == got


def test_a_ratee_sees_only_aggregates_after_the_rating_phase(db, who, rating):
    ratee = _rate_staff_by_peers(db, who, [3, 4, 5])
    leader_row = raters_of(db, ratee, "leader")[0]
    submit(db, as_staff(db, leader_row.rater_id), leader_row.id, 5)
    hidden = results.summary_for(db, actor=who("staff"), year=YEAR, quarter=QUARTER, staff_id=ratee)
    assert not hidden.visible and hidden.lines == []
    assert results.summary_for(db, actor=who("hr"), year=YEAR, quarter=QUARTER, staff_id=ratee).visible
    to_review(db, rating)
    shown = results.summary_for(db, actor=who("staff"), year=YEAR, quarter=QUARTER, staff_id=ratee)
    assert shown.visible and shown.lines
    peers = [line.cells["peers"] for line in shown.lines if "peers" in line.cells]
    assert peers and all(cell.enough and cell.mean == 4.0 and cell.count == 3 for cell in peers)
    # One leader's mark is below the minimum of three: flagged, and its value is not shown.
    leaders = [line.cells["leader"] for line in shown.lines if "leader" in line.cells]
    assert leaders and all(not cell.enough and cell.mean is None and cell.count == 1 for cell in leaders)
    # The person's leader sees it too; a colleague elsewhere finds nothing.
    assert results.summary_for(db, actor=who("leader"), year=YEAR, quarter=QUARTER, staff_id=ratee).visible
    with pytest.raises(NotFound):
        results.summary_for(db, actor=who("staff2"), year=YEAR, quarter=QUARTER, staff_id=ratee)


def test_raters_owe_a_todo_and_the_quarter_lists_who_still_owes(db, who, rating):
    rater = who("staff")
    mine = assignments_of(db, rater)
    items = [i for i in gather(db, rater, RATING, todo_providers()) if i.key == "ratings.to_give"]
    assert [(i.title, i.count, i.href) for i in items] == [("人待评", len(mine), "/ratings")]
    submit(db, rater, mine[0].id)
    items = [i for i in gather(db, rater, RATING, todo_providers()) if i.key == "ratings.to_give"]
    assert sum(i.count for i in items) == len(mine) - 1
    cycle = db.scalar(select(QuarterCycle).where(QuarterCycle.year == YEAR, QuarterCycle.quarter == QUARTER))
    owed = list(results.owed_ratings(db, cycle, rating))
    me = db.get(Staff, rater.staff_id)
    assert any(o.who == me.name and o.count == len(mine) - 1 for o in owed)
