"""Every integer and text that comes in is bounded (kaohe.web.inputs): an integer beyond what the
database holds, a NUL or another control character, a bidi override, is refused with a Chinese line
naming the field, on both backends, never a 500 (issue 8)."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kaohe.org.enums import StaffStatus
from kaohe.org.models import Department, Staff

INT4 = 2**31  # one past PostgreSQL's integer
INT8 = 2**64  # past SQLite's integer too
CONTROL = "含有不允许的控制字符或不可见的方向控制符"


def _api(client):  # type: ignore[no-untyped-def]
    return {"X-CSRF-Token": client.csrf}


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "提交的内容有误，请检查后重试。"
    return response.json()["errors"]


def _staff_body(db) -> dict:  # type: ignore[no-untyped-def]
    dept = db.scalar(select(Department).where(Department.name == "信息技术科"))
    return {"employee_no": "BND1", "name": "边界测试", "department_id": dept.id, "post_category": "technical",
            "level": "junior", "title": "助理工程师", "post_name": "运维", "supervisor_no": "JZ0004"}


def _record_body() -> dict:
    return {"title": "整理台账", "started_at": "2026-03-02T09:00:00+08:00", "ended_at": "2026-03-02T11:00:00+08:00",
            "stage_result": "完成三月台账整理", "difficulties": "无", "commendation": "无"}


# --- integers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("big", [INT4, INT8])
def test_an_integer_beyond_the_column_in_a_json_body_is_refused(client_as, db, big):
    hr = client_as("hr")
    errors = _errors(hr.post("/api/v1/staff", json={**_staff_body(db), "department_id": big}, headers=_api(hr)))
    assert errors == [f"字段「部门」：应不大于 2147483647，实际为“{big}”"]
    leader = client_as("leader")
    review = leader.post("/api/v1/records/review", json={"record_ids": [big], "action": "confirm"},
                         headers=_api(leader))
    assert _errors(review) == [f"「所选记录」第 1 项：应不大于 2147483647，实际为“{big}”"]
    record = hr.post("/api/v1/records", json={**_record_body(), "task_item_id": big}, headers=_api(hr))
    assert _errors(record) == [f"字段「关联任务」：应不大于 2147483647，实际为“{big}”"]


@pytest.mark.parametrize("big", [INT4, INT8])
def test_an_integer_beyond_the_column_in_a_query_is_refused(client_as, big):
    hr = client_as("hr")
    assert _errors(hr.get("/api/v1/records", params={"staff_id": big})) == [
        f"参数「人员」：应不大于 2147483647，实际为“{big}”"]
    assert _errors(hr.get("/api/v1/tasks", params={"staff_id": big, "year": 2026})) == [
        f"参数「人员」：应不大于 2147483647，实际为“{big}”"]
    # A page's filter ignores an id no column can hold, as it ignores a blank one.
    assert hr.get("/records", params={"staff_id": str(big)}).status_code == 200
    assert hr.get("/staff", params={"department_id": str(big)}).status_code == 200
    assert hr.get("/staff", params={"department_id": "²"}).status_code == 200


@pytest.mark.parametrize("big", [INT4, INT8])
@pytest.mark.parametrize("path", ["/api/v1/staff/{n}", "/api/v1/records/{n}", "/api/v1/schemes/versions/{n}",
                                  "/api/v1/schemes/{n}/current", "/staff/{n}", "/records/{n}",
                                  "/scheme/versions/{n}"])
def test_an_integer_beyond_the_column_in_a_path_is_a_refusal_not_a_server_error(client_as, path, big):
    response = client_as("hr").get(path.format(n=big))
    assert response.status_code in (404, 422), response.text


def test_an_integer_beyond_the_column_in_a_path_of_a_change_is_refused(client_as, db):
    hr = client_as("hr")
    errors = _errors(hr.put(f"/api/v1/staff/{INT8}", json=_staff_body(db), headers=_api(hr)))
    assert errors == [f"参数「人员」：应不大于 2147483647，实际为“{INT8}”"]


# --- control characters -----------------------------------------------------------------------------

STAFF_TEXT = {"name": "姓名", "title": "职务", "post_name": "岗位名称", "supervisor_no": "分管领导工号"}


@pytest.mark.parametrize("field", sorted(STAFF_TEXT))
def test_a_nul_in_any_text_of_a_staff_body_is_refused_naming_the_field(client_as, db, field):
    hr = client_as("hr")
    body = _staff_body(db)
    body[field] = body[field][:1] + "\x00" + body[field][1:]
    errors = _errors(hr.post("/api/v1/staff", json=body, headers=_api(hr)))
    assert errors == [f"字段「{STAFF_TEXT[field]}」：{CONTROL}（U+0000）"]
    assert db.scalar(select(Staff).where(Staff.employee_no == "BND1")) is None


def test_a_nul_in_a_staff_number_is_refused_by_its_pattern(client_as, db):
    hr = client_as("hr")
    errors = _errors(hr.post("/api/v1/staff", json={**_staff_body(db), "employee_no": "BN\x00D1"}, headers=_api(hr)))
    assert len(errors) == 1 and errors[0].startswith("字段「工号」：格式不符")


RECORD_TEXT = {"title": "工作事项", "stage_result": "阶段成果", "difficulties": "困难及解决措施",
               "commendation": "表彰或批评"}


@pytest.mark.parametrize("field", sorted(RECORD_TEXT))
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x85", "\u202e"])
def test_a_control_character_in_any_text_of_a_record_is_refused_naming_the_field(client_as, field, char):
    staff = client_as("staff")
    body = _record_body()
    body[field] = body[field][:2] + char + body[field][2:]
    errors = _errors(staff.post("/api/v1/records", json=body, headers=_api(staff)))
    assert errors == [f"字段「{RECORD_TEXT[field]}」：{CONTROL}（U+{ord(char):04X}）"]


def test_line_breaks_are_text_in_a_textarea_but_not_in_a_title(client_as):
    staff = client_as("staff")
    body = {**_record_body(), "stage_result": "第一步完成\r\n第二步\t进行中"}
    assert staff.post("/api/v1/records", json=body, headers=_api(staff)).status_code == 201
    title = staff.post("/api/v1/records", json={**_record_body(), "title": "整理\n台账"}, headers=_api(staff))
    assert _errors(title) == [f"字段「工作事项」：{CONTROL}（U+000A）"]


def test_a_nul_in_a_query_string_is_refused_naming_the_parameter(client_as):
    hr = client_as("hr")
    assert _errors(hr.get("/api/v1/staff", params={"q": "张\x00"})) == [f"参数「关键词」：{CONTROL}（U+0000）"]
    assert _errors(hr.get("/api/v1/audit", params={"actor": "\x00"})) == [f"参数「操作人」：{CONTROL}（U+0000）"]
    assert hr.get("/staff", params={"q": "张\x00"}).status_code == 422


@pytest.mark.parametrize("override", ["\u202e", "\u2066", "\u200f"])
def test_a_right_to_left_override_in_a_staff_name_is_refused(client_as, db, override):
    hr = client_as("hr")
    body = {**_staff_body(db), "name": f"张{override}三丰"}
    errors = _errors(hr.post("/api/v1/staff", json=body, headers=_api(hr)))
    assert errors == [f"字段「姓名」：{CONTROL}（U+{ord(override):04X}）"]
    page = hr.form("/staff/new", {k: str(v) for k, v in body.items()})
    assert page.status_code == 422 and f"字段「姓名」：{CONTROL}" in page.text
    assert db.scalar(select(Staff).where(Staff.employee_no == "BND1")) is None


def _login(client, **fields: str):  # type: ignore[no-untyped-def]
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post("/login", data={"csrf_token": token.group(1), **fields}, follow_redirects=False)


@pytest.mark.parametrize(("field", "label"), [("username", "用户名"), ("password", "密码")])
def test_a_nul_in_the_sign_in_form_is_refused_naming_the_field(anon, accounts, field, label):
    fields = {"username": accounts["hr"], "password": "demo-Passw0rd-2026", field: "ab\x00cd"}
    response = _login(anon, **fields)
    assert response.status_code == 422
    assert f"字段「{label}」：{CONTROL}（U+0000）" in response.text
    assert "kaohe_session" not in response.cookies


def test_a_control_character_already_stored_is_not_written_into_the_roster_export(client_as, db):
    staff = db.scalar(select(Staff).where(Staff.status == StaffStatus.active).order_by(Staff.id))
    staff.name = "王\u202e五\x01"
    db.commit()
    exported = client_as("hr").get("/api/v1/staff-export", params={"fmt": "xlsx"})
    assert exported.status_code == 200
    names = [row[1] for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True)]
    assert "王五" in names
    csv = client_as("hr").get("/api/v1/staff-export", params={"fmt": "csv"}).content.decode("utf-8-sig")
    assert "王五" in csv and "\u202e" not in csv and "\x01" not in csv
