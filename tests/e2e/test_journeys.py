"""What people do in the browser: import a roster, find and edit a person, stay inside their own data."""

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from kaohe.demo.data import build_demo_unit
from kaohe.org.roster_model import ROSTER_HEADERS

pytestmark = pytest.mark.e2e

DEPARTMENT = "政务服务一科"

def _leader_of(department: str) -> str:
    return next(d.leader_no for d in build_demo_unit().departments if d.name == department)


def _roster(path: Path, rows: list[dict[str, str]]) -> Path:
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append(list(ROSTER_HEADERS))
    for row in rows:
        sheet.append([row.get(header, "") for header in ROSTER_HEADERS])
    sheet_book.save(path)
    return path


def _person(no: str, name: str, department: str = DEPARTMENT, title: str = "科员") -> dict[str, str]:
    return {"工号": no, "姓名": name, "性别": "女", "部门": department, "岗位类别": "管理岗", "职级": "初级",
            "职务": title, "岗位名称": "综合受理窗口岗", "分管领导工号": _leader_of(DEPARTMENT),
            "入职日期": "2024-09-01", "手机号": "13800138000"}


def _upload(page: Page, path: Path) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="名册导入").click()
    expect(page).to_have_url(re.compile(r"/roster/import$"))
    expect(page.get_by_role("heading", name="导入人员名册")).to_be_visible()
    page.get_by_label("名册文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并导入").click()


def _search(page: Page, text: str) -> None:
    page.get_by_role("searchbox", name="搜索人员").fill(text)


def test_it_imports_a_roster_then_finds_and_edits_the_new_person(page: Page, sign_in, live_server,
                                                                  tmp_path: Path) -> None:
    roster = _roster(tmp_path / "名册.xlsx", [_person("E2E001", "欧阳晓岚"), _person("E2E002", "司马清远")])
    sign_in(page, "hr")

    _upload(page, roster)
    expect(page.get_by_role("status")).to_contain_text("导入成功：新增 2 人")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    expect(page).to_have_url(re.compile(r"/staff$"))
    everyone = page.locator("#staff-total").inner_text()
    _search(page, "欧阳晓岚")
    # The table is swapped in place by HTMX and the address follows the search.
    expect(page.locator("#staff-total")).to_have_text("共 1 人")
    expect(page).to_have_url(re.compile(r"/staff\?q=%E6%AC%A7%E9%98%B3"))
    rows = page.locator("#staff-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("E2E001")
    expect(rows.first).to_contain_text(DEPARTMENT)
    assert page.locator("#staff-total").inner_text() != everyone

    rows.first.get_by_role("link", name="欧阳晓岚").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("欧阳晓岚")
    expect(page.locator("dl.facts")).to_contain_text("科员")
    page.get_by_role("link", name="编辑").click()
    expect(page).to_have_url(re.compile(r"/staff/\d+/edit$"))
    page.get_by_label("职务").fill("副科长")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/staff/\d+\?saved=1$"))
    expect(page.get_by_role("status")).to_have_text("已保存。")
    facts = page.locator("dl.facts")
    expect(facts.locator("dt:has-text('职务') + dd")).to_have_text("副科长")
    assert live_server.staff_by_name("欧阳晓岚").title == "副科长"


def test_it_refuses_a_roster_with_a_bad_row_and_imports_none_of_it(page: Page, sign_in, live_server,
                                                                    tmp_path: Path) -> None:
    roster = _roster(tmp_path / "bad.xlsx", [_person("E2E101", "诸葛明远"),
                                             _person("E2E102", "上官若水", department="不存在科")])
    sign_in(page, "hr")

    _upload(page, roster)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("导入未完成")
    expect(alert).to_contain_text("名册未作任何改动")
    # Row 1 is the header: the bad person is on spreadsheet row 3.
    expect(alert.locator("li")).to_have_count(1)
    expect(alert.locator("li")).to_contain_text("第 3 行")
    expect(alert.locator("li")).to_contain_text("部门「不存在科」不存在")

    page.goto("/staff")
    _search(page, "诸葛明远")
    expect(page.locator("#staff-total")).to_have_text("共 0 人")
    expect(page.locator("#staff-table")).to_contain_text("没有符合条件的人员。")
    assert live_server.staff_by_name("诸葛明远") is None


def test_it_keeps_a_staff_member_inside_their_own_record(page: Page, sign_in, live_server, accounts) -> None:
    me = live_server.staff_id(accounts["staff"])
    colleague = live_server.staff_id(accounts["liaison"])  # same department, not theirs to see
    sign_in(page, "staff")

    page.get_by_role("link", name="我的档案").click()
    expect(page).to_have_url(re.compile(rf"/staff/{me}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(accounts["staff"])
    expect(page.get_by_role("link", name="编辑")).to_have_count(0)

    response = page.goto(f"/staff/{colleague}")
    assert response is not None and response.status == 404
    expect(page.get_by_text("人员不存在，或您无权查看")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("未找到")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    expect(page.locator("#staff-total")).to_have_text("共 1 人")
    rows = page.locator("#staff-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(accounts["staff"])


def test_it_fits_the_staff_list_on_a_phone(new_context, sign_in, tmp_path: Path) -> None:
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                          device_scale_factor=2)
    page = context.new_page()
    sign_in(page, "hr")
    page.goto("/staff")
    expect(page.locator("#staff-table tbody tr").first).to_be_visible()

    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_visible()
    # On a phone the navigation keeps three links in view and folds the rest under 更多.
    expect(nav.get_by_role("link", name="人员")).to_be_hidden()
    nav.get_by_text("更多").click()
    expect(nav.get_by_role("link", name="人员")).to_be_visible()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] + 1, f"the page scrolls sideways on a phone: {widths}"
    # Columns marked hide-sm give way on a narrow screen.
    expect(page.locator("#staff-table th", has_text="分管领导")).to_be_hidden()

    shot = tmp_path / "staff-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 1000


def test_it_lets_the_inspector_read_the_audit_log_but_not_add_staff(page: Page, sign_in, accounts) -> None:
    sign_in(page, "inspector")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审计日志").click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    entries = page.locator("table.audit > tbody > tr")
    expect(entries.first).to_be_visible()
    expect(entries.filter(has_text="没有符合条件的记录")).to_have_count(0)
    sign_ins = entries.filter(has=page.locator("td", has_text=re.compile(r"^登录$")))
    expect(sign_ins.first).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    expect(page.get_by_role("heading", name="人员", exact=True)).to_be_visible()
    expect(page.locator("#staff-table tbody tr").first).to_be_visible()
    expect(page.get_by_role("link", name="新增人员")).to_have_count(0)
    expect(page.get_by_role("link", name="导出 Excel")).to_be_visible()
