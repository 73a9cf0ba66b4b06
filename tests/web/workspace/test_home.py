"""The home page as each role opens it: the 待办 it lists match the database, every 待办 link opens a page
that person may use, the badge and the API agree, and the charts show the person's own numbers."""

import html
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, or_, select
from tests.conftest import ROLE_ACCOUNTS
from tests.integration.records.records_support import enter, review

from kaohe.clock import now, zone
from kaohe.org.models import Staff
from kaohe.records.models import MonthClose, RecordStatus, WorkRecord


def _todos(page: str) -> dict[str, tuple[int, str]]:
    """title → (count, link) of the 待办 cards on a page."""
    out = {}
    for href, count, title in re.findall(
            r'<li class="card todo[^"]*">\s*<a href="([^"]+)">\s*<strong class="todo-count">(\d+)</strong>\s*'
            r'<span class="todo-title">([^<]+)', page):
        out[html.unescape(title)] = (int(count), html.unescape(href))
    return out


def _charts(page: str) -> list[dict]:
    return [json.loads(html.unescape(raw)) for raw in re.findall(r'data-chart="([^"]+)"', page)]


@pytest.fixture
def story(db, who):  # type: ignore[no-untyped-def]
    """Records waiting on the leader, one returned to the staff member, late ones for HR to look at."""
    moment = now() - timedelta(hours=3)
    waiting = [enter(db, who("JZ0025"), now=moment, title=f"帮办代办第{i}件") for i in range(3)]
    returned = enter(db, who("staff"), now=moment, title="需要补充的窗口受理")
    review(db, who("leader"), [returned], "return", "请补充办件数量", now=moment)
    db.commit()
    return {"waiting": waiting, "returned": returned}


def test_the_leader_sees_what_waits_for_review_and_the_count_matches_the_database(client_as, db, who, story):
    leader = who("leader")
    expected = db.scalar(select(func.count()).select_from(WorkRecord).join(Staff, WorkRecord.staff_id == Staff.id)
                         .where(Staff.supervisor_id == leader.staff_id, WorkRecord.status == RecordStatus.submitted,
                                WorkRecord.staff_id != leader.staff_id,
                                or_(WorkRecord.recorded_by.is_(None), WorkRecord.recorded_by != leader.user_id)))
    assert expected >= 3
    client = client_as("leader")
    todos = _todos(client.get("/").text)
    assert todos["待审核确认的工作记录"] == (expected, "/records/review")
    api = client.get("/api/v1/todo").json()
    assert {i["key"]: i["count"] for i in api["items"]}["records.review"] == expected
    badge = client.get("/todo/badge").text
    assert re.search(r">\s*(\d+)\s*<", badge).group(1) == str(min(api["total"], 99))
    # The leader's chart lists their people, with this month's waiting records.
    people = next(c for c in _charts(client.get("/").text) if c["yAxis"]["type"] == "category")
    waiting = next(s for s in people["series"] if s["name"] == "待审核")
    assert sum(waiting["data"]) >= 3


def test_a_staff_member_sees_their_returned_record_and_their_own_chart(client_as, db, who, story):
    client = client_as("staff")
    page = client.get("/").text
    count, link = _todos(page)["被退回、需要修改后重新提交的记录"]
    assert count == 1
    listed = client.get(link)
    assert listed.status_code == 200 and "需要补充的窗口受理" in listed.text
    mine = _charts(page)[0]
    me = who("staff").staff_id
    local = now().astimezone(zone())
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = db.scalar(select(func.count()).select_from(WorkRecord).where(
        WorkRecord.staff_id == me, WorkRecord.ended_at >= start))
    assert sum(s["data"][0] for s in mine["series"]) == this_month
    assert "审核记录" not in page  # no review button for someone who reviews nobody


def test_every_todo_link_of_every_role_opens_a_page_that_person_may_use(client_as, db, story):
    # A late record for the signals, and another department's close for the inspector's anchors.
    story["returned"].late = True
    story["returned"].entered_at = now() - timedelta(hours=1)
    other = db.scalar(select(Staff.department_id).where(Staff.employee_no == "JZ0025"))
    db.add(MonthClose(department_id=other, month="2026-01", summary="已办结", figures={}, closed_at=now()))
    db.commit()
    seen = 0
    for role in ROLE_ACCOUNTS:
        client = client_as(role)
        home = client.get("/")
        assert home.status_code == 200, role
        listed = client.get("/todo").text
        for title, (_count, link) in _todos(home.text).items():
            answer = client.get(link)
            assert answer.status_code == 200, (role, title, link, answer.status_code)
            assert title in listed, (role, title)
            seen += 1
        api = client.get("/api/v1/todo").json()
        assert api["total"] == sum(count for count, _ in _todos(home.text).values()), role
    assert seen >= 6  # review, returned, month close, signals (HR, head …), anchors


def test_the_head_is_reminded_of_the_unclosed_month_until_it_is_closed(client_as, db, who):
    head = who("dept_head")
    previous = (now().astimezone(zone()).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    client = client_as("dept_head")
    todos = _todos(client.get("/").text)
    closing = [t for t in todos if t.endswith(f"{previous} 月结尚未办结")]
    assert len(closing) == 1
    db.add(MonthClose(department_id=head.staff_department_id, month=previous, summary="已办结", figures={},
                      closed_by=head.user_id, closed_at=now()))
    db.commit()
    assert not [t for t in _todos(client.get("/").text) if t.endswith("月结尚未办结")]


def test_hr_sees_late_records_to_look_at_and_the_unit_chart(client_as, db, who, story):
    record = story["returned"]
    record.late = True
    record.entered_at = now() - timedelta(days=1)
    db.commit()
    page = client_as("hr").get("/").text
    count, link = _todos(page)["近 7 天的补录记录，待查看质量提示"]
    expected = db.scalar(select(func.count()).select_from(WorkRecord).where(
        WorkRecord.late.is_(True), WorkRecord.entered_at >= now() - timedelta(days=7)))
    assert count == expected >= 1 and link == "/records/signals"
    unit = next(c for c in _charts(page) if isinstance(c["yAxis"], list))
    assert len(unit["xAxis"]["data"]) >= 3


def test_the_roles_that_only_look_are_told_what_they_will_do_and_when(client_as, db):
    committee = client_as("committee").get("/").text
    assert "我的考核职责" in committee
    assert "每人述职不超过 15 分钟" in committee and "公示 5 个工作日" in committee
    assert "收到结果后 10 个工作日内" in committee
    rep = client_as("staff_rep").get("/").text
    assert "参加民主测评" in rep and "投票不记名" in rep and "述职不超过" not in rep
    assert "我的考核职责" not in client_as("staff").get("/").text
