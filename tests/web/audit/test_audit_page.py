"""The audit log page: readable by inspectors and HR, filterable, showing before and after."""

from sqlalchemy import select

from kaohe.org.models import Staff


def _rows(page: str) -> str:
    """The log's rows, without the filter's choices (which name every action)."""
    return page[page.index("<tbody>"):page.index("</tbody>")]


def _edit_title(client, db, title: str) -> Staff:  # type: ignore[no-untyped-def]
    person = db.scalar(select(Staff).where(Staff.employee_no == "JZ0030"))
    client.form(f"/staff/{person.id}/edit", {
        "name": person.name, "department_id": person.department_id, "post_category": person.post_category.value,
        "level": person.level.value, "title": title,
        "supervisor_no": person.supervisor.employee_no if person.supervisor else ""})
    return person


def test_it_shows_who_changed_what_from_what_to_what(client_as, db):
    person = _edit_title(client_as("hr"), db, "窗口组长")
    page = client_as("inspector").get("/audit", params={"entity_type": "staff", "entity_id": person.id})
    assert page.status_code == 200
    rows = _rows(page.text)
    assert "修改人员信息" in rows and "窗口组长" in rows and "职务" in rows  # the action and field in Chinese
    assert "staff.update" not in rows
    assert "梁浩明" in page.text or "考核办公室" in page.text or "人事" in page.text  # the HR actor's name


def test_it_filters_by_action_actor_and_date(client_as, db):
    _edit_title(client_as("hr"), db, "窗口组长")
    inspector = client_as("inspector")
    only_sign_ins = _rows(inspector.get("/audit", params={"action": "auth.sign_in"}).text)
    assert "登录" in only_sign_ins and "修改人员信息" not in only_sign_ins
    whole_group = _rows(inspector.get("/audit", params={"action": "staff."}).text)
    assert "修改人员信息" in whole_group and "登录系统" not in whole_group
    future = inspector.get("/audit", params={"since": "2099-01-01"}).text
    assert "共 0 条" in future
    nobody = inspector.get("/audit", params={"actor": "不存在的人"}).text
    assert "共 0 条" in nobody


def test_it_keeps_the_log_from_staff_and_leaders(client_as):
    assert client_as("staff").get("/audit").status_code == 403
    assert client_as("leader").get("/audit").status_code == 403
    assert client_as("hr").get("/audit").status_code == 200


def test_it_lets_the_admin_create_and_deactivate_an_account_from_the_page(client_as, db):
    from kaohe.auth.models import User

    admin = client_as("admin")
    response = admin.post("/admin/users", data={"csrf_token": admin.csrf, "username": "wang.audit",
                                                "password": "Wang-pass-2026", "roles": ["inspector", "staff"]},
                          follow_redirects=False)
    assert response.status_code == 303
    user = db.scalar(select(User).where(User.username == "wang.audit"))
    assert sorted(g.role.value for g in user.grants) == ["inspector", "staff"]
    admin.form(f"/admin/users/{user.id}/active", {"active": "0"})
    db.expire_all()
    assert db.get(User, user.id).is_active is False
    own = db.scalar(select(User).where(User.username == "admin"))
    refused = admin.form(f"/admin/users/{own.id}/active", {"active": "0"})
    assert refused.status_code == 422 and "不能停用自己的账号" in refused.text
