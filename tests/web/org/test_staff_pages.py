"""Staff pages as HR and other roles would use them."""

from sqlalchemy import select

from kaohe.audit.models import AuditEntry
from kaohe.org.models import Department, Staff


def _dept(db, name: str) -> Department:  # type: ignore[no-untyped-def]
    return db.scalar(select(Department).where(Department.name == name))


def test_it_lists_staff_with_search_filters_and_pagination(client_as, db):
    hr = client_as("hr")
    page = hr.get("/staff")
    assert page.status_code == 200
    total = db.query(Staff).count()
    assert f"共 {total} 人" in page.text
    assert "第 1 / " in page.text  # more than one page of 20
    person = db.scalar(select(Staff).where(Staff.employee_no == "JZ0030"))
    found = hr.get("/staff", params={"q": person.name})
    assert person.employee_no in found.text
    tech = hr.get("/staff", params={"post_category": "technical", "level": "senior"})
    assert "专业技术岗" in tech.text and "工勤技能岗</td>" not in tech.text
    dept = _dept(db, "后勤保障科")
    in_dept = hr.get("/staff", params={"department_id": dept.id})
    count = db.query(Staff).filter(Staff.department_id == dept.id).count()
    assert f"共 {count} 人" in in_dept.text


def test_it_returns_only_the_table_for_htmx_search(client_as):
    response = client_as("hr").get("/staff", params={"q": "JZ00"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="staff-total"' in response.text


def test_it_creates_a_staff_member_and_audits_it(client_as, db):
    hr = client_as("hr")
    dept = _dept(db, "政务服务一科")
    response = hr.form("/staff/new", {
        "employee_no": "N0001", "name": "陈新来", "gender": "女", "department_id": dept.id,
        "post_category": "management", "level": "junior", "title": "科员", "post_name": "窗口服务岗",
        "supervisor_no": "JZ0003", "hired_on": "2026-09-01", "phone": "13800138000"})
    assert response.status_code == 303
    detail = hr.get(response.headers["location"])
    assert "陈新来" in detail.text and "已保存" in detail.text
    staff = db.scalar(select(Staff).where(Staff.employee_no == "N0001"))
    assert staff.supervisor.employee_no == "JZ0003"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "staff.create",
                                               AuditEntry.entity_id == str(staff.id)))
    assert entry.after["name"] == "陈新来"


def test_it_explains_form_errors_in_chinese_and_saves_nothing(client_as, db):
    hr = client_as("hr")
    dept = _dept(db, "政务服务一科")
    before = db.query(Staff).count()
    response = hr.form("/staff/new", {"employee_no": "N 0002", "name": "=CMD()", "department_id": dept.id,
                                      "post_category": "management", "level": "junior", "phone": "123"})
    assert response.status_code == 422
    assert "字段「工号」" in response.text and "字段「姓名」" in response.text and "字段「手机号」" in response.text
    assert 'value="=CMD()"' in response.text  # the form keeps what was typed
    assert db.query(Staff).count() == before


def test_it_edits_a_staff_member_with_before_and_after_in_the_audit(client_as, db):
    hr = client_as("hr")
    person = db.scalar(select(Staff).where(Staff.employee_no == "JZ0030"))
    form = hr.get(f"/staff/{person.id}/edit")
    assert person.name in form.text
    response = hr.form(f"/staff/{person.id}/edit", {
        "name": person.name, "department_id": person.department_id, "post_category": person.post_category.value,
        "level": "senior", "title": "副科长", "supervisor_no": person.supervisor.employee_no})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Staff, person.id).title == "副科长"
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "staff.update").order_by(AuditEntry.id.desc()))
    assert entry.after["title"] == "副科长" and "title" in entry.before


def test_it_refuses_a_supervisor_loop(client_as, db):
    hr = client_as("hr")
    leader = db.scalar(select(Staff).where(Staff.employee_no == "JZ0003"))
    report = db.scalar(select(Staff).where(Staff.supervisor_id == leader.id, Staff.title != "副主任"))
    response = hr.form(f"/staff/{leader.id}/edit", {
        "name": leader.name, "department_id": leader.department_id, "post_category": leader.post_category.value,
        "level": leader.level.value, "supervisor_no": report.employee_no})
    assert response.status_code == 422 and "循环" in response.text


def test_it_deactivates_a_staff_member_and_their_account(client_as, db, anon, accounts):
    from kaohe.auth.models import User

    hr = client_as("hr")
    user = db.scalar(select(User).where(User.username == accounts["staff2"]))
    response = hr.form(f"/staff/{user.staff_id}/status", {"status": "inactive"})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, user.id).is_active is False
    assert "JZ" in hr.get("/staff", params={"status": "inactive"}).text


def test_it_shows_a_person_their_own_page_and_nobody_elses(client_as, db, accounts):
    from kaohe.auth.models import User

    staff = client_as("staff")
    me = db.scalar(select(User).where(User.username == accounts["staff"]))
    assert staff.get(f"/staff/{me.staff_id}").status_code == 200
    other = db.scalar(select(Staff.id).where(Staff.id != me.staff_id))
    denied = staff.get(f"/staff/{other}")
    assert denied.status_code == 404 and "无权查看" in denied.text
    assert "共 1 人" in staff.get("/staff").text


def test_it_manages_departments(client_as, db):
    hr = client_as("hr")
    response = hr.form("/departments/new", {"code": "ZW3", "name": "政务服务三科", "kind": "frontline",
                                            "rollout_batch": "2", "is_pilot": "on", "leader_no": "JZ0003"})
    assert response.status_code == 303
    listing = hr.get("/departments").text
    assert "政务服务三科" in listing and "试点" in listing
    dept = _dept(db, "政务服务三科")
    duplicate = hr.form(f"/departments/{dept.id}/edit", {"code": "ZW1", "name": "政务服务三科", "kind": "frontline",
                                                         "rollout_batch": "2"})
    assert duplicate.status_code == 409 and "已存在" in duplicate.text


def test_it_shows_chinese_error_pages_without_stack_traces(client_as):
    hr = client_as("hr")
    missing = hr.get("/staff/999999")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    nowhere = hr.get("/no-such-page")
    assert nowhere.status_code == 404 and "页面或数据不存在" in nowhere.text


def test_it_saves_a_form_whose_optional_fields_are_left_blank(client_as, db):
    """A browser sends empty strings for untouched inputs; they mean "not given", not an error."""
    hr = client_as("hr")
    dept = _dept(db, "后勤保障科")
    response = hr.form("/staff/new", {
        "employee_no": "N0003", "name": "赵空白", "gender": "", "department_id": dept.id,
        "post_category": "service", "level": "junior", "title": "", "post_name": "", "supervisor_no": "",
        "hired_on": "", "phone": ""})
    assert response.status_code == 303, response.text
    staff = db.scalar(select(Staff).where(Staff.employee_no == "N0003"))
    assert (staff.title, staff.post_name, staff.phone, staff.supervisor_id) == ("", "", None, None)
