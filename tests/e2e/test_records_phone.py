"""Daily records on a phone: the staff member notes one piece of work, the 分管领导 confirms it, the
department head closes a finished month with a summary."""

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kaohe.auth.models import User
from kaohe.auth.service import principal_for
from kaohe.clock import now, zone
from kaohe.records import service
from kaohe.records.schemas import RecordCreate, ReviewIn

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
TITLE = "办理企业开办一窗通办业务"
RESULT = "受理企业开办申请 12 件，当场办结 11 件，1 件补正材料后已办结。"
SUMMARY = "本月窗口业务平稳，企业开办当日办结率保持高位；下月重点做好年报辅导。"


def _phone_page(new_context) -> Page:  # type: ignore[no-untyped-def]
    return new_context(**PHONE).new_page()


def _no_horizontal_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll <= client, f"the page scrolls sideways: {scroll}px of content in a {client}px screen"


def _enter_record(page: Page, sign_in, title: str = TITLE) -> float:  # type: ignore[no-untyped-def]
    """Sign in as the staff member and note one record; the seconds from opening 工作记录 to the notice."""
    sign_in(page, "staff")
    local = now().astimezone(zone())
    started, ended = local - timedelta(hours=3), local - timedelta(hours=1)

    start = time.monotonic()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作记录").click()
    expect(page).to_have_url(re.compile(r"/records$"))
    page.get_by_label("工作事项").fill(title)
    page.get_by_label("开始时间").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill(ended.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("阶段成果").fill(RESULT)
    page.get_by_role("button", name="提交记录").click()
    expect(page.get_by_role("status")).to_contain_text("记录已保存，等待分管领导审核")
    seconds = time.monotonic() - start

    expect(page).to_have_url(re.compile(r"/records\?saved=1$"))
    record = page.locator("li.record", has_text=title)
    expect(record).to_have_count(1)
    expect(record.locator(".tag")).to_contain_text("待审核")
    return seconds


def test_a_staff_member_notes_a_record_on_a_phone(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    page = _phone_page(new_context)
    seconds = _enter_record(page, sign_in)
    print(f"\nphone entry: opening 工作记录 to the confirmation took {seconds:.2f} s")
    assert seconds < 60


def test_the_quick_entry_page_fits_a_phone(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    page = _phone_page(new_context)
    _enter_record(page, sign_in)
    _no_horizontal_scroll(page)


def test_the_leader_confirms_the_record_on_a_phone(new_context, sign_in) -> None:  # type: ignore[no-untyped-def]
    staff_page = _phone_page(new_context)
    _enter_record(staff_page, sign_in)

    page = _phone_page(new_context)
    sign_in(page, "leader")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作记录").click()
    waiting = page.get_by_role("link", name=re.compile(r"待我审核 \d+"))
    expect(waiting).to_be_visible()
    waiting.click()
    expect(page).to_have_url(re.compile(r"/records/review$"))
    item = page.locator("li.record", has_text=TITLE)
    expect(item).to_have_count(1)
    expect(item.get_by_role("checkbox")).not_to_be_checked()  # nothing is ticked for the leader
    _no_horizontal_scroll(page)
    item.get_by_role("checkbox").check()
    expect(page.locator("[data-selected-count]")).to_have_text("已选 1 条")
    page.get_by_role("button", name="确认所选").click()
    expect(page.get_by_role("status")).to_contain_text("已确认 1 条记录")
    assert page.context.questions == ["确认所选的 1 条记录？确认后记录不能再修改。"]
    expect(page.locator("li.record", has_text=TITLE)).to_have_count(0)

    staff_page.goto("/records")
    record = staff_page.locator("li.record", has_text=TITLE)
    expect(record.locator(".tag")).to_contain_text("已确认")


def _previous_month_record(live_server, accounts: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """A record the staff member entered mid last month, confirmed by their leader; that month, YYYY-MM."""
    first = now().astimezone(zone()).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    mid_last = (first - timedelta(days=1)).replace(day=15, hour=12)
    with live_server.sessions() as db:
        staff_user = db.scalar(select(User).where(User.username == accounts["staff"]))
        leader_user = db.scalar(select(User).where(User.username == accounts["leader"]))
        assert staff_user is not None and leader_user is not None
        created = service.create_record(db, actor=principal_for(staff_user), now=mid_last, record_in=RecordCreate(
            title="上月窗口综合受理", started_at=mid_last - timedelta(hours=3),
            ended_at=mid_last - timedelta(hours=1), stage_result="受理综合窗口业务 30 件，全部按时办结。"))
        service.review(db, actor=principal_for(leader_user), now=mid_last + timedelta(hours=2),
                       review_in=ReviewIn(record_ids=[created.record.id], action="confirm"))
        db.commit()  # the test arranges as an edge would: use cases only stage
    return mid_last.strftime("%Y-%m")


def test_the_department_head_closes_last_month_on_a_phone(new_context, sign_in, live_server,
                                                          accounts) -> None:  # type: ignore[no-untyped-def]
    month = _previous_month_record(live_server, accounts)
    with live_server.sessions() as db:
        user = db.scalar(select(User).where(User.username == accounts["staff"]))
        assert user is not None and user.staff is not None
        person = user.staff.name

    page = _phone_page(new_context)
    sign_in(page, "dept_head")
    page.goto(f"/records/month?month={month}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"政务服务一科 · {month} 月度汇总")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=person, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待部门办结")
    _no_horizontal_scroll(page)

    page.get_by_label("部门负责人小结").fill(SUMMARY)
    page.get_by_role("button", name=f"办结 {month}").click()
    expect(page).to_have_url(re.compile(rf"/records/month\?department_id=\d+&month={month}&done=month_closed$"))
    expect(page.get_by_role("status")).to_contain_text("本月已办结")
    assert page.context.questions[-1].startswith(f"办结 政务服务一科 {month}？")
    closed = page.locator("section.card", has=page.get_by_role("heading", name="已办结"))
    expect(closed).to_be_visible()
    expect(closed).to_contain_text(SUMMARY)
    expect(page.get_by_role("button", name=re.compile("办结"))).to_have_count(0)
