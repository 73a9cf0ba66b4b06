"""Written feedback walked on a phone in real Chromium against `kaohe serve`: the leader finds the
reminder, opens the system's draft, agrees a deadline, saves and signs after the confirmation that says it is
final; then the person is reminded, reads it, acknowledges it, and finds it in their personal appraisal file.
The e2e demo has no quarterly results, so the test computes them first through the use cases."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from tests.integration.feedback.feedback_support import arrange_results

from kaohe.auth.models import User
from kaohe.auth.service import principal_for
from kaohe.feedback.models import Feedback, FeedbackStatus
from kaohe.ledger.models import LedgerEntry

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SHOTS = Path("/tmp/shots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"feedback_{name}.png"), full_page=True)


def _fits(page: Page) -> None:
    scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll}px in {client}px"


def test_the_leader_signs_on_a_phone_then_the_person_acknowledges(new_context, sign_in, live_server, accounts):  # type: ignore[no-untyped-def]
    with live_server.sessions() as db:
        hr = principal_for(db.scalar(select(User).where(User.username == accounts["hr"])))
        staff = principal_for(db.scalar(select(User).where(User.username == accounts["staff"])))
        arrange_results(db, hr, staff_id=staff.staff_id)
    staff_id = staff.staff_id

    leader = new_context(**PHONE).new_page()
    sign_in(leader, "leader")
    leader.goto("/todo")
    leader.get_by_role("link", name=re.compile(r"\d+ 人的季度书面反馈待签署")).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("2026年第三季度书面反馈")
    _fits(leader)
    _shot(leader, "leader_list")
    leader.locator(f'a[href="/feedback/2026/3/{staff_id}"]').click()
    expect(leader.get_by_label("存在不足")).to_contain_text("「出勤率」70.00 分，部门平均")
    leader.get_by_label("主要优点").fill("窗口服务耐心细致，群众评价高。")
    leader.get_by_label("完成期限").fill("2026-12-31")
    _fits(leader)
    _shot(leader, "leader_draft")
    leader.get_by_role("button", name="保存草稿").click()
    expect(leader.get_by_role("status")).to_contain_text("书面反馈草稿已保存")
    leader.get_by_role("button", name="签署").click()
    expect(leader.get_by_role("status")).to_contain_text("书面反馈已签署并记入考核账本")
    assert any("定稿" in q and "不能再修改" in q for q in leader.context.questions)
    expect(leader.get_by_text(re.compile(r"电子签署（账本第 \d+ 条"))).to_be_visible()
    expect(leader.get_by_label("主要优点")).to_have_count(0)
    _fits(leader)
    _shot(leader, "leader_signed")

    person = new_context(**PHONE).new_page()
    sign_in(person, "staff")
    person.goto("/todo")
    person.get_by_role("link", name=re.compile("季度书面反馈待确认")).click()
    expect(person.get_by_text("窗口服务耐心细致，群众评价高。")).to_be_visible()
    _fits(person)
    _shot(person, "person_view")
    person.get_by_role("button", name="确认收到").click()
    expect(person.get_by_role("status")).to_contain_text("已确认收到书面反馈")
    expect(person.get_by_text(re.compile(r"本人于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 确认收到"))).to_be_visible()
    person.get_by_role("link", name="个人考核档案").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("我的考核档案")
    expect(person.get_by_text("已确认").first).to_be_visible()
    _fits(person)
    _shot(person, "person_file")

    with live_server.sessions() as db:
        row = db.scalar(select(Feedback).where(Feedback.staff_id == staff_id))
        assert row.status is FeedbackStatus.acknowledged
        # The signature's entry in the ledger (the chain itself is verified in the integration tests: this
        # session does not hold the server's ledger key).
        entry = db.get(LedgerEntry, row.ledger_seq)
        assert entry is not None and entry.kind == "feedback.sign" and row.signed_hash.encode() in entry.payload
