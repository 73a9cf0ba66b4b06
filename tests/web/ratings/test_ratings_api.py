"""Ratings over the JSON API, per role: a rater's own assignments and forms (draft, submit, final), HR's
proposal, adjustment and invitations for a quarter; refusals in Chinese naming the field or indicator."""

import pytest
from tests.integration.ratings.ratings_support import (
    QUARTER,
    YEAR,
    assignments_of,
    full_marks,
    to_rating,
    to_review,
)

from kaohe.org.models import Staff

RATERS = f"/api/v1/quarters/{YEAR}/{QUARTER}/raters"


@pytest.fixture
def rating(db, who):  # type: ignore[no-untyped-def]
    to_rating(db, who("hr"), propose=False)
    return who("hr")


def _json(client, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.post(url, json=body, headers={"X-CSRF-Token": client.csrf})


def test_hr_proposes_adjusts_and_invites_through_the_api(client_as, db, who, rating):
    hr = client_as("hr")
    first = _json(hr, f"{RATERS}/propose", {})
    assert first.status_code == 200 and first.json()["count"] > 0
    assert _json(hr, f"{RATERS}/propose", {}).json()["count"] == 0
    me, expert = db.get(Staff, who("staff").staff_id), db.get(Staff, who("staff2").staff_id)
    body = {"staff_no": me.employee_no, "group": "experts", "rater_no": expert.employee_no, "reason": "信息化专家"}
    added = _json(hr, RATERS, body)
    assert added.status_code == 201 and added.json()["rater_name"] == expert.name
    unknown = _json(hr, RATERS, {**body, "group": "friends"})
    assert unknown.status_code == 422 and "评价主体「friends」不能由此添加" in unknown.json()["detail"]
    blank = _json(hr, RATERS, {**body, "rater_no": ""})
    assert blank.status_code == 422 and "评价人工号" in str(blank.json())
    removed = _json(hr, f"{RATERS}/{added.json()['id']}/remove", {"reason": "回避"})
    assert removed.status_code == 200
    listed = hr.get(f"{RATERS}?staff_id={me.id}").json()
    assert added.json()["id"] not in {row["id"] for row in listed} and {row["group"] for row in listed} >= {"peers"}
    invited = _json(hr, f"/api/v1/quarters/{YEAR}/{QUARTER}/invitations", {"staff_no": me.employee_no})
    assert invited.status_code == 201 and invited.json()["href"].startswith("/r/")
    staff = client_as("staff")
    for url, payload in ((f"{RATERS}/propose", {}), (RATERS, body)):
        assert _json(staff, url, payload).status_code == 403


def test_a_rater_drafts_and_submits_over_the_api(client_as, db, who, rating):
    _json(client_as("hr"), f"{RATERS}/propose", {})
    staff = client_as("staff")
    mine = staff.get("/api/v1/ratings").json()
    assert mine and {row["status"] for row in mine} == {"pending"} and all(row["count"] > 0 for row in mine)
    first = mine[0]["id"]
    form = staff.get(f"/api/v1/ratings/{first}").json()
    assert form["indicators"] and form["marks"] == {}
    leaf = form["indicators"][0]
    off = _json(staff, f"/api/v1/ratings/{first}", {"marks": {leaf["code"]: leaf["high"] + 1}, "action": "draft"})
    assert off.status_code == 422 and f"「{leaf['name']}」的评分" in str(off.json()["errors"])
    draft = _json(staff, f"/api/v1/ratings/{first}", {"marks": {leaf["code"]: leaf["low"]}, "action": "draft"})
    assert draft.status_code == 200 and draft.json()["status"] == "draft" and draft.json()["progress"] == 1
    marks = full_marks(db, who("staff"), first)
    sent = _json(staff, f"/api/v1/ratings/{first}", {"marks": marks, "action": "submit", "comment": "好"})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert _json(staff, f"/api/v1/ratings/{first}", {"marks": marks, "action": "draft"}).status_code == 409
    to_review(db, who("hr"))
    late = assignments_of(db, who("staff"))[1].id
    refused = _json(staff, f"/api/v1/ratings/{late}", {"marks": marks, "action": "draft"})
    assert refused.status_code == 409 and "「审核」" in refused.json()["detail"]


def test_the_ratings_page_links_my_results_and_hr_to_each_quarters_raters(client_as, db, who, rating):
    assert f'href="/ratings/{YEAR}/{QUARTER}"' in client_as("hr").get("/ratings").text
    assert f'href="/ratings/{YEAR}/{QUARTER}"' not in client_as("staff").get("/ratings").text
    to_review(db, who("hr"))
    me = who("staff").staff_id
    assert f'href="/ratings/{YEAR}/{QUARTER}/staff/{me}"' in client_as("staff").get("/ratings").text
