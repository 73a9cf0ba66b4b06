"""Quarterly results in the browser and over the API, per role: HR computes after confirming and is told
what changed; the list ranks people with their 缺评说明; a person's page explains every point; staff see
their own result only once the quarter is closed; the export opens in Excel with the issue's columns."""

import re
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from kaohe.clock import zone
from kaohe.quarterly import service
from kaohe.quarterly.models import QuarterPhase

YEAR, QUARTER = 2026, 3
BASE = f"/quarterly/{YEAR}/{QUARTER}"


def _advance_to(db, hr, phase: QuarterPhase) -> None:  # type: ignore[no-untyped-def]
    while service.find_cycle(db, YEAR, QUARTER).phase is not phase:
        service.advance(db, actor=hr, year=YEAR, quarter=QUARTER, reason="测试推进",
                        now=datetime(YEAR, 10, 12, 10, tzinfo=zone()))
    db.commit()


@pytest.fixture
def rating(db, who):  # type: ignore[no-untyped-def]
    hr = who("hr")
    service.open_year(db, actor=hr, year=YEAR, now=datetime(YEAR, 1, 5, 9, tzinfo=zone()))
    _advance_to(db, hr, QuarterPhase.rating)
    return hr


def test_hr_computes_after_confirming_and_sees_the_ranked_list(client_as, rating):  # type: ignore[no-untyped-def]
    hr = client_as("hr")
    page = hr.get(f"{BASE}/results")
    assert page.status_code == 200 and "尚未计算结果" in page.text
    button = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>计算季度结果</button>', page.text)
    assert button and "替换已有结果" in button[1]
    answer = hr.form(f"{BASE}/compute")
    assert answer.status_code == 303 and answer.headers["location"].endswith("done=quarter_computed")
    listed = hr.get(answer.headers["location"])
    assert "季度结果已计算" in listed.text
    assert "<th>季度得分</th>" in listed.text and "缺少数据" in listed.text and "本季度没有日常记录" in listed.text
    assert listed.text.count("/results/") >= 20
    person = re.search(rf'href="({BASE}/results/\d+)"', listed.text)[1]
    detail = hr.get(person)
    assert detail.status_code == 200 and "逐项得分" in detail.text and "出勤率" in detail.text
    assert "缺少数据，不计入" in detail.text and "季度得分 = 记录得分" in detail.text


def test_staff_see_nothing_until_the_quarter_closes_then_only_their_own(client_as, db, rating, who):  # type: ignore[no-untyped-def]
    client_as("hr").form(f"{BASE}/compute")
    me, leader = who("staff").staff_id, who("leader").staff_id
    staff = client_as("staff")
    page = staff.get(f"{BASE}/results")
    assert page.status_code == 200 and "尚未公布" in page.text and f"/results/{me}" not in page.text
    assert staff.get(f"{BASE}/results/{me}").status_code == 404
    assert staff.form(f"{BASE}/compute").status_code == 403
    _advance_to(db, rating, QuarterPhase.closed)
    page = staff.get(f"{BASE}/results")
    assert f"/results/{me}" in page.text and page.text.count(f"{BASE}/results/") == 1
    assert staff.get(f"{BASE}/results/{me}").status_code == 200
    assert staff.get(f"{BASE}/results/{leader}").status_code == 404
    assert client_as("hr").form(f"{BASE}/compute").status_code == 409  # frozen


def test_the_export_and_the_api_carry_the_same_results(client_as, rating):  # type: ignore[no-untyped-def]
    hr = client_as("hr")
    computed = hr.post(f"/api/v1/quarters/{YEAR}/{QUARTER}/compute", headers={"X-CSRF-Token": hr.csrf})
    assert computed.status_code == 200, computed.text
    people = computed.json()["people"]
    listed = hr.get(f"/api/v1/quarters/{YEAR}/{QUARTER}/results").json()
    assert len(listed) == people and {"breakdown", "inputs_hash", "notes"} <= set(listed[0])
    download = hr.get(f"{BASE}/results.xlsx")
    assert download.status_code == 200 and "filename*=UTF-8''" in download.headers["content-disposition"]
    rows = list(load_workbook(BytesIO(download.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "部门", "记录得分", "指标得分", "季度得分", "缺评说明")
    assert {r[0] for r in rows[1:]} == {p["employee_no"] for p in listed}
    assert client_as("inspector").post(f"/api/v1/quarters/{YEAR}/{QUARTER}/compute",
                                       headers={"X-CSRF-Token": client_as("inspector").csrf}).status_code == 403


def test_hr_imports_past_results_in_the_browser(client_as, db, who):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    from kaohe.org.models import Staff

    number = db.get(Staff, who("staff").staff_id).employee_no
    book = Workbook()
    book.active.append(["工号", "年度", "季度", "记录得分", "指标得分", "季度得分"])
    book.active.append([number, 2024, 4, 80, 85, 83.5])
    out = BytesIO()
    book.save(out)
    hr = client_as("hr")
    page = hr.get("/quarterly/history")
    assert page.status_code == 200 and "全部成功或全部不导入" in page.text and "data-confirm" in page.text
    answer = hr.post("/quarterly/history", data={"csrf_token": hr.csrf},
                     files={"file": ("历史结果.xlsx", out.getvalue(), "application/octet-stream")})
    assert answer.status_code == 200 and "已导入历史季度结果 1 条" in answer.text, answer.text[-400:]
    listed = hr.get("/quarterly/2024/4/results")
    assert listed.status_code == 200 and "历史结果（历史结果.xlsx 第 2 行）" in listed.text
    assert client_as("staff").get("/quarterly/history").status_code == 403
    again = hr.post("/quarterly/history", data={"csrf_token": hr.csrf},
                    files={"file": ("历史结果.xlsx", out.getvalue(), "application/octet-stream")})
    assert again.status_code == 422 and "已导入过历史结果" in again.text
