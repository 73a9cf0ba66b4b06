"""Data scopes as a user notices them: who appears in the staff list, the API and the roster export,
what an out-of-scope detail page says, and that refused changes neither save nor log anything.

The expected people come from the demo unit's structure (departments and 分管领导), not from the
permission code, so a wrong scope shows up as a wrong set of 工号.
"""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.auth.models import User
from kaohe.demo.data import build_demo_unit
from kaohe.org.models import Department, Staff

UNIT = build_demo_unit()
ALL_NOS = {s.employee_no for s in UNIT.staff}
DEPARTMENT_OF = {s.employee_no: s.department_code for s in UNIT.staff}


def expected_nos(role: str, accounts: dict[str, str]) -> set[str]:
    """The 工号 a demo account should see, from the unit's structure alone."""
    if role in ("hr", "admin", "committee", "inspector"):
        return set(ALL_NOS)
    me = accounts[role]
    if role == "leader":
        return {me} | {s.employee_no for s in UNIT.staff if s.supervisor_no == me}
    if role in ("dept_head", "liaison"):
        return {no for no, code in DEPARTMENT_OF.items() if code == DEPARTMENT_OF[me]}
    return {me}  # staff, staff2, staff_rep: themselves only


# Counts a user would read off the page ("共 N 人"), written out so the structure itself is checked too.
EXPECTED_COUNTS = {"staff": 1, "staff2": 1, "staff_rep": 1, "leader": 35, "dept_head": 14, "liaison": 14,
                   "hr": 77, "committee": 77, "inspector": 77, "admin": 77}


def page_nos(client) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    """Every 工号 listed on /staff across all its pages, and the total it announces."""
    seen: set[str] = set()
    total = None
    for page in range(1, 50):
        response = client.get(f"/staff?page={page}", headers={"HX-Request": "true"}, follow_redirects=False)
        assert response.status_code == 200
        if total is None:
            match = re.search(r"共 (\d+) 人", response.text)
            assert match, response.text[:500]
            total = int(match.group(1))
        rows = re.findall(r"<td>([A-Za-z0-9-]+)</td>", response.text)
        if not rows:
            break
        assert not seen & set(rows), "a person appears on two pages"
        seen |= set(rows)
        if len(seen) >= total:
            break
    assert total is not None
    return seen, total


def staff_id(db, employee_no: str) -> int:  # type: ignore[no-untyped-def]
    found = db.scalar(select(Staff.id).where(Staff.employee_no == employee_no))
    assert found is not None, employee_no
    return found


def audit_count(db) -> int:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_demo_structure_matches_the_written_counts(accounts):
    for role, count in EXPECTED_COUNTS.items():
        assert len(expected_nos(role, accounts)) == count, role


@pytest.mark.parametrize("role", ["staff", "leader", "dept_head", "hr"])
def test_the_staff_list_and_the_api_show_exactly_the_people_in_scope(client_as, accounts, role):
    client = client_as(role)
    want = expected_nos(role, accounts)

    listed, total = page_nos(client)
    assert total == EXPECTED_COUNTS[role]
    assert listed == want

    response = client.get("/api/v1/staff?per_page=500", follow_redirects=False)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == EXPECTED_COUNTS[role]
    assert {item["employee_no"] for item in body["items"]} == want


def test_the_other_reading_roles_see_their_scope_through_the_api(client_as, accounts):
    for role in ("staff2", "staff_rep", "liaison", "committee", "inspector", "admin"):
        body = client_as(role).get("/api/v1/staff?per_page=500").json()
        assert body["total"] == EXPECTED_COUNTS[role], role
        assert {item["employee_no"] for item in body["items"]} == expected_nos(role, accounts), role


@pytest.mark.parametrize(("role", "target"), [
    ("staff", "staff2"),       # a 科员 looking at someone in another department
    ("staff", "dept_head"),    # ... or at their own 科长
    ("dept_head", "staff2"),   # a 科长 looking outside the department
    ("leader", "staff2"),      # a 分管领导 looking at someone another 副主任 leads
    ("staff_rep", "staff"),
])
def test_a_person_outside_the_scope_is_not_found_on_the_page_and_in_the_api(client_as, accounts, db, role,
                                                                            target):
    client = client_as(role)
    target_id = staff_id(db, accounts[target])
    name = db.scalar(select(Staff.name).where(Staff.id == target_id))

    page = client.get(f"/staff/{target_id}", follow_redirects=False)
    assert page.status_code == 404
    assert name not in page.text  # nothing about the person leaks

    api = client.get(f"/api/v1/staff/{target_id}", follow_redirects=False)
    assert api.status_code == 404
    assert name not in api.text

    # The same person, asked for by someone whose scope holds them, is there.
    assert client_as("hr").get(f"/api/v1/staff/{target_id}").status_code == 200


def test_everyone_finds_their_own_record(client_as, accounts, db):
    for role in ("staff", "staff2", "staff_rep", "leader", "dept_head", "liaison"):
        own = staff_id(db, accounts[role])
        client = client_as(role)
        assert client.get(f"/staff/{own}", follow_redirects=False).status_code == 200, role
        assert client.get(f"/api/v1/staff/{own}").json()["employee_no"] == accounts[role], role


def _xlsx_nos(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    column = header.index("工号")
    return [str(r[column]) for r in rows[1:] if r[column]]


def test_the_roster_export_holds_only_the_department_for_a_department_head(client_as, accounts):
    response = client_as("dept_head").get("/roster/export", follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    nos = _xlsx_nos(response.content)
    assert len(nos) == len(set(nos)) == 14
    assert set(nos) == expected_nos("dept_head", accounts)
    assert all(DEPARTMENT_OF[no] == "ZW1" for no in nos)


@pytest.mark.parametrize("role", ["leader", "inspector"])
def test_the_roster_export_follows_the_scope_of_other_exporting_roles(client_as, accounts, role):
    response = client_as(role).get("/api/v1/staff-export", follow_redirects=False)
    assert response.status_code == 200
    assert set(_xlsx_nos(response.content)) == expected_nos(role, accounts)


def test_an_inspectors_new_staff_form_is_refused_and_nothing_is_saved(client_as, db, accounts):
    inspector = client_as("inspector")
    before_staff = db.scalar(select(func.count()).select_from(Staff))
    before_audit = audit_count(db)
    department_id = db.scalar(select(Department.id).where(Department.code == "ZW1"))
    data = {"employee_no": "JZ9901", "name": "不该保存", "department_id": str(department_id),
            "post_category": "management", "level": "junior"}

    assert inspector.form("/staff/new", data).status_code == 403
    api = inspector.post("/api/v1/staff", json={**data, "employee_no": "JZ9902", "department_id": department_id},
                         headers={"X-CSRF-Token": inspector.csrf})
    assert api.status_code == 403

    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Staff)) == before_staff
    assert db.scalar(select(Staff.id).where(Staff.employee_no.in_(["JZ9901", "JZ9902"]))) is None
    assert audit_count(db) == before_audit


def test_allowed_changes_are_audited_and_refused_ones_are_not(client_as, db, accounts):
    hr = client_as("hr")
    refused = {role: client_as(role) for role in ("inspector", "committee", "dept_head", "staff")}
    hr_user_id = db.scalar(select(User.id).where(User.username == accounts["hr"]))
    department_id = db.scalar(select(Department.id).where(Department.code == "ZW1"))
    target = staff_id(db, accounts["staff"])

    # Refused: nothing is written to the audit log, whatever is attempted.
    before = audit_count(db)
    for role, client in refused.items():
        assert client.form("/departments/new", {"code": f"X{role[:3]}", "name": f"拒绝{role}", "kind": "general",
                                                "rollout_batch": "1"}).status_code == 403, role
        assert client.form(f"/staff/{target}/status", {"status": "inactive"}).status_code == 403, role
        assert client.post("/api/v1/departments", json={"code": "XAPI", "name": "拒绝", "kind": "general"},
                           headers={"X-CSRF-Token": client.csrf}).status_code == 403, role
    assert hr.form("/admin/users/1/reset-password").status_code == 403
    assert audit_count(db) == before

    # Allowed: one row per change, naming HR as the actor and the changed record.
    created = hr.form("/staff/new", {"employee_no": "JZ9903", "name": "审计测试", "department_id": str(department_id),
                                     "post_category": "management", "level": "junior"})
    assert created.status_code == 303
    new_id = staff_id(db, "JZ9903")
    assert hr.form(f"/staff/{target}/status", {"status": "inactive"}).status_code == 303
    assert hr.post("/api/v1/departments", json={"code": "AUD1", "name": "审计部门", "kind": "general"},
                   headers={"X-CSRF-Token": hr.csrf}).status_code == 201

    db.expire_all()
    rows = db.scalars(select(AuditEntry).where(AuditEntry.actor_id == hr_user_id,
                                               AuditEntry.action != "auth.sign_in").order_by(AuditEntry.id)).all()
    assert [(r.action, r.entity_type) for r in rows] == [
        ("staff.create", "staff"), ("staff.deactivate", "staff"), ("department.create", "department")]
    assert rows[0].entity_id == str(new_id)
    assert rows[0].after is not None and rows[0].after["employee_no"] == "JZ9903"
    assert rows[1].entity_id == str(target)
    assert (rows[1].before, rows[1].after) == ({"status": "active"}, {"status": "inactive"})
    assert audit_count(db) == before + 3


def test_an_account_on_a_temporary_password_reads_nothing_through_the_api(client_as, accounts, db):
    from kaohe.auth import service as auth_service

    admin = db.scalar(select(User).where(User.username == accounts["admin"]))
    hr = db.scalar(select(User).where(User.username == accounts["hr"]))
    auth_service.reset_password(db, actor=auth_service.principal_for(admin), user_id=hr.id)
    client = client_as("hr")  # signed in with the temporary password

    page = client.get("/staff", follow_redirects=False)
    assert (page.status_code, page.headers["location"]) == (303, "/account/password")
    assert client.get("/api/v1/staff", follow_redirects=False).status_code == 403
    assert client.get("/account/tokens", follow_redirects=False).headers["location"] == "/account/password"
    assert client.get("/account/password").status_code == 200
