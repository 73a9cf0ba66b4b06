"""The REST API: OpenAPI, tokens, the same permissions and scopes as the pages."""

from sqlalchemy import select

from kaohe.auth.models import ApiToken, User
from kaohe.org.models import Department


def test_it_publishes_an_openapi_description(anon):
    spec = anon.get("/api/v1/openapi.json").json()
    assert "/api/v1/staff" in spec["paths"] and "/api/v1/departments" in spec["paths"]


def test_it_answers_anonymous_api_calls_with_401_in_chinese(anon):
    response = anon.get("/api/v1/staff")
    assert response.status_code == 401 and response.json()["detail"] == "请先登录。"


def test_it_issues_a_token_that_works_until_revoked(client_as, anon, db):
    hr = client_as("hr")
    created = hr.post("/api/v1/tokens", json={"name": "OA 对接"}, headers={"X-CSRF-Token": hr.csrf})
    assert created.status_code == 201
    secret = created.json()["token"]
    stored = db.scalar(select(ApiToken).where(ApiToken.name == "OA 对接"))
    assert stored.token_hash != secret and secret not in stored.token_hash  # only the hash is kept
    auth = {"Authorization": f"Bearer {secret}"}
    page = anon.get("/api/v1/staff", headers=auth).json()
    assert page["total"] > 60
    assert anon.get("/api/v1/me", headers=auth).json()["roles"] == ["hr", "staff"]
    assert hr.delete(f"/api/v1/tokens/{stored.id}", headers={"X-CSRF-Token": hr.csrf}).status_code == 204
    assert anon.get("/api/v1/staff", headers=auth).status_code == 401


def test_it_needs_the_csrf_header_for_cookie_authenticated_changes(client_as):
    hr = client_as("hr")
    assert hr.post("/api/v1/tokens", json={"name": "x"}).status_code == 403


def test_it_creates_and_updates_staff_through_the_api_with_token_auth(client_as, anon, db):
    hr = client_as("hr")
    secret = hr.post("/api/v1/tokens", json={"name": "hrms"}, headers={"X-CSRF-Token": hr.csrf}).json()["token"]
    auth = {"Authorization": f"Bearer {secret}"}
    dept = db.scalar(select(Department).where(Department.name == "信息技术科"))
    body = {"employee_no": "API1", "name": "接口新人", "department_id": dept.id, "post_category": "technical",
            "level": "junior", "supervisor_no": "JZ0004"}
    created = anon.post("/api/v1/staff", json=body, headers=auth)
    assert created.status_code == 201, created.text
    staff_id = created.json()["id"]
    body["title"] = "助理工程师"
    updated = anon.put(f"/api/v1/staff/{staff_id}", json=body, headers=auth)
    assert updated.json()["title"] == "助理工程师"
    again = anon.post("/api/v1/staff", json=body, headers=auth)
    assert again.status_code == 409 and "已存在" in again.json()["detail"]
    bad = anon.post("/api/v1/staff", json={**body, "employee_no": "API2", "level": "top"}, headers=auth)
    assert bad.status_code == 422 and bad.json()["detail"] == "提交的内容有误，请检查后重试。"


def test_it_gives_a_staff_token_only_the_staff_scope(client_as, anon, db, accounts):
    staff = client_as("staff")
    secret = staff.post("/api/v1/tokens", json={"name": "手机"}, headers={"X-CSRF-Token": staff.csrf}).json()["token"]
    auth = {"Authorization": f"Bearer {secret}"}
    me = db.scalar(select(User).where(User.username == accounts["staff"]))
    listing = anon.get("/api/v1/staff", headers=auth).json()
    assert [p["id"] for p in listing["items"]] == [me.staff_id]
    assert anon.post("/api/v1/departments", json={"code": "X", "name": "X", "kind": "general"},
                     headers=auth).status_code == 403
    assert anon.get("/api/v1/users", headers=auth).status_code == 403


def test_it_lets_the_admin_manage_accounts(client_as):
    admin = client_as("admin")
    headers = {"X-CSRF-Token": admin.csrf}
    created = admin.post("/api/v1/users", json={"username": "auditor2", "password": "Str0ng-pass-2026",
                                                "roles": ["inspector"]}, headers=headers)
    assert created.status_code == 201
    user_id = created.json()["id"]
    roles = admin.put(f"/api/v1/users/{user_id}/roles", json={"roles": ["inspector", "staff_rep"]}, headers=headers)
    assert sorted(roles.json()["roles"]) == ["inspector", "staff_rep"]
    reset = admin.post(f"/api/v1/users/{user_id}/reset-password", headers=headers)
    assert len(reset.json()["temporary_password"]) >= 10


def test_it_answers_calendar_questions(client_as):
    hr = client_as("hr")
    assert hr.get("/api/v1/calendar/workday", params={"day": "2026-10-01"}).json()["is_workday"] is False
    deadline = hr.get("/api/v1/calendar/deadline", params={"start": "2026-09-30T10:00:00", "working_days": 5})
    assert deadline.json()["deadline"].startswith("2026-10-13T23:59:59")
    unknown = hr.get("/api/v1/calendar/workday", params={"day": "2027-03-01"})
    assert unknown.status_code == 422 and "2027 年的节假日安排尚未导入" in unknown.json()["detail"]
