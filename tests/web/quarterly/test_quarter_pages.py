"""Quarterly cycles in the browser and over the API, per role: HR opens a year, moves a quarter on after
confirming and is told it worked; leaders and the inspector read; a staff member is refused."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from kaohe.clock import zone
from kaohe.messages import t
from kaohe.quarterly import service
from kaohe.quarterly.models import QuarterCycle, QuarterPhase

YEAR = 2026
SEP_29 = datetime(YEAR, 9, 29, 10, 0, tzinfo=zone())


@pytest.fixture
def quarters(db, who):  # type: ignore[no-untyped-def]
    """2026 opened; the third quarter collecting since before its end (due 13 October); the second closed."""
    hr = who("hr")
    service.open_year(db, actor=hr, year=YEAR, now=datetime(YEAR, 1, 5, 9, tzinfo=zone()))
    service.advance(db, actor=hr, year=YEAR, quarter=3, reason="按期开始采集", now=SEP_29)
    for day in (1, 2, 3, 6):
        service.advance(db, actor=hr, year=YEAR, quarter=2, now=datetime(YEAR, 7, day, 9, tzinfo=zone()))
    db.commit()
    return hr


def _phase(db, quarter: int) -> QuarterPhase:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(QuarterCycle.phase).where(QuarterCycle.year == YEAR, QuarterCycle.quarter == quarter))


def _forms(html: str) -> list[str]:
    """The actions of the page's post forms, the layout's sign-out left out."""
    return [a for a in re.findall(r'<form\b[^>]*method="post"[^>]*action="([^"]+)"', html) if a != "/logout"]


def test_it_lists_every_quarter_with_its_phase_dates_and_deadline(client_as, quarters):
    for role in ("hr", "leader", "dept_head", "committee", "inspector", "admin"):
        page = client_as(role).get("/quarterly")
        assert page.status_code == 200, role
        assert "2026 年度" in page.text and "2026年第三季度" in page.text
        assert "2026年10月8日（星期四）" in page.text and "2026年10月13日（星期二）" in page.text
        assert "数据采集" in page.text and "已结束" in page.text and "未开始" in page.text
    assert client_as("staff").get("/quarterly").status_code == 403
    assert client_as("staff_rep").get("/quarterly/2026/3").status_code == 403


def test_the_quarter_page_shows_the_timeline_history_and_what_is_owed(client_as, quarters, db):
    page = client_as("inspector").get("/quarterly/2026/3").text
    assert "阶段与期限" in page and "5 个工作日" in page
    # History in local time, to the minute, with who and why.
    assert "2026-09-29 10:00" in page and quarters.display_name in page and "按期开始采集" in page
    assert "未开始 → 数据采集" in page
    # Collection owes the month closes of July–September, per department, with the head who owes them.
    assert "数据采集阶段尚未完成" in page and "月结尚未办结" in page and "/records/month?department_id=" in page
    # The inspector reads, and is offered nothing to do.
    assert _forms(page) == [] and "进入评价" not in page
    assert client_as("inspector").get("/quarterly/2031/1").status_code == 404


def test_hr_moves_a_quarter_on_after_confirming_and_is_told_it_worked(client_as, db, quarters):
    hr = client_as("hr")
    page = hr.get("/quarterly/2026/3").text
    assert _forms(page) == ["/quarterly/2026/3/advance"]
    button = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>进入评价</button>', page)
    assert button and "由「数据采集」进入「评价」" in button.group(1) and "项未完成" in button.group(1)
    moved = hr.form("/quarterly/2026/3/advance", {"from_phase": "collection", "reason": "采集已齐"})
    assert moved.status_code == 303 and moved.headers["location"] == "/quarterly/2026/3?done=quarter_rating"
    landed = hr.get(moved.headers["location"]).text
    assert t("done.quarter_rating") in landed and '<div class="flash ok" role="status">' in landed
    assert _phase(db, 3) is QuarterPhase.rating
    assert "数据采集 → 评价" in landed and "采集已齐" in landed and "进入审核" in landed


def test_a_form_from_before_someone_else_moved_the_quarter_is_refused(client_as, db, quarters):
    stale = client_as("hr").form("/quarterly/2026/3/advance", {"from_phase": "pending"})
    assert stale.status_code == 409 and "已被推进到「数据采集」阶段" in stale.text
    assert _phase(db, 3) is QuarterPhase.collection


def test_closing_asks_first_and_freezes_the_quarter(client_as, db, quarters):
    hr = client_as("hr")
    for phase in ("collection", "rating", "review"):
        assert hr.form("/quarterly/2026/3/advance", {"from_phase": phase}).status_code == 303
    assert _phase(db, 3) is QuarterPhase.closed
    page = hr.get("/quarterly/2026/3?done=quarter_closed").text
    assert t("done.quarter_closed") in page and "数据已冻结" in page
    assert _forms(page) == ["/quarterly/2026/3/reopen"]


def test_reopening_needs_a_reason_on_the_page_and_leaves_history(client_as, db, quarters):
    hr = client_as("hr")
    page = hr.get("/quarterly/2026/2").text
    assert re.search(r'data-confirm="重新打开2026年第二季度？[^"]+"', page)
    refused = hr.form("/quarterly/2026/2/reopen", {"reason": ""})
    assert refused.status_code == 422 and "理由" in refused.text and "Field required" not in refused.text
    assert _phase(db, 2) is QuarterPhase.closed
    reopened = hr.form("/quarterly/2026/2/reopen", {"reason": "二季度满意度数据有误，需更正"})
    assert reopened.status_code == 303
    landed = hr.get(reopened.headers["location"]).text
    assert t("done.quarter_reopened") in landed and "二季度满意度数据有误，需更正" in landed
    assert "已结束 → 审核（重新打开）" in landed
    assert _phase(db, 2) is QuarterPhase.review


def test_only_hr_may_act(client_as, db, quarters):
    for role in ("staff", "inspector", "leader", "admin"):
        client = client_as(role)
        assert client.form("/quarterly/2026/3/advance", {"from_phase": "collection"}).status_code == 403, role
        assert client.form("/quarterly/2026/2/reopen", {"reason": "越权重开"}).status_code == 403, role
        assert client.form("/quarterly/open", {"year": "2027"}).status_code == 403, role
    assert (_phase(db, 3), _phase(db, 2)) == (QuarterPhase.collection, QuarterPhase.closed)


def test_hr_opens_a_year_and_a_bad_or_repeated_year_is_refused_in_chinese(client_as, quarters):
    hr = client_as("hr")
    page = hr.get("/quarterly").text
    assert re.search(r'<button[^>]*data-confirm="[^"]{6,}"[^>]*>开启年度</button>', page)
    opened = hr.form("/quarterly/open", {"year": "2027"})
    assert opened.status_code == 303 and opened.headers["location"] == "/quarterly?done=quarter_opened"
    landed = hr.get(opened.headers["location"]).text
    assert t("done.quarter_opened") in landed and "2027 年度" in landed
    again = hr.form("/quarterly/open", {"year": "2027"})
    assert again.status_code == 409 and "2027 年度的考核周期已经开启" in again.text
    bad = hr.form("/quarterly/open", {"year": "明年"})
    assert bad.status_code == 422 and "年度" in bad.text and "Input should" not in bad.text


# --- the API ------------------------------------------------------------------------------------------

def _api(client, method: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
    return client.request(method, url, headers={"X-CSRF-Token": client.csrf}, **kwargs)


def test_the_api_lists_shows_advances_and_reopens_with_the_same_rules(client_as, quarters):
    hr, inspector, staff = client_as("hr"), client_as("inspector"), client_as("staff")
    listed = _api(inspector, "GET", "/api/v1/quarters").json()
    third = next(q for q in listed if q["code"] == "2026Q3")
    assert (third["phase"], third["phase_label"], third["deadline"]) == ("collection", "数据采集", "2026-10-13")
    shown = _api(inspector, "GET", "/api/v1/quarters/2026/3").json()
    assert [p["phase"] for p in shown["phases"]] == ["collection"]
    assert shown["history"][0]["reason"] == "按期开始采集" and shown["owed"]["collection"]
    assert _api(staff, "GET", "/api/v1/quarters").status_code == 403
    assert _api(inspector, "POST", "/api/v1/quarters/2026/3/advance", json={}).status_code == 403
    moved = _api(hr, "POST", "/api/v1/quarters/2026/3/advance", json={"reason": "采集完成"})
    assert moved.status_code == 200 and moved.json()["phase"] == "rating"
    refused = _api(hr, "POST", "/api/v1/quarters/2026/2/reopen", json={"reason": ""})
    assert refused.status_code == 422 and "理由" in " ".join(refused.json()["errors"])
    reopened = _api(hr, "POST", "/api/v1/quarters/2026/2/reopen", json={"reason": "数据有误"})
    assert reopened.status_code == 200 and reopened.json()["phase"] == "review"
    assert reopened.json()["history"][0]["action"] == "reopen"
    missing = _api(hr, "GET", "/api/v1/quarters/2031/1")
    assert missing.status_code == 404 and "尚未开启" in missing.json()["detail"]
    created = _api(hr, "POST", "/api/v1/quarters", json={"year": 2028})
    assert created.status_code == 201 and [q["code"] for q in created.json()] == [f"2028Q{i}" for i in range(1, 5)]
    assert _api(hr, "POST", "/api/v1/quarters", json={"year": 2028}).status_code == 409
