"""Every spreadsheet import through a real upload: rows past a sheet's declared <dimension> are read
and saved, and a hostile file is refused with the limit named, on the page and in the API."""

from datetime import date

from sqlalchemy import func, select
from tests.unit.sheets import hostile

from kaohe.calendar.models import CalendarDay
from kaohe.clock import now, zone
from kaohe.org.models import Staff
from kaohe.records.models import TaskItem, WorkRecord

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name: str, data: bytes) -> dict:
    return {"files": {"file": (name, data, XLSX)}}


def test_task_progress_reads_rows_past_the_declared_range(client_as, db):
    year = now().astimezone(zone()).year
    hr = client_as("hr")
    for n in range(1, 5):
        added = hr.form("/tasks", {"staff_no": "JZ0028", "year": str(year), "code": f"DIM-T{n}",
                                   "title": f"声明范围测试任务{n}", "weight": "10"})
        assert added.status_code == 303, added.text
    # The sheet says A1:D2 (a header and one row); it holds four rows.
    data = hostile.plain(("年度", "任务编号", "进度", "说明"),
                         [(year, f"DIM-T{n}", 10 * n, "") for n in range(1, 5)], dimension="A1:D2")
    response = hr.form("/tasks/progress", **upload("进度.xlsx", data))
    assert response.status_code == 200, response.text
    assert "已更新 4 项任务的进度。" in response.text
    db.expire_all()
    progress = dict(db.execute(select(TaskItem.code, TaskItem.progress).where(TaskItem.code.like("DIM-T%"))).all())
    assert progress == {"DIM-T1": 10, "DIM-T2": 20, "DIM-T3": 30, "DIM-T4": 40}


def test_records_import_reads_rows_past_the_declared_range(client_as, db):
    hr = client_as("hr")
    before = db.scalar(select(func.count()).select_from(WorkRecord))
    rows = [("JZ0028", f"窗口受理第{n}批", f"2026-03-0{n} 09:00", f"2026-03-0{n} 11:30", "受理企业开办申请十二件，全部当日办结")
            for n in range(2, 6)]
    data = hostile.plain(("工号", "工作事项", "开始时间", "结束时间", "阶段成果"), rows, dimension="A1:E2")
    response = hr.form("/records/import", **upload("历史记录.xlsx", data))
    assert response.status_code == 200, response.text
    assert "已导入 4 条历史记录。" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(WorkRecord)) == before + 4


ROSTER_HEADER = ("工号", "姓名", "性别", "部门", "岗位类别", "职级", "职务", "岗位名称", "分管领导工号", "入职日期", "手机号", "状态")


def test_roster_import_reads_rows_past_the_declared_range(client_as, db):
    hr = client_as("hr")
    rows = [(f"DIM{n}", f"范围测试{n}", "男", "政务服务一科", "管理岗", "初级", "科员", "窗口服务岗", "", "2020-01-01", "", "在职")
            for n in range(1, 5)]
    data = hostile.plain(ROSTER_HEADER, rows, dimension="A1:L2")
    response = hr.form("/roster/import", **upload("名册.xlsx", data))
    assert response.status_code == 200, response.text
    assert "导入成功：新增 4 人，更新 0 人。" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Staff).where(Staff.employee_no.like("DIM%"))) == 4


def test_calendar_import_reads_rows_past_the_declared_range(client_as, db):
    hr = client_as("hr")
    rows = [("2027-10-01", "放假", "国庆节"), ("2027-10-02", "放假", "国庆节"),
            ("2027-10-09", "调休上班", "国庆节"), ("2027-11-03", "单位停工", "闭馆维护")]
    data = hostile.plain(("日期", "类型", "名称"), rows, dimension="A1:C2")
    response = hr.post("/calendar/import", data={"csrf_token": hr.csrf, "year": "2027"},
                       **upload("2027.xlsx", data))
    assert response.status_code == 200, response.text
    assert "已导入 2027 年日历：法定安排 3 天，单位停工 1 天" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(CalendarDay)
                     .where(CalendarDay.day.between(date(2027, 10, 1), date(2027, 11, 30)))) == 4


# --- hostile files: refused with the limit named --------------------------------------------------


def test_a_leader_uploading_a_shared_strings_bomb_is_told_why(client_as):
    leader = client_as("leader")
    response = leader.form("/tasks/progress", **upload("进度.xlsx", hostile.shared_strings_bomb(5_000_000)))
    assert response.status_code == 422
    assert "疑似恶意构造的压缩包" in response.text and "超过 200 倍的上限" in response.text


def test_the_roster_page_names_the_unpacked_limit(client_as, db):
    hr = client_as("hr")
    before = db.scalar(select(func.count()).select_from(Staff))
    response = hr.form("/roster/import", **upload("名册.xlsx", hostile.zip_bomb(200)))
    assert response.status_code == 422
    assert "文件解压后超过 100 MB 的上限" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Staff)) == before


def test_the_roster_api_answers_422_naming_the_dimension(client_as):
    hr = client_as("hr")
    response = hr.post("/api/v1/staff/import", headers={"X-CSRF-Token": hr.csrf},
                       **upload("名册.xlsx", hostile.huge_dimension()))
    assert response.status_code == 422
    body = response.json()
    assert any("工作表声明的范围 A1:XFD1048576 超过 1024 列" in line for line in [body["detail"], *body["errors"]])


def test_the_calendar_api_answers_422_for_a_zip_bomb(client_as):
    hr = client_as("hr")
    response = hr.post("/api/v1/calendar/import", params={"year": 2027}, headers={"X-CSRF-Token": hr.csrf},
                       **upload("2027.xlsx", hostile.zip_bomb(50)))
    assert response.status_code == 422
    assert "疑似恶意构造的压缩包" in response.text


def test_the_records_import_stops_at_the_operator_s_deadline(client_as, app):
    app.state.settings.upload_parse_seconds = 0  # every read is past its deadline at once
    hr = client_as("hr")
    data = hostile.plain(("工号", "工作事项", "开始时间", "结束时间", "阶段成果"), [], dimension=None)
    response = hr.form("/records/import", **upload("历史记录.xlsx", data))
    assert response.status_code == 422
    assert "解析超过 0 秒，已停止" in response.text
