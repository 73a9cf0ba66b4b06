"""Records that are pleasant to keep, walked in the browser against `kaohe serve`: evidence attached in
the entry form and downloaded under its own name, the liaison's person picker, the list filters and the
score page's quarter picker, on a phone and a desktop."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kaohe.clock import now, zone
from kaohe.org.models import Staff
from kaohe.records.models import Attachment, WorkRecord

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SHOTS = Path("/tmp/shots")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"records_{name}.png"), full_page=True)


def _fits(page: Page) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll}px of content in a {client}px screen"


def _fill_record(page: Page, title: str) -> None:
    local = now().astimezone(zone())
    page.get_by_label("工作事项").fill(title)
    page.get_by_label("开始时间").fill((local - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill((local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("阶段成果").fill("受理企业开办申请 12 件，当场办结 11 件。")


def test_staff_attach_evidence_while_noting_and_download_it_by_name(new_context, sign_in, live_server,
                                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**PHONE, accept_downloads=True).new_page()
    sign_in(page, "staff")
    page.goto("/records")
    _fill_record(page, "附带会议纪要的窗口业务")
    page.get_by_label(re.compile("附件")).set_input_files(
        [{"name": "九月窗口会议纪要.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    _shot(page, "phone_entry_with_file")
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_role("status")).to_contain_text("已同时上传附件 1 个")
    _fits(page)
    page.locator("li.record", has_text="附带会议纪要的窗口业务").get_by_role("link").first.click()
    link = page.get_by_role("link", name="九月窗口会议纪要.pdf")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "九月窗口会议纪要.pdf"
    saved = tmp_path / "got.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    with live_server.sessions() as db:
        record = db.scalar(select(WorkRecord).where(WorkRecord.title == "附带会议纪要的窗口业务"))
        assert db.scalar(select(Attachment.filename).where(Attachment.record_id == record.id)) == \
            "九月窗口会议纪要.pdf"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_liaison_records_for_a_colleague_picked_by_name(new_context, sign_in, live_server, size,
                                                            accounts) -> None:  # type: ignore[no-untyped-def]
    page = new_context(**(PHONE if size == "phone" else DESKTOP)).new_page()
    sign_in(page, "liaison")
    page.goto("/records")
    picker = page.get_by_label("记录对象")
    expect(picker).to_be_visible()
    with live_server.sessions() as db:
        me = db.scalar(select(Staff).where(Staff.employee_no == accounts["liaison"]))
        colleague = db.scalar(select(Staff).where(Staff.department_id == me.department_id, Staff.id != me.id)
                              .order_by(Staff.employee_no))
        colleague_name = colleague.name
    picker.select_option(value=colleague.employee_no)
    title = f"代同事记录的窗口业务（{size}）"
    _fill_record(page, title)
    _shot(page, f"{size}_liaison_picker")
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_role("status")).to_contain_text("记录已保存")
    expect(page.locator("li.record", has_text=title)).to_contain_text(colleague_name)
    _fits(page)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_hr_filters_records_and_picks_a_quarter(new_context, sign_in, size) -> None:  # type: ignore[no-untyped-def]
    staff = new_context(**(PHONE if size == "phone" else DESKTOP)).new_page()
    sign_in(staff, "staff")
    staff.goto("/records")
    title = f"政务服务一科的窗口业务（{size}）"
    _fill_record(staff, title)
    staff.get_by_role("button", name="提交记录").click()
    expect(staff.get_by_role("status")).to_contain_text("记录已保存")

    page = new_context(**(PHONE if size == "phone" else DESKTOP)).new_page()
    sign_in(page, "hr")
    page.goto("/records")
    expect(page.get_by_role("link", name="批量导入")).to_be_visible()
    departments = page.get_by_label("部门")
    expect(departments).to_be_visible()
    departments.select_option(label="政务服务一科")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"department_id=\d+"))
    expect(page.locator("li.record", has_text=title)).to_be_visible()
    _shot(page, f"{size}_hr_filtered")
    _fits(page)
    page.get_by_label("部门").select_option(label="人事科")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("共 0 条")).to_be_visible()
    expect(page.locator("li.record", has_text=title)).to_have_count(0)

    page.goto("/records/scores")
    quarter = page.get_by_label("季度")
    options = quarter.locator("option").all_inner_texts()
    assert all(re.fullmatch(r"\d{4}年第[一二三四]季度", text) for text in options) and len(options) >= 8
    quarter.select_option(index=1)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{options[1]}日常记录得分")
    _shot(page, f"{size}_scores")
    _fits(page)
