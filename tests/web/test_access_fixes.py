"""Access rules found wanting by an outside probe: refusals that leak, self-service that should not
be allowed, and tokens that outlived a password."""

from sqlalchemy import select
from tests.conftest import DEMO_PASSWORD
from tests.integration.records.records_support import enter, principal_of

from kaohe.auth.models import ApiToken
from kaohe.org.models import Staff


def _outsider_of(db, leader) -> Staff:  # type: ignore[no-untyped-def]
    for staff in db.scalars(select(Staff).order_by(Staff.id)):
        if staff.id != leader.staff_id and not leader.may_see_staff(staff) and staff.supervisor_id is not None:
            return staff
    raise AssertionError("the demo unit has people outside the leader's scope")


def test_a_review_of_someone_elses_record_answers_as_a_missing_one(client_as, db, accounts):
    leader = principal_of(db, accounts["leader"])
    outsider = _outsider_of(db, leader)
    record = enter(db, principal_of(db, outsider.employee_no), title="机密事项的办理")
    client = client_as("leader")
    headers = {"X-CSRF-Token": client.csrf}
    hidden = client.post("/api/v1/records/review", json={"record_ids": [record.id], "action": "confirm"},
                         headers=headers)
    missing = client.post("/api/v1/records/review", json={"record_ids": [record.id + 100000], "action": "confirm"},
                          headers=headers)
    assert hidden.status_code == missing.status_code == 422
    assert "机密事项" not in hidden.text and outsider.name not in hidden.text
    assert hidden.json()["detail"] == missing.json()["detail"]
    assert [e.replace(str(record.id), "N") for e in hidden.json()["errors"]] == [
        e.replace(str(record.id + 100000), "N") for e in missing.json()["errors"]]


def test_a_leader_cannot_write_their_own_task_book(client_as, db, accounts):
    leader = principal_of(db, accounts["leader"])
    me = db.get(Staff, leader.staff_id)
    client = client_as("leader")
    refused = client.post("/api/v1/tasks", json={"staff_no": me.employee_no, "year": 2026, "code": "T-SELF-1",
                                                 "title": "给自己定的任务"}, headers={"X-CSRF-Token": client.csrf})
    assert refused.status_code == 403


def test_hr_cannot_deactivate_their_own_record_and_lock_themselves_out(client_as, db, accounts):
    hr = principal_of(db, accounts["hr"])
    client = client_as("hr")
    refused = client.post(f"/api/v1/staff/{hr.staff_id}/deactivate", headers={"X-CSRF-Token": client.csrf})
    assert refused.status_code == 422
    assert "不能停用本人" in refused.json()["detail"]
    assert client.get("/api/v1/me").status_code == 200


def test_a_password_change_revokes_the_accounts_api_tokens(client_as, anon, db, accounts):
    client = client_as("staff")
    made = client.post("/api/v1/tokens", json={"name": "项目系统"}, headers={"X-CSRF-Token": client.csrf})
    assert made.status_code == 201
    secret = made.json()["token"]
    assert anon.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    changed = client.form("/account/password", {"current": DEMO_PASSWORD, "new": "Brand-new-pass-2026",
                                                 "confirm": "Brand-new-pass-2026"})
    assert changed.status_code in (200, 303), changed.text[:300]
    assert anon.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    db.expire_all()
    assert db.scalar(select(ApiToken.revoked_at).where(ApiToken.name == "项目系统")) is not None


def test_refused_page_posts_show_the_refusal_not_the_form_again(client_as, db, accounts):
    leader = principal_of(db, accounts["leader"])
    me = db.get(Staff, leader.staff_id)
    own_book = client_as("leader").form("/tasks", {"staff_no": me.employee_no, "year": "2026", "code": "T-SELF-2",
                                                   "title": "给自己定的任务"})
    assert own_book.status_code == 403
    assert 'name="title"' not in own_book.text and "给自己定的任务" not in own_book.text

    record = enter(db, principal_of(db, accounts["staff"]), title="郭婷的窗口受理")
    db.commit()
    other = client_as("staff2").form(f"/records/{record.id}/edit", {"title": "改别人的记录", "stage": "改写"})
    assert other.status_code in (403, 404)
    assert 'name="title"' not in other.text and "郭婷的窗口受理" not in other.text
