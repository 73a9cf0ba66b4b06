"""POST /api/v1/metrics from a business system (personal or system token, Idempotency-Key) and
GET /api/v1/metrics per role."""

from tests.integration.metrics.metrics_support import counts

from kaohe.auth import service as auth_service
from kaohe.auth.roles import Role

BODY = {"source": "attendance_system", "year": 2026, "quarter": 3,
        "items": [{"employee_no": "JZ0028", "indicator_code": "QIN.1.1", "value": 98.5},
                  {"employee_no": "JZ0062", "indicator_code": "QIN.1.1", "value": "97"}]}


def system_token(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A token of a system account: no staff record, the 考核办公室 role, made for the attendance system."""
    user = auth_service.create_user(db, actor=None, username="kaoqin-system", password="System-pass-2026",
                                    roles=[Role.hr], display_name="考勤系统")
    secret, _row = auth_service.create_token(db, actor=auth_service.principal_for(user), name="考勤对接")
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def personal_token(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    made = client.post("/api/v1/tokens", json={"name": "指标报送"}, headers={"X-CSRF-Token": client.csrf})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def test_it_takes_values_once_per_idempotency_key(anon, db):
    auth = system_token(db)
    first = anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": "kq-2026q3-1"})
    assert first.status_code == 201, first.text
    assert first.json() | {"batch_id": 0} == {"batch_id": 0, "source": "attendance_system", "year": 2026,
                                              "quarter": 3, "count": 2, "people": 2, "replaced": 0}
    after_first = counts(db)
    again = anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": "kq-2026q3-1"})
    assert (again.status_code, again.json()) == (201, first.json())
    assert counts(db) == after_first, "a repeated call saved something twice"
    changed = {**BODY, "items": BODY["items"][:1]}
    conflict = anon.post("/api/v1/metrics", json=changed, headers={**auth, "Idempotency-Key": "kq-2026q3-1"})
    assert conflict.status_code == 409
    assert conflict.json()["detail"] == "这个幂等键（Idempotency-Key）已用于内容不同的请求，请换一个新的幂等键"
    assert counts(db) == after_first


def test_a_new_key_for_a_quarter_already_delivered_needs_replace(anon, db):
    auth = system_token(db)
    assert anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": "a"}).status_code == 201
    before = counts(db)
    refused = anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": "b"})
    assert refused.status_code == 422 and "已有 2 条数据" in refused.json()["detail"]
    assert counts(db) == before
    replaced = anon.post("/api/v1/metrics", json={**BODY, "replace": True}, headers={**auth, "Idempotency-Key": "c"})
    assert replaced.status_code == 201 and replaced.json()["replaced"] == 2


def test_it_refuses_bad_items_naming_each_and_saves_nothing(client_as, anon, db):
    auth = personal_token(client_as("hr"))
    before = counts(db)
    body = {**BODY, "items": [{"employee_no": "JZ9999", "indicator_code": "QIN.1.1", "value": 98},
                              {"employee_no": "JZ0028", "indicator_code": "JI.2.3", "value": 90},
                              {"employee_no": "JZ0062", "indicator_code": "QIN.1.1", "value": 101}]}
    refused = anon.post("/api/v1/metrics", json=body, headers={**auth, "Idempotency-Key": "bad-1"})
    assert refused.status_code == 422
    assert refused.json()["errors"] == ["第 1 项：工号「JZ9999」在系统中不存在",
                                        "第 2 项：指标编码「JI.2.3」不是「考勤系统」的定量指标",
                                        "第 3 项：101% 超出 0%–100% 的范围"]
    assert counts(db) == before
    blank_key = anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": ""})
    assert blank_key.status_code == 422 and "幂等键" in " ".join(blank_key.json()["errors"])
    assert counts(db) == before


def test_only_hr_and_the_administrator_may_send_values(client_as, anon):
    for role in ("staff", "inspector", "leader"):
        auth = personal_token(client_as(role))
        sent = anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": f"{role}-1"})
        assert sent.status_code == 403, role


def test_each_role_reads_the_values_it_may_see(client_as, anon, db, accounts):
    auth = system_token(db)
    assert anon.post("/api/v1/metrics", json=BODY, headers={**auth, "Idempotency-Key": "read-1"}).status_code == 201

    def seen(role: str) -> list[str]:
        got = client_as(role).get("/api/v1/metrics?year=2026&quarter=3&source=attendance_system")
        assert got.status_code == 200, got.text
        return sorted(item["employee_no"] for item in got.json())

    assert seen("hr") == seen("inspector") == ["JZ0028", "JZ0062"]
    assert seen("staff") == [accounts["staff"]] == ["JZ0028"]
    assert seen("staff2") == ["JZ0062"]
    item = client_as("staff").get("/api/v1/metrics?year=2026&quarter=3").json()[0]
    assert (item["value"], item["channel"], item["created_by_name"], item["row"]) == (98.5, "api", "考勤系统", None)
    assert anon.get("/api/v1/metrics?year=2026&quarter=3").status_code == 401


def test_without_a_key_a_repeated_call_saves_nothing_twice(anon, db):
    auth = system_token(db)
    assert anon.post("/api/v1/metrics", json=BODY, headers=auth).status_code == 201
    before = counts(db)
    again = anon.post("/api/v1/metrics", json=BODY, headers=auth)
    assert again.status_code == 422 and "已有 2 条数据" in again.json()["detail"]
    assert counts(db) == before
