"""Refused input is explained in Chinese, naming the field in Chinese: the API's 422 answers and the pages."""

import re

ENGLISH = re.compile(r"Field required|Input should|valid integer|String should|JSON decode|value_error")


def _api(client):  # type: ignore[no-untyped-def]
    return {"X-CSRF-Token": client.csrf}


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"] == "提交的内容有误，请检查后重试。"
    assert not ENGLISH.search(response.text), response.text
    return body["errors"]


def test_a_missing_staff_name_is_named_and_explained_in_chinese(client_as):
    hr = client_as("hr")
    body = {"employee_no": "API9", "department_id": 1, "post_category": "technical", "level": "junior"}
    errors = _errors(hr.post("/api/v1/staff", json=body, headers=_api(hr)))
    assert errors == ["字段「姓名」：缺少必填项"]
    assert "「姓名」" in errors[0] and "必填" in errors[0]


def test_wrong_values_say_what_is_allowed_with_the_labels(client_as):
    hr = client_as("hr")
    body = {"employee_no": "API 9", "name": "接口新人", "department_id": "一科", "post_category": "technical",
            "level": "top", "phone": "12345"}
    errors = _errors(hr.post("/api/v1/staff", json=body, headers=_api(hr)))
    assert errors == [
        "字段「部门」：应为整数，实际为“一科”",
        "字段「职级」：取值“top”无效，可选：junior（初级）、intermediate（中级）、senior（高级）",
        "字段「手机号」：不是有效的 11 位手机号码：“12345”",
        "字段「工号」：格式不符：“API 9”（只允许字母、数字和连字符）",
    ]


def test_a_department_is_named_in_its_own_terms(client_as):
    admin = client_as("admin")
    errors = _errors(admin.post("/api/v1/departments", json={"code": "", "kind": "school"}, headers=_api(admin)))
    assert errors == [
        "字段「部门编码」：不能为空",
        "字段「部门名称」：缺少必填项",
        "字段「部门性质」：取值“school”无效，可选：general（综合管理）、frontline（业务一线）、tech_support（技术支撑）、"
        "logistics（后勤保障）",
    ]


def test_query_parameters_are_named_as_parameters(client_as):
    errors = _errors(client_as("hr").get("/api/v1/staff", params={"page": 0, "level": "top"}))
    assert "参数「页码」：应不小于 1，实际为“0”" in errors
    assert any(line.startswith("参数「职级」：取值“top”无效") for line in errors)


def test_a_broken_json_body_is_the_request_as_a_whole(client_as):
    hr = client_as("hr")
    response = hr.post("/api/v1/staff", content=b'{"name": ', headers={**_api(hr), "Content-Type": "application/json"})
    assert _errors(response) == ["请求内容：不是有效的 JSON"]


def test_places_inside_the_body_are_spelt_out(client_as):
    hr = client_as("hr")
    progress = hr.post("/api/v1/tasks/progress", json=[{"year": 2026, "code": "T1", "progress": 10},
                                                       {"year": 2026, "progress": 101}], headers=_api(hr))
    assert _errors(progress) == ["第 2 项的「任务编号」：缺少必填项", "第 2 项的「进度」：应不大于 100，实际为“101”"]
    draft = hr.patch("/api/v1/schemes/versions/1", json={"edits": [{"value": "1"}]}, headers=_api(hr))
    assert _errors(draft) == ["「逐项修改」第 1 项的「修改项路径」：缺少必填项"]


def test_a_form_error_page_names_the_fields_in_chinese(client_as):
    hr = client_as("hr")
    response = hr.form("/staff/new", {"employee_no": "N0009", "department_id": "1", "post_category": "management",
                                      "level": "senior", "hired_on": "2026-02-30"})
    assert response.status_code == 422
    assert "字段「姓名」：缺少必填项" in response.text
    assert "字段「入职日期」：不是有效日期（应为 YYYY-MM-DD），实际为“2026-02-30”" in response.text
    assert not ENGLISH.search(response.text)


def test_a_page_form_parameter_is_named_in_chinese(anon):
    page = anon.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    data = {"csrf_token": token.group(1)} if token else {}
    response = anon.post("/login", data={**data, "password": "x"}, follow_redirects=False)
    assert response.status_code == 422
    assert "字段「用户名」：缺少必填项" in response.text and not ENGLISH.search(response.text)
