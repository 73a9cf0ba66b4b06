"""Ratings through the HTTP client, per role (Q3, S2, P4): a rater's list and phone form (draft, then
submit), HR's raters page with the proposal, adjustments and a recipient's link with its QR code, the
recipient's form without an account (once), and who may see what: who rated whom only HR and the
inspector; a ratee only aggregates, after the rating phase."""

import re

import pytest
from sqlalchemy import select
from tests.integration.ratings.ratings_support import (
    QUARTER,
    YEAR,
    as_staff,
    assignments_of,
    full_marks,
    raters_of,
    submit,
    to_rating,
    to_review,
)

from kaohe.org.models import Staff
from kaohe.ratings.models import RaterAssignment, RatingStatus

PAGE = f"/ratings/{YEAR}/{QUARTER}"


@pytest.fixture
def rating(db, who):  # type: ignore[no-untyped-def]
    to_rating(db, who("hr"))
    return who("hr")


def _marks_form(db, rater, assignment_id: int, mark: float | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"mark.{code}": str(int(value)) for code, value in full_marks(db, rater, assignment_id, mark).items()}


def test_it_lists_the_people_i_rate_and_takes_a_draft_then_the_final_form(client_as, db, who, rating):
    staff = client_as("staff")
    mine = assignments_of(db, who("staff"))
    listed = staff.get("/ratings")
    assert listed.status_code == 200 and listed.text.count("未开始") == len(mine)
    first = mine[0]
    form = staff.get(f"/ratings/{first.id}/form")
    assert form.status_code == 200 and "保存草稿" in form.text and "提交评价" in form.text
    assert first.ratee.name in form.text
    marks = _marks_form(db, who("staff"), first.id, 80)
    code = next(iter(marks))
    draft = staff.form(f"/ratings/{first.id}/form", {code: marks[code], "comment": "服务热情", "action": "draft"})
    assert draft.status_code == 303 and draft.headers["location"] == "/ratings?saved=draft"
    assert "草稿已保存" in staff.get("/ratings?saved=draft").text
    assert 'value="80"' in staff.get(f"/ratings/{first.id}/form").text
    bad = staff.form(f"/ratings/{first.id}/form", {**marks, code: "很好", "action": "submit"})
    assert bad.status_code == 422 and "的评分「很好」不是数字" in bad.text
    sent = staff.form(f"/ratings/{first.id}/form", {**marks, "action": "submit"})
    assert sent.status_code == 303
    db.expire_all()
    assert db.get(RaterAssignment, first.id).status is RatingStatus.submitted
    after = staff.get(f"/ratings/{first.id}/form")
    assert "已经提交，不能再修改" in after.text and "提交评价" not in after.text
    again = staff.form(f"/ratings/{first.id}/form", {**marks, "action": "draft"})
    assert again.status_code == 409


def test_a_rater_reaches_only_the_people_assigned_to_them(client_as, db, who, rating):
    theirs = assignments_of(db, who("staff2"))[0]
    for role in ("staff", "hr", "inspector", "leader", "admin"):
        client = client_as(role)
        assert client.get(f"/ratings/{theirs.id}/form").status_code == 404, role
        assert client.get(f"/api/v1/ratings/{theirs.id}").status_code == 404, role
    names = {item["name"] for item in client_as("staff").get("/api/v1/ratings").json()}
    assert names == {a.ratee.name for a in assignments_of(db, who("staff"))}
    assert theirs.ratee.name not in names or theirs.ratee_id in {a.ratee_id for a in assignments_of(db, who("staff"))}


def test_only_hr_and_the_inspector_see_who_rated_whom(client_as, db, who, rating):
    row = assignments_of(db, who("staff"))[0]
    submit(db, who("staff"), row.id, 4)
    me = db.get(Staff, who("staff").staff_id)
    for role in ("hr", "inspector"):
        page = client_as(role).get(f"{PAGE}?department_id={row.ratee.department_id}")
        assert page.status_code == 200 and me.name in page.text and "已提交" in page.text, role
        api = client_as(role).get(f"/api/v1/quarters/{YEAR}/{QUARTER}/raters?staff_id={row.ratee_id}")
        assert api.status_code == 200 and any(r["rater_name"] == me.name and r["marks"] for r in api.json())
    assert "推荐评价人" in client_as("hr").get(PAGE).text
    assert "推荐评价人" not in client_as("inspector").get(PAGE).text
    for role in ("admin", "leader", "dept_head", "committee", "staff", "staff2"):
        assert client_as(role).get(PAGE).status_code == 403, role
        assert client_as(role).get(f"/api/v1/quarters/{YEAR}/{QUARTER}/raters").status_code == 403, role


def test_a_staff_member_sees_peer_ratings_only_aggregated_after_the_rating_phase(client_as, db, who, rating):
    ratee = who("staff").staff_id
    peers = raters_of(db, ratee, "peers")
    for row, mark in zip(peers, (3, 4, 5), strict=False):
        submit(db, as_staff(db, row.rater_id), row.id, mark)
    staff = client_as("staff")
    url = f"{PAGE}/staff/{ratee}"
    before = staff.get(url)
    assert before.status_code == 200 and "评价阶段结束后才能查看" in before.text and "4.0" not in before.text
    to_review(db, who("hr"))
    shown = staff.get(url)
    assert shown.status_code == 200 and "4.0（3 人）" in shown.text and "未达交叉验证人数" in shown.text
    rater_names = [db.get(Staff, row.rater_id).name for row in peers[:3]]
    assert not any(name in shown.text for name in rater_names)
    assert client_as("leader").get(url).status_code == 200
    assert client_as("staff2").get(url).status_code == 404


def test_hr_proposes_adds_and_removes_raters_through_the_page(client_as, db, who):
    to_rating(db, who("hr"), propose=False)
    hr = client_as("hr")
    assert hr.form(f"{PAGE}/propose").headers["location"].endswith("saved=proposed")
    db.expire_all()
    count = len(db.scalars(select(RaterAssignment)).all())
    assert count > 0
    me = db.get(Staff, who("staff").staff_id)
    expert = db.get(Staff, who("staff2").staff_id)
    refused = hr.form(f"{PAGE}/raters", {"staff_no": me.employee_no, "group": "experts",
                                         "rater_no": expert.employee_no, "reason": ""})
    assert refused.status_code == 422 and "请填写理由" in refused.text
    added = hr.form(f"{PAGE}/raters", {"staff_no": me.employee_no, "group": "experts", "rater_no": expert.employee_no,
                                       "reason": "信息化专家"})
    assert added.status_code == 303 and added.headers["location"].endswith("saved=added")
    row = db.scalar(select(RaterAssignment).where(RaterAssignment.group == "experts"))
    assert hr.form(f"{PAGE}/raters/{row.id}/remove", {"reason": ""}).status_code == 422
    removed = hr.form(f"{PAGE}/raters/{row.id}/remove", {"reason": "回避"})
    assert removed.status_code == 303 and removed.headers["location"].endswith("saved=removed")
    assert client_as("staff").form(f"{PAGE}/propose").status_code == 403


def test_a_recipient_rates_through_the_link_once_without_signing_in(client_as, anon, db, who, rating):
    me = db.get(Staff, who("staff").staff_id)
    made = client_as("hr").form(f"{PAGE}/invitations", {"staff_no": me.employee_no, "note": "窗口办事群众"})
    assert made.status_code == 200 and "<svg" in made.text and "只能提交一次" in made.text
    path = re.search(r'href="(/r/[A-Za-z0-9_-]+)"', made.text)[1]
    page = anon.get(path)
    assert page.status_code == 200 and me.name in page.text and "无需登录" in page.text and "保存草稿" not in page.text
    csrf = anon.cookies.get("kaohe_csrf")
    assert anon.post(path, data={"action": "submit"}, follow_redirects=False).status_code == 403  # no CSRF token
    fields = dict(re.findall(r'name="(mark\.[A-Z0-9.]+)" min="\d+" max="(\d+)"', page.text))
    assert fields
    missing = anon.post(path, data={"csrf_token": csrf, **{k: "" for k in fields}})
    assert missing.status_code == 422 and "请给「" in missing.text
    sent = anon.post(path, data={"csrf_token": csrf, **fields})
    assert sent.status_code == 200 and "感谢您的评价" in sent.text
    used = anon.get(path)
    assert used.status_code == 410 and "已经使用过" in used.text
    again = anon.post(path, data={"csrf_token": csrf, **fields})
    assert again.status_code == 410 and "已经使用过" in again.text
    unknown = anon.get("/r/nonsense-token")
    assert unknown.status_code == 410 and "链接无效" in unknown.text
