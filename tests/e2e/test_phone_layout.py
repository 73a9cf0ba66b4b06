"""The layout on a phone and a desktop, walked against `kaohe serve`: no page scrolls sideways, the
navigation keeps 首页/待办/工作记录 in view and folds the rest under 更多 on a phone, and wide tables
read as labelled cards on a phone while they stay tables on a desktop."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SHOTS = Path("/tmp/shots")
PAGES = {
    "hr": ["/", "/todo", "/records", "/records/scores", "/records/month", "/staff", "/departments", "/scheme",
           "/calendar", "/audit"],
    "admin": ["/", "/admin/users", "/audit"],
    "staff": ["/", "/todo", "/records", "/records/scores", "/tasks", "/staff", "/scheme", "/calendar"],
    "leader": ["/", "/records", "/records/review", "/records/month", "/staff"],
    "inspector": ["/", "/audit", "/ledger", "/staff"],
}


def _scrolls_sideways(page: Page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def _walk(page: Page, role: str, size: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for path in PAGES[role]:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{role} {path}: {response and response.status}"
        scroll, client = _scrolls_sideways(page)
        assert scroll <= client, f"{role} {path} on a {size} scrolls sideways: {scroll}px in {client}px"
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(SHOTS / f"layout_{size}_{role}_{name}.png"), full_page=True)


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_page_scrolls_sideways_on_a_phone(new_context, sign_in, role: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**PHONE).new_page()
    sign_in(page, role)
    _walk(page, role, "phone")


@pytest.mark.parametrize("role", ["hr", "staff"])
def test_no_page_scrolls_sideways_on_a_desktop(new_context, sign_in, role: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**DESKTOP).new_page()
    sign_in(page, role)
    _walk(page, role, "desktop")


def test_the_phone_navigation_folds_the_rest_under_more(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**PHONE).new_page()
    sign_in(page, "hr")
    nav = page.get_by_role("navigation", name="主导航")
    for pinned in ("首页", "工作记录"):
        expect(nav.get_by_role("link", name=pinned, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="待办")).to_be_visible()
    height = nav.bounding_box()["height"]
    assert height < 60, f"the folded navigation is one line on a phone, not {height}px"
    for folded in ("人员", "部门", "考核方案", "审计日志"):
        expect(nav.get_by_role("link", name=folded)).to_be_hidden()

    nav.get_by_text("更多").click()
    expect(nav.get_by_role("link", name="审计日志")).to_be_visible()
    scroll, client = _scrolls_sideways(page)
    assert scroll <= client, f"the opened navigation scrolls sideways: {scroll}px in {client}px"
    page.screenshot(path=str(SHOTS / "layout_phone_nav_open.png"))
    nav.get_by_role("link", name="部门").click()
    expect(page).to_have_url(re.compile(r"/departments$"))
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="部门")).to_be_hidden()


def test_the_desktop_navigation_shows_every_link(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**DESKTOP).new_page()
    sign_in(page, "hr")
    nav = page.get_by_role("navigation", name="主导航")
    for link in ("首页", "工作记录", "人员", "部门", "考核方案", "工作日历", "审计日志"):
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(nav.get_by_text("更多")).to_be_hidden()


def test_wide_tables_read_as_labelled_cards_on_a_phone(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**PHONE).new_page()
    sign_in(page, "hr")
    page.goto("/departments")
    table = page.locator("table.table").first
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_be_hidden()
    heads = page.evaluate("() => Array.from(document.querySelectorAll('table.table thead th'))"
                          ".map((th) => th.textContent.trim())")
    cell = table.locator("tbody tr").first.locator("td").nth(1)
    label = cell.get_attribute("data-label")
    assert label and label == heads[1], f"the second cell is labelled by its column: {label!r} of {heads}"
    shown = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
    assert label in shown, f"the label is shown before the value on a phone: {shown!r}"
    row = table.locator("tbody tr").first.bounding_box()
    assert row["width"] <= 390, f"a card fits the phone: {row['width']}px"

    desktop = new_context(**DESKTOP).new_page()
    sign_in(desktop, "hr")
    desktop.goto("/departments")
    expect(desktop.locator("table.table thead").first).to_be_visible()
    shown = desktop.locator("table.table tbody tr").first.locator("td").nth(1).evaluate(
        "(td) => getComputedStyle(td, '::before').content")
    assert shown in ("none", "normal", ""), f"no card labels on a desktop: {shown!r}"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_role_has_a_home_page_that_fits(new_context, sign_in, accounts, size: str) -> None:  # type: ignore[no-untyped-def]
    """Each of the ten demo roles opens its home page: a greeting, a 待办 card, nothing sideways."""
    SHOTS.mkdir(exist_ok=True)
    for role in accounts:
        page = new_context(**(PHONE if size == "phone" else DESKTOP)).new_page()
        sign_in(page, role)
        response = page.goto("/")
        assert response is not None and response.status == 200, role
        expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
        expect(page.get_by_role("heading", name="待办")).to_be_visible()
        scroll, client = _scrolls_sideways(page)
        assert scroll <= client, f"{role}'s home page on a {size} scrolls sideways: {scroll}px in {client}px"
        page.screenshot(path=str(SHOTS / f"home_{size}_{role}.png"), full_page=True)
        page.context.close()
