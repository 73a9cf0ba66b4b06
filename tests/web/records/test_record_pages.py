"""Daily records in the browser and over the API, as staff, leaders and inspectors use them."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.integration.records.records_support import enter, review

from kaohe.clock import now, zone
from kaohe.records.models import RecordStatus, WorkRecord


def _local(moment) -> str:  # type: ignore[no-untyped-def]
    """As a phone's datetime-local input sends it."""
    return moment.astimezone(zone()).strftime("%Y-%m-%dT%H:%M")


def _form(ended_ago: timedelta = timedelta(hours=1), **changes: str) -> dict[str, str]:
    ended = now() - ended_ago
    return {"title": "窗口受理企业开办", "started_at": _local(ended - timedelta(hours=2)), "ended_at": _local(ended),
            "stage_result": "受理企业开办申请十二件，全部当日办结。", "difficulties": "", "commendation": "",
            **changes}


def _count(db) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(WorkRecord)) or 0


def _new(db, staff_id: int) -> WorkRecord:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.scalar(select(WorkRecord).where(WorkRecord.staff_id == staff_id).order_by(WorkRecord.id.desc()))


# --- entering -------------------------------------------------------------------------------------


def test_it_saves_a_record_from_the_quick_entry_form(client_as, db, who):
    staff = client_as("staff")
    response = staff.form("/records", _form())
    assert response.status_code == 303 and response.headers["location"] == "/records?saved=1"
    listing = staff.get(response.headers["location"]).text
    assert "记录已保存，等待分管领导审核。" in listing and "窗口受理企业开办" in listing and "待审核" in listing
    record = _new(db, who("staff").staff_id)
    assert (record.version, record.late, record.source) == (1, False, "web")
    detail = staff.get(f"/records/{record.id}").text
    assert "受理企业开办申请十二件" in detail and "提交" in detail


def test_it_marks_a_record_entered_30_hours_late_as_补录(client_as, db, who):
    staff = client_as("staff")
    response = staff.form("/records", _form(ended_ago=timedelta(hours=30), title="补记昨天的窗口值班"))
    assert response.headers["location"] == "/records?saved=late"
    listing = staff.get(response.headers["location"]).text
    assert "距工作结束已超过 24 小时，本条记录标记为补录" in listing
    assert ">补录</span>" in listing
    assert _new(db, who("staff").staff_id).late is True


@pytest.mark.parametrize(("changes", "message"), [
    ({"started_at": "2026-03-02T12:00", "ended_at": "2026-03-02T09:00"}, "结束时间不能早于开始时间。"),
    ({"ended_ago": timedelta(hours=-3)}, "结束时间不能晚于现在：请在工作完成后记录。"),
    ({"title": "办"}, "太短"),
])
def test_it_explains_a_wrong_record_in_chinese_and_saves_nothing(client_as, db, changes, message):
    before = _count(db)
    changes = dict(changes)  # the parameters are shared by both backends
    ended_ago = changes.pop("ended_ago", timedelta(hours=1))
    response = client_as("staff").form("/records", _form(ended_ago=ended_ago, **changes))
    assert response.status_code == 422
    assert message in response.text
    assert _count(db) == before


def test_it_names_the_record_fields_in_form_errors(client_as):
    response = client_as("staff").form("/records", _form(title="办", stage_result="短"))
    assert "字段「工作事项」" in response.text and "字段「阶段成果」" in response.text


def test_it_edits_a_returned_record_into_a_new_version_back_for_review(client_as, db, who):
    record = enter(db, who("staff"), now=now(), title="整理群众来信")
    review(db, who("leader"), [record], "return", "请补充办件数量", now=now())
    staff = client_as("staff")
    listing = staff.get("/records").text
    assert "已退回" in listing and "退回原因：请补充办件数量" in listing
    assert staff.get(f"/records/{record.id}/edit").status_code == 200
    changed = _form(title="整理群众来信", stage_result="整理群众来信四十二封，全部转办并登记回复。")
    response = staff.form(f"/records/{record.id}/edit", changed)
    assert response.status_code == 303
    detail = staff.get(f"/records/{record.id}").text
    assert "待审核" in detail and "历史版本（2）" in detail and "修改后重新提交" in detail
    db.expire_all()
    assert db.get(WorkRecord, record.id).status is RecordStatus.submitted


def test_it_refuses_edits_to_a_confirmed_record_and_by_anyone_but_the_author(client_as, db, who):
    confirmed = enter(db, who("staff"), now=now(), title="已确认的记录")
    review(db, who("leader"), [confirmed], now=now())
    refused = client_as("staff").form(f"/records/{confirmed.id}/edit", _form(title="改过的标题"))
    assert refused.status_code == 422 and "记录已经分管领导确认，不能再修改。" in refused.text
    pending = enter(db, who("staff"), now=now(), title="待审核的记录")
    by_leader = client_as("leader").form(f"/records/{pending.id}/edit", _form(title="领导改的标题"))
    assert by_leader.status_code == 403 and "只有记录人本人可以修改这条记录。" in by_leader.text
    db.expire_all()
    assert db.get(WorkRecord, confirmed.id).title == "已确认的记录"
    assert db.get(WorkRecord, pending.id).title == "待审核的记录"


# --- review ---------------------------------------------------------------------------------------


def test_it_lets_the_leader_confirm_one_record_and_a_batch(client_as, db, who):
    one = enter(db, who("staff"), now=now(), title="受理企业开办")
    batch = [enter(db, who("staff"), now=now(), title="窗口咨询答复"),
             enter(db, who("JZ0025"), now=now(), title="帮办代办服务")]
    leader = client_as("leader")
    queue = leader.get("/records/review").text
    assert "待我审核的记录（3）" in queue
    single = leader.form("/records/review", {"record_ids": str(one.id), "action": "confirm",
                                             "back": f"/records/{one.id}", "quality_mark": "5"})
    assert single.status_code == 303 and single.headers["location"] == f"/records/{one.id}?done=reviewed_confirm"
    shown = leader.get(single.headers["location"]).text
    assert "已确认" in shown and '<div class="flash ok" role="status">已确认这条记录。</div>' in shown
    many = leader.form("/records/review", {"record_ids": [str(r.id) for r in batch], "action": "confirm"})
    assert many.status_code == 200 and "已确认 2 条记录。" in many.text
    assert "没有待审核的记录" in many.text
    db.expire_all()
    assert {db.get(WorkRecord, r.id).status for r in (one, *batch)} == {RecordStatus.confirmed}
    assert db.get(WorkRecord, one.id).quality_mark == 5


def test_it_needs_a_reason_to_return_and_shows_it_to_the_author(client_as, db, who):
    record = enter(db, who("staff"), now=now(), title="整理群众来信")
    leader = client_as("leader")
    bare = leader.form("/records/review", {"record_ids": str(record.id), "action": "return", "comment": ""})
    assert bare.status_code == 422 and "退回时必须填写退回原因。" in bare.text
    db.expire_all()
    assert db.get(WorkRecord, record.id).status is RecordStatus.submitted
    reason = leader.form("/records/review", {"record_ids": str(record.id), "action": "return",
                                             "comment": "请补充办件数量和群众评价"})
    assert "已退回 1 条记录。" in reason.text
    listing = client_as("staff").get("/records").text
    assert "退回原因：请补充办件数量和群众评价" in listing


def test_it_refuses_a_leader_their_own_record_and_other_peoples(client_as, db, who):
    own = enter(db, who("leader"), now=now(), title="分管领域调度会")
    mine = enter(db, who("staff"), now=now(), title="本科室的记录")
    foreign = enter(db, who("staff2"), now=now(), title="信息技术科的记录")
    leader = client_as("leader")
    refused = leader.form("/records/review", {"record_ids": str(own.id), "action": "confirm"})
    assert refused.status_code == 422 and "不能自己确认" in refused.text
    mixed = leader.form("/records/review", {"record_ids": [str(mine.id), str(foreign.id)], "action": "confirm"})
    assert mixed.status_code == 422
    assert "所选记录均未改动" in mixed.text and f"记录 {foreign.id} 不存在" in mixed.text
    assert "信息技术科的记录" not in mixed.text
    db.expire_all()
    assert {db.get(WorkRecord, r.id).status for r in (own, mine, foreign)} == {RecordStatus.submitted}


def test_it_refuses_the_review_to_staff(client_as, db, who):
    record = enter(db, who("JZ0025"), now=now())
    staff = client_as("staff")
    assert staff.get("/records/review").status_code == 403
    assert staff.form("/records/review", {"record_ids": str(record.id), "action": "confirm"}).status_code == 403
    api = staff.post("/api/v1/records/review", json={"record_ids": [record.id], "action": "confirm"},
                     headers={"X-CSRF-Token": staff.csrf})
    assert api.status_code == 403
    db.expire_all()
    assert db.get(WorkRecord, record.id).status is RecordStatus.submitted


# --- who reads what -------------------------------------------------------------------------------


def test_it_hides_a_colleagues_record_from_staff(client_as, db, who):
    mine = enter(db, who("staff"), now=now(), title="我本人的窗口记录")
    theirs = enter(db, who("JZ0025"), now=now(), title="同事的帮办记录")
    other = enter(db, who("staff2"), now=now(), title="信息技术科的机房记录")
    staff = client_as("staff")
    page = staff.get(f"/records/{theirs.id}")
    assert page.status_code == 404 and "同事的帮办记录" not in page.text
    assert staff.get(f"/api/v1/records/{theirs.id}", headers={"X-CSRF-Token": staff.csrf}).status_code == 404
    assert staff.get(f"/records/{mine.id}").status_code == 200
    own_list = staff.get("/records").text
    assert "我本人的窗口记录" in own_list and "同事的帮办记录" not in own_list and "共 1 条" in own_list
    leader_list = client_as("leader").get("/records").text
    assert "我本人的窗口记录" in leader_list and "同事的帮办记录" in leader_list
    assert "信息技术科的机房记录" not in leader_list
    assert client_as("leader").get(f"/records/{other.id}").status_code == 404
    inspector_list = client_as("inspector").get("/records").text
    assert all(title in inspector_list for title in ("我本人的窗口记录", "同事的帮办记录", "信息技术科的机房记录"))


# --- the API --------------------------------------------------------------------------------------


def _token(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    created = client.post("/api/v1/tokens", json={"name": "办公系统"}, headers={"X-CSRF-Token": client.csrf})
    assert created.status_code == 201
    return {"Authorization": f"Bearer {created.json()['token']}"}


def _body(**extra: str) -> dict[str, str]:
    ended = now() - timedelta(hours=1)
    return {"title": "办公系统同步的工作", "started_at": (ended - timedelta(hours=1)).isoformat(),
            "ended_at": ended.isoformat(), "stage_result": "在办公系统中办结公文流转六件。", **extra}


def test_it_accepts_the_same_api_record_once_per_idempotency_key(client_as, anon, db):
    auth = _token(client_as("staff"))
    first = anon.post("/api/v1/records", json=_body(), headers={**auth, "Idempotency-Key": "k1"})
    assert first.status_code == 201, first.text
    again = anon.post("/api/v1/records", json=_body(), headers={**auth, "Idempotency-Key": "k1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert db.scalar(select(func.count()).select_from(WorkRecord).where(WorkRecord.idempotency_key == "k1")) == 1
    other = anon.post("/api/v1/records", json=_body(), headers={**auth, "Idempotency-Key": "k2"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_it_lets_hr_record_for_someone_over_the_api_but_not_staff(client_as, anon, db, who):
    hr = anon.post("/api/v1/records", json=_body(staff_no="JZ0028"), headers=_token(client_as("hr")))
    assert hr.status_code == 201 and hr.json()["staff_id"] == who("staff").staff_id
    before = _count(db)
    staff = anon.post("/api/v1/records", json=_body(staff_no="JZ0025"), headers=_token(client_as("staff")))
    assert staff.status_code == 404 and "无权为其记录" in staff.json()["detail"]
    assert _count(db) == before
