"""The quarter's results walked in the browser against `kaohe serve`, on a phone and a desktop: HR computes
after confirming, reads the ranked list with its 缺评说明, opens one person's breakdown; once the quarter is
closed the staff member finds their own result and nobody else's."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kaohe.auth.models import User
from kaohe.auth.service import principal_for
from kaohe.clock import zone
from kaohe.quarterly import service
from kaohe.quarterly.models import QuarterPhase

pytestmark = pytest.mark.e2e

SIZES = {"phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                   "device_scale_factor": 2},
         "desktop": {"viewport": {"width": 1366, "height": 900}}}
SHOTS = Path("/tmp/shots")
YEAR, QUARTER = 2026, 3


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"quarter_{name}.png"), full_page=True)


def _fits(page: Page) -> None:
    scroll, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll}px in {client}px"


def _move(live_server, accounts, phase: QuarterPhase) -> None:  # type: ignore[no-untyped-def]
    with live_server.sessions() as db:
        hr = principal_for(db.scalar(select(User).where(User.username == accounts["hr"])))
        if service.find_cycle(db, YEAR, QUARTER) is None:
            service.open_year(db, actor=hr, year=YEAR, now=datetime(YEAR, 1, 5, 9, tzinfo=zone()))
        while service.find_cycle(db, YEAR, QUARTER).phase is not phase:
            service.advance(db, actor=hr, year=YEAR, quarter=QUARTER, reason="演示推进",
                            now=datetime(YEAR, 10, 12, 10, tzinfo=zone()))
        db.commit()


@pytest.mark.parametrize("size", SIZES)
def test_hr_computes_reads_the_list_and_one_breakdown(size, new_context, sign_in, live_server, accounts):  # type: ignore[no-untyped-def]
    _move(live_server, accounts, QuarterPhase.rating)
    page = new_context(**SIZES[size]).new_page()
    sign_in(page, "hr")
    page.goto(f"/quarterly/{YEAR}/{QUARTER}")
    page.get_by_role("link", name="季度结果").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026年第三季度结果")
    page.get_by_role("button", name="计算季度结果").click()
    expect(page.get_by_role("status")).to_contain_text("季度结果已计算")
    assert any("替换已有结果" in q for q in page.context.questions)
    expect(page.locator("table.table tbody tr").first).to_be_visible()
    expect(page.get_by_text("缺少数据").first).to_be_visible()
    _fits(page)
    _shot(page, f"{size}_hr_results")
    page.locator("table.table tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="逐项得分")).to_be_visible()
    expect(page.get_by_text(re.compile(r"季度得分 = 记录得分"))).to_be_visible()
    _fits(page)
    _shot(page, f"{size}_hr_person")


def test_staff_find_their_own_result_once_the_quarter_is_closed(new_context, sign_in, live_server, accounts):  # type: ignore[no-untyped-def]
    _move(live_server, accounts, QuarterPhase.rating)
    hr = new_context(**SIZES["desktop"]).new_page()
    sign_in(hr, "hr")
    hr.goto(f"/quarterly/{YEAR}/{QUARTER}/results")
    hr.get_by_role("button", name="计算季度结果").click()
    expect(hr.get_by_role("status")).to_contain_text("季度结果已计算")
    page = new_context(**SIZES["phone"]).new_page()
    sign_in(page, "staff")
    page.goto(f"/quarterly/{YEAR}/{QUARTER}/results")
    expect(page.get_by_text("尚未公布")).to_be_visible()
    _move(live_server, accounts, QuarterPhase.closed)
    page.reload()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="逐项得分")).to_be_visible()
    _fits(page)
    _shot(page, "phone_staff_own")
