"""Quarterly ratings on a phone (390×844), in Debian's Chromium: a peer finds "N 人待评" among their 待办,
rates a colleague (every indicator the scheme gives peers) and submits; HR makes a service recipient's
invitation and its QR code; the recipient opens the link without signing in, rates, and the link then
refuses a second use. Screenshots go to /tmp/shots/ratings_*.png."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from tests.integration.ratings.ratings_support import to_rating

from kaohe.auth.models import User
from kaohe.auth.service import principal_for
from kaohe.ratings.models import RaterAssignment, RatingStatus

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
SHOTS = Path("/tmp/shots")


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ratings_{name}.png"), full_page=True)


def _no_horizontal_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll}px of content in a {client}px screen"


@pytest.fixture
def rating_quarter(live_server, accounts):  # type: ignore[no-untyped-def]
    with live_server.sessions() as db:
        hr = db.scalar(select(User).where(User.username == accounts["hr"]))
        to_rating(db, principal_for(hr))
    return live_server


def _fill_every_mark(page: Page) -> int:
    inputs = page.locator('input[name^="mark."]')
    count = inputs.count()
    for index in range(count):
        field = inputs.nth(index)
        field.fill(str(min(int(field.get_attribute("max") or 5), 4 if field.get_attribute("max") == "5" else 88)))
    return count


def test_a_peer_rates_a_colleague_on_a_phone(new_context, sign_in, rating_quarter, accounts):
    page = new_context(**PHONE).new_page()
    sign_in(page, "staff")
    page.goto("/")
    todo = page.get_by_role("link", name=re.compile("人待评"))
    expect(todo).to_be_visible()
    todo.click()
    expect(page).to_have_url(re.compile(r"/ratings$"))
    expect(page.get_by_role("heading", name="我的评价任务")).to_be_visible()
    _shot(page, "mine")
    page.get_by_role("link", name="开始评价").first.click()
    expect(page).to_have_url(re.compile(r"/ratings/\d+/form$"))
    assignment_id = int(re.search(r"/ratings/(\d+)/form", page.url)[1])
    assert _fill_every_mark(page) >= 1
    page.get_by_label("意见（选填）").fill("窗口服务耐心细致，协作主动。")
    _no_horizontal_scroll(page)
    _shot(page, "form")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("评价已提交")
    _shot(page, "submitted")
    with rating_quarter.sessions() as db:
        row = db.get(RaterAssignment, assignment_id)
        assert row.status is RatingStatus.submitted and row.comment == "窗口服务耐心细致，协作主动。"
    page.goto(f"/ratings/{assignment_id}/form")
    expect(page.get_by_text("已经提交，不能再修改")).to_be_visible()
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)


def test_a_service_recipient_rates_through_the_link_without_signing_in(new_context, sign_in, rating_quarter,
                                                                     accounts):
    hr = new_context(**PHONE).new_page()
    sign_in(hr, "hr")
    hr.goto("/ratings/2026/3")
    expect(hr.get_by_role("heading", name="2026年第三季度评价人")).to_be_visible()
    _shot(hr, "quarter")
    invite = hr.locator('form[action$="/invitations"]')
    invite.get_by_label("被评价人工号 *").fill(accounts["staff"])
    invite.get_by_label("交给谁（选填）").fill("企业开办窗口办事群众")
    invite.get_by_role("button", name="生成邀请").click()
    expect(hr.get_by_role("heading", name="服务对象评价邀请")).to_be_visible()
    expect(hr.locator("figure.qr svg")).to_be_visible()
    _no_horizontal_scroll(hr)
    _shot(hr, "invitation")
    link = hr.locator("a.secret").get_attribute("href")
    assert link and link.startswith("/r/")

    phone = new_context(**PHONE).new_page()  # nobody signed in
    phone.goto(link)
    expect(phone.get_by_text("无需登录")).to_be_visible()
    expect(phone.get_by_role("navigation", name="主导航")).to_have_count(0)
    assert _fill_every_mark(phone) >= 1
    _no_horizontal_scroll(phone)
    _shot(phone, "recipient_form")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
    _shot(phone, "recipient_thanks")
    again = phone.goto(link)
    assert again is not None and again.status == 410
    expect(phone.get_by_text("已经使用过")).to_be_visible()
    _shot(phone, "recipient_used")
