"""The metric-collection pages per role: HR uploads, maps and collects; the inspector reads the
completeness view; leaders and staff see the values of the people they may see, and no one else's."""

import re

from sqlalchemy import select
from tests.integration.metrics.metrics_support import counts, xlsx
from tests.integration.records.records_support import enter
from tests.web.test_pages_read_chinese import problems, visible_text

from kaohe.auth.models import User
from kaohe.org.models import Staff

Q = "2026-Q3"
ATTENDANCE = [["江州市政务服务中心考勤汇总"], ["工号", "姓名", "出勤率"], ["JZ0028", "周晓", "98%"],
              ["JZ0062", "赵磊", 0.97], ["合计", None, None]]


def upload(client, rows, *, source: str = "attendance_system", replace: bool = False):  # type: ignore[no-untyped-def]
    data = {"source": source, "quarter": Q, **({"replace": "1"} if replace else {})}
    return client.form("/metrics/import", data, files={"file": ("考勤.xlsx", xlsx(rows), "application/octet-stream")})


def staff_id(db, role: str, accounts) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(User.staff_id).where(User.username == accounts[role]))


def test_it_lets_hr_upload_an_export_and_says_it_worked(client_as, db):
    hr = client_as("hr")
    form = hr.get(f"/metrics/import?source=attendance_system&quarter={Q}")
    assert form.status_code == 200 and "出勤率" in form.text and "data-confirm" in form.text
    sent = upload(hr, ATTENDANCE)
    assert sent.status_code == 303 and sent.headers["location"] == f"/metrics?quarter={Q}&done=metrics_imported"
    landing = hr.get(sent.headers["location"])
    assert "指标数据已导入。" in landing.text
    assert "考勤系统" in landing.text and "考勤.xlsx" in landing.text
    # A second upload says what it would replace and asks for the tick first.
    again = hr.get(f"/metrics/import?source=attendance_system&quarter={Q}")
    assert "已有 2 条数据" in again.text and 'name="replace"' in again.text and "导入将替换" in again.text
    before = counts(db)
    refused = upload(hr, ATTENDANCE)
    assert refused.status_code == 422 and "替换已有数据" in refused.text
    assert counts(db) == before
    assert upload(hr, ATTENDANCE, replace=True).status_code == 303


def test_it_shows_every_error_of_a_refused_file_with_its_row_and_saves_nothing(client_as, db):
    hr = client_as("hr")
    before = counts(db)
    sent = upload(hr, [["工号", "出勤率"], ["JZ0028", "=1+1"], ["JZ9999", 98], ["JZ0062", "很好"]])
    assert sent.status_code == 422
    text = sent.text
    assert "文件未导入，共 3 处错误" in text
    for row in ("第 2 行「出勤率」", "第 3 行「工号」", "第 4 行「出勤率」"):
        assert row in text, row
    assert counts(db) == before


def test_it_refuses_a_huge_upload_naming_the_limit(client_as, db):
    hr = client_as("hr")
    before = counts(db)
    huge = b"\xef\xbb\xbf" + ("工号,出勤率\n" + "JZ0028,98\n" * 2_100_000).encode()
    sent = hr.form("/metrics/import", {"source": "attendance_system", "quarter": Q},
                   files={"file": ("huge.csv", huge, "text/csv")})
    assert sent.status_code == 422 and "超过上限 10 MB" in sent.text
    assert counts(db) == before


def test_it_lets_hr_edit_a_sources_mapping_from_the_default_proposal(client_as, db):
    hr = client_as("hr")
    page = hr.get("/metrics/sources/service_platform/mapping")
    assert page.status_code == 200
    assert 'name="column:QIN.2.1" maxlength="60" value="有效投诉次数"' in page.text
    assert "column:QIN.1.1" not in page.text  # 出勤率 is the attendance system's, not this source's
    saved = hr.form("/metrics/sources/service_platform/mapping",
                    {"employee_column": "人员编号", "column:QIN.2.1": "投诉件数", "column:JI.2.3": "满意度得分"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=metrics_mapping_saved")
    landing = hr.get(saved.headers["location"])
    assert "列对应关系已保存" in landing.text and 'value="投诉件数"' in landing.text
    bad = hr.form("/metrics/sources/service_platform/mapping", {"employee_column": "工号", "column:QIN.2.1": "工号"})
    assert bad.status_code == 422 and "表头「工号」填写了不止一次" in bad.text
    assert hr.get("/metrics/sources/daily_records/mapping").status_code == 404
    assert hr.get("/metrics/sources/nothing_here/mapping").status_code == 404


def test_it_collects_the_record_figures_when_hr_asks(client_as, db, who):
    from datetime import datetime

    from kaohe.clock import zone

    enter(db, who("staff"), now=datetime(2026, 9, 14, 10, 0, tzinfo=zone()))
    hr = client_as("hr")
    page = hr.get(f"/metrics?quarter={Q}")
    assert "从日常记录采集" in page.text and "无法自动采集" in page.text and "理论学习完成率" in page.text
    sent = hr.form("/metrics/collect-records", {"quarter": Q})
    assert sent.status_code == 303
    landing = hr.get(sent.headers["location"])
    assert "已从日常记录采集本季度的记录类指标。" in landing.text
    assert "日常记录采集" in landing.text


def test_the_inspector_reads_the_completeness_view_and_changes_nothing(client_as):
    upload(client_as("hr"), ATTENDANCE)
    inspector = client_as("inspector")
    page = inspector.get(f"/metrics?quarter={Q}")
    assert page.status_code == 200
    assert "采集用时" in page.text and "个工作日" in page.text and "5 个工作日内完成" in page.text
    assert "/metrics/collect-records" not in page.text and "/metrics/import" not in page.text
    assert "/mapping" not in page.text
    assert inspector.get("/metrics/import").status_code == 403
    assert inspector.form("/metrics/collect-records", {"quarter": Q}).status_code == 403


def test_leaders_and_staff_see_their_own_peoples_values_only(client_as, db, accounts):
    upload(client_as("hr"), ATTENDANCE)
    staff, staff2 = staff_id(db, "staff", accounts), staff_id(db, "staff2", accounts)
    own = client_as("staff").get(f"/metrics/staff/{staff}?quarter={Q}")
    assert own.status_code == 200 and "出勤率" in own.text and "98" in own.text and "考勤.xlsx，第 3 行" in own.text
    assert client_as("staff").get(f"/metrics/staff/{staff2}?quarter={Q}").status_code == 404
    assert client_as("leader").get(f"/metrics/staff/{staff}?quarter={Q}").status_code == 200
    assert client_as("leader").get(f"/metrics/staff/{staff2}?quarter={Q}").status_code == 404
    for role in ("leader", "staff", "dept_head"):
        assert client_as(role).get(f"/metrics?quarter={Q}").status_code == 403, role


def test_a_quarter_typed_into_the_address_is_explained(client_as):
    page = client_as("hr").get("/metrics?quarter=2026Q9")
    assert page.status_code == 200 and "「2026Q9」不是有效的季度" in page.text


def test_every_metric_page_reads_as_chinese(client_as, db, accounts):
    hr = client_as("hr")
    upload(hr, ATTENDANCE)
    me = staff_id(db, "staff", accounts)
    pages = [f"/metrics?quarter={Q}", f"/metrics/import?quarter={Q}", "/metrics/import?source=attendance_system",
             "/metrics/sources/project_system/mapping", f"/metrics/staff/{me}?quarter={Q}"]
    found = []
    for url in pages:
        page = hr.get(url)
        assert page.status_code == 200, url
        found += [f"{url}: {p}" for p in problems(visible_text(page.text))]
    staff = db.scalar(select(Staff).where(Staff.id == me))
    assert staff is not None and re.search(staff.name, hr.get(pages[-1]).text)
    assert found == []
