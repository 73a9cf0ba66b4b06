"""Quarterly warnings in the browser and over the API, per role: HR and the inspector see everyone's, the
leader their people's, a person their own; HR and the leader mark one handled after confirming, with a
note, and are told so; a person and the inspector read only; filters narrow the list; 待办 links to it."""

import re
from datetime import datetime

import pytest

from kaohe.clock import zone
from kaohe.metrics import service as metrics_service
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.models import Staff
from kaohe.quarterly import results, service
from kaohe.quarterly.models import QuarterPhase
from kaohe.warnings.models import QuarterWarning

YEAR, QUARTER = 2026, 3


def at(month: int, day: int) -> datetime:
    return datetime(YEAR, month, day, 10, tzinfo=zone())


@pytest.fixture
def raised(db, who):  # type: ignore[no-untyped-def]
    """The third quarter computed with staff's and staff2's task completion at 60 (below the scheme's 80):
    one 任务进度滞后 warning each. Returns {role: warning id}."""
    hr = who("hr")
    service.open_year(db, actor=hr, year=YEAR, now=at(1, 5))
    while service.find_cycle(db, YEAR, QUARTER).phase is not QuarterPhase.rating:
        service.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=at(10, 12), reason="测试推进")
    numbers = {role: db.get(Staff, who(role).staff_id).employee_no for role in ("staff", "staff2")}
    metrics_service.import_api(db, actor=hr, idempotency_key=None, now=at(10, 13), batch_in=MetricBatchIn(
        source="project_system", year=YEAR, quarter=QUARTER, replace=True,
        items=[{"employee_no": no, "indicator_code": "JI.M1.1", "value": "60"} for no in numbers.values()]))
    results.compute_quarter(db, actor=hr, year=YEAR, quarter=QUARTER, now=at(10, 14))
    db.commit()
    ids = {w.staff_id: w.id for w in db.query(QuarterWarning)}
    return {role: ids[who(role).staff_id] for role in numbers}


def test_hr_sees_every_warning_and_handles_one_after_confirming(client_as, raised):  # type: ignore[no-untyped-def]
    hr = client_as("hr")
    listed = hr.get("/warnings")
    assert listed.status_code == 200 and "季度预警" in listed.text and "共 2 条，其中待处理 2 条" in listed.text
    assert f'href="/warnings/{raised["staff"]}"' in listed.text and f'href="/warnings/{raised["staff2"]}"' in listed.text
    assert "任务进度滞后" in listed.text and "年度重点工作完成率为 60，低于 80。" in listed.text
    page = hr.get(f"/warnings/{raised['staff']}")
    assert page.status_code == 200 and "分析进度滞后原因，及时采取措施加以改进" in page.text  # the scheme's action
    assert "2026年第三季度" in page.text and "待处理" in page.text and "发出预警" in page.text
    button = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>标记已处理</button>', page.text)
    assert button and "标记为已处理" in button[1]
    refused = hr.form(f"/warnings/{raised['staff']}/handle", {"note": ""})
    assert refused.status_code == 422 and "请填写处理情况" in refused.text
    answer = hr.form(f"/warnings/{raised['staff']}/handle", {"note": "已与本人谈话，制定改进计划"})
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=warning_handled")
    shown = hr.get(answer.headers["location"])
    assert "预警已标记为已处理" in shown.text and "已与本人谈话，制定改进计划" in shown.text
    assert "标记已处理</button>" not in shown.text  # nothing left to handle
    assert "待处理 → 已处理" in shown.text
    assert hr.form(f"/warnings/{raised['staff']}/handle", {"note": "再来一次"}).status_code == 422


def test_the_leader_sees_and_handles_only_their_people(client_as, raised):  # type: ignore[no-untyped-def]
    leader = client_as("leader")
    listed = leader.get("/warnings")
    assert f"/warnings/{raised['staff']}" in listed.text and f"/warnings/{raised['staff2']}" not in listed.text
    assert leader.get(f"/warnings/{raised['staff2']}").status_code == 404
    assert leader.form(f"/warnings/{raised['staff2']}/handle", {"note": "越权处理"}).status_code == 404
    assert "标记已处理</button>" in leader.get(f"/warnings/{raised['staff']}").text
    assert leader.form(f"/warnings/{raised['staff']}/handle", {"note": "已谈话"}).status_code == 303


@pytest.mark.parametrize("role", ["staff", "inspector"])
def test_the_person_and_the_inspector_only_read(client_as, raised, role):  # type: ignore[no-untyped-def]
    client = client_as(role)
    page = client.get(f"/warnings/{raised['staff']}")
    assert page.status_code == 200 and "任务进度滞后" in page.text and "标记已处理</button>" not in page.text
    assert client.form(f"/warnings/{raised['staff']}/handle", {"note": "自行处理"}).status_code == 403
    listed = client.get("/warnings").text
    assert (f"/warnings/{raised['staff2']}" in listed) is (role == "inspector")


def test_others_see_nothing_of_it(client_as, raised):  # type: ignore[no-untyped-def]
    staff2 = client_as("staff2")
    assert staff2.get(f"/warnings/{raised['staff']}").status_code == 404
    assert f"/warnings/{raised['staff']}" not in staff2.get("/warnings").text
    admin = client_as("admin")
    assert "没有符合条件的预警" in admin.get("/warnings").text


def test_filters_narrow_the_list_and_bad_ones_are_refused_in_chinese(client_as, raised):  # type: ignore[no-untyped-def]
    hr = client_as("hr")
    assert "共 2 条" in hr.get("/warnings?quarter=2026-Q3&kind=task_progress&status=pending").text
    assert "没有符合条件的预警" in hr.get("/warnings?kind=score_drop").text
    assert "没有符合条件的预警" in hr.get("/warnings?quarter=2026-Q2").text
    assert "没有符合条件的预警" in hr.get("/warnings?status=handled").text
    bad = hr.get("/warnings?kind=nonsense")
    assert bad.status_code == 422 and "预警类型「nonsense」无法识别" in bad.text
    assert "季度「春季」无法识别" in hr.get("/warnings?quarter=春季").text


def test_the_todo_links_hr_and_the_leader_to_the_pending_warnings(client_as, raised):  # type: ignore[no-untyped-def]
    todo = client_as("hr").get("/api/v1/todo").json()
    items = [i for i in (todo["items"] if isinstance(todo, dict) else todo) if i["key"] == "warnings.pending"]
    assert [(i["title"], i["href"]) for i in items] == [("2 条季度预警待处理", "/warnings?status=pending")]
    leader = client_as("leader").get("/api/v1/todo").json()
    assert [i["count"] for i in (leader["items"] if isinstance(leader, dict) else leader)
            if i["key"] == "warnings.pending"] == [1]


def test_the_api_lists_shows_and_handles(client_as, raised):  # type: ignore[no-untyped-def]
    hr = client_as("hr")
    listed = hr.get("/api/v1/warnings?year=2026&quarter=3").json()
    assert {w["id"] for w in listed} == set(raised.values()) and listed[0]["kind_label"] == "任务进度滞后"
    shown = hr.get(f"/api/v1/warnings/{raised['staff2']}").json()
    assert shown["history"][0]["action"] == "raise" and shown["figures"]["minimum"] == 80.0
    staff = client_as("staff")
    assert staff.post(f"/api/v1/warnings/{raised['staff']}/handle", json={"note": "自己处理"},
                      headers={"X-CSRF-Token": staff.csrf}).status_code == 403
    done = hr.post(f"/api/v1/warnings/{raised['staff2']}/handle", json={"note": "已安排专项培训"},
                   headers={"X-CSRF-Token": hr.csrf})
    assert done.status_code == 200 and done.json()["status_label"] == "已处理"
    assert [h["to_status"] for h in done.json()["history"]] == ["pending", "handled"]
    assert hr.get("/api/v1/warnings?kind=bad").status_code == 422
