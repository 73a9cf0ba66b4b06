"""Written feedback in the browser and over the API, per role: the leader finds their people for the quarter,
opens the system's draft prefilled, saves it and signs after a confirmation saying it is final; the person
is reminded, reads it and acknowledges or comments; the personal appraisal file shows every quarter to the
person, their leader, HR and the inspector, and to nobody else."""

import re

import pytest
from tests.integration.feedback.feedback_support import QUARTER, YEAR, arrange_results
from tests.web.test_pages_read_chinese import problems, visible_text

BASE = f"/feedback/{YEAR}/{QUARTER}"
API = f"/api/v1/feedback/{YEAR}/{QUARTER}"
DRAFT = {"strengths": "窗口服务耐心细致，群众评价高。", "weaknesses": "出勤率低于部门平均。",
         "goals": "下季度出勤率不低于 98%。", "measures": "合理安排培训与窗口值守，提前报备。", "deadline": "2026-12-31"}


@pytest.fixture
def reviewed(db, who):  # type: ignore[no-untyped-def]
    arrange_results(db, who("hr"), staff_id=who("staff").staff_id)
    return who("staff").staff_id


def _readable(answer) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.status_code
    found = problems(visible_text(answer.text))
    assert not found, found


def _sign(client, staff_id):  # type: ignore[no-untyped-def]
    page = client.get(f"{BASE}/{staff_id}")
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', page.text)[1]
    return client.form(f"{BASE}/{staff_id}/sign", {"digest": digest})


def test_the_leader_drafts_and_signs_then_the_person_acknowledges(client_as, reviewed):  # type: ignore[no-untyped-def]
    leader = client_as("leader")
    listed = leader.get(f"/feedback?quarter={YEAR}-Q{QUARTER}")
    _readable(listed)
    assert "2026年第三季度书面反馈" in listed.text and f'href="{BASE}/{reviewed}"' in listed.text
    assert "未起草" in listed.text
    page = leader.get(f"{BASE}/{reviewed}")
    _readable(page)
    assert "由系统根据本季度结果与部门平均自动起草" in page.text and "「出勤率」70.00 分，部门平均" in page.text
    assert "/sign" not in page.text  # nothing saved yet: nothing to sign
    saved = leader.form(f"{BASE}/{reviewed}", DRAFT)
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=feedback_saved")
    shown = leader.get(saved.headers["location"])
    assert "书面反馈草稿已保存" in shown.text and "窗口服务耐心细致" in shown.text
    button = re.search(r'<button[^>]*data-confirm="([^"]+)"[^>]*>签署</button>', shown.text)
    assert button and "定稿" in button[1] and "不能再修改" in button[1]
    signed = _sign(leader, reviewed)
    assert signed.status_code == 303 and signed.headers["location"].endswith("done=feedback_signed")
    after = leader.get(signed.headers["location"])
    _readable(after)
    assert "书面反馈已签署并记入考核账本" in after.text and re.search(r"于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 电子签署（账本第 \d+ 条", after.text)
    assert 'name="strengths"' not in after.text  # final: no form any more
    assert leader.form(f"{BASE}/{reviewed}", DRAFT).status_code == 409

    staff = client_as("staff")
    todo = staff.get("/todo")
    assert "季度书面反馈待确认" in todo.text and f"{BASE}/{reviewed}" in todo.text
    mine = staff.get(f"{BASE}/{reviewed}")
    _readable(mine)
    assert "确认收到" in mine.text and "提出意见" in mine.text and "窗口服务耐心细致" in mine.text
    acknowledged = staff.form(f"{BASE}/{reviewed}/answer", {"action": "acknowledge"})
    assert acknowledged.status_code == 303 and acknowledged.headers["location"].endswith("done=feedback_acknowledged")
    done = staff.get(acknowledged.headers["location"])
    assert "已确认收到书面反馈" in done.text and re.search(r"本人于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 确认收到", done.text)
    file = staff.get("/feedback/file/me")
    _readable(file)
    assert "我的考核档案" in file.text and "电子签署" in file.text and "确认收到" in file.text
    assert "2026年第三季度的结果尚未公布" in file.text  # under review: the person's score waits for the close
    assert "季度书面反馈待确认" not in staff.get("/todo").text


def test_a_comment_needs_words_and_is_kept_with_the_feedback(client_as, reviewed):  # type: ignore[no-untyped-def]
    leader, staff = client_as("leader"), client_as("staff")
    leader.form(f"{BASE}/{reviewed}", DRAFT)
    _sign(leader, reviewed)
    empty = staff.form(f"{BASE}/{reviewed}/answer", {"action": "comment", "comment": " "})
    assert empty.status_code == 422 and "请写明您的意见" in empty.text
    said = staff.form(f"{BASE}/{reviewed}/answer", {"action": "comment", "comment": "出勤率偏低是因为参加集中培训。"})
    assert said.headers["location"].endswith("done=feedback_disputed")
    file = leader.get(f"/feedback/file/{reviewed}")
    _readable(file)
    assert "有异议" in file.text and "提出意见：出勤率偏低是因为参加集中培训。" in file.text


def test_each_role_gets_what_is_theirs(client_as, reviewed):  # type: ignore[no-untyped-def]
    client_as("leader").form(f"{BASE}/{reviewed}", DRAFT)
    hr = client_as("hr")
    assert 'name="strengths"' in hr.get(f"{BASE}/{reviewed}").text  # HR edits drafts ...
    refused = hr.form(f"{BASE}/{reviewed}/sign")
    assert refused.status_code == 403 and "分管领导" in refused.text  # ... but does not sign
    inspector = client_as("inspector").get(f"{BASE}/{reviewed}")
    assert inspector.status_code == 200 and 'name="strengths"' not in inspector.text and "/sign" not in inspector.text
    for role in ("staff", "staff2", "committee", "dept_head", "admin"):
        assert client_as(role).get(f"{BASE}/{reviewed}").status_code == 404, role
    assert client_as("committee").form(f"{BASE}/{reviewed}", DRAFT).status_code == 403  # leads, but not staff
    assert client_as("staff").form(f"{BASE}/{reviewed}", DRAFT).status_code == 403  # not one's own
    for role, code in (("staff", 200), ("leader", 200), ("hr", 200), ("inspector", 200), ("staff2", 404),
                       ("dept_head", 404), ("admin", 404)):
        assert client_as(role).get(f"/feedback/file/{reviewed}").status_code == code, role
    assert client_as("admin").get("/feedback/file/me").status_code == 404
    listed = client_as("staff2").get(f"/feedback?quarter={YEAR}-Q{QUARTER}")
    assert listed.status_code == 200 and "还没有您可以起草反馈的人" in listed.text
    bad = client_as("leader").get("/feedback?quarter=下个季度")
    assert bad.status_code == 422 and "季度" in bad.text


def test_the_api_follows_the_same_rules(client_as, reviewed):  # type: ignore[no-untyped-def]
    leader, staff = client_as("leader"), client_as("staff")
    head = {"X-CSRF-Token": leader.csrf}
    shown = leader.get(f"{API}/{reviewed}").json()
    assert shown["status"] is None and shown["may_edit"] and "出勤率" in shown["weaknesses"]
    body = {**DRAFT}
    saved = leader.post(f"{API}/{reviewed}", json=body, headers=head)
    assert saved.status_code == 200 and saved.json()["status"] == "draft" and saved.json()["may_sign"]
    bad = leader.post(f"{API}/{reviewed}", json={**body, "deadline": "明年"}, headers=head)
    assert bad.status_code == 422 and "完成期限" in bad.text
    assert staff.post(f"{API}/{reviewed}/sign", json={}, headers={"X-CSRF-Token": staff.csrf}).status_code == 403
    signed = leader.post(f"{API}/{reviewed}/sign", json={"digest": saved.json()["digest"]}, headers=head)
    assert signed.status_code == 200 and signed.json()["status"] == "signed" and signed.json()["ledger_seq"]
    assert leader.post(f"{API}/{reviewed}", json=body, headers=head).status_code == 409
    answered = staff.post(f"{API}/{reviewed}/answer", json={"action": "acknowledge"},
                          headers={"X-CSRF-Token": staff.csrf})
    assert answered.status_code == 200 and answered.json()["status"] == "acknowledged"
    assert client_as("staff2").get(f"{API}/{reviewed}").status_code == 404
