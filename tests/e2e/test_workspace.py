"""The home page on a phone and a desktop, for the roles with something waiting: the 待办 counts are the
database's, the badge agrees, each 待办 opens a page that person may use, and the charts are drawn."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from kaohe.auth.models import User
from kaohe.auth.service import principal_for
from kaohe.clock import now
from kaohe.records import service
from kaohe.records.models import RecordStatus, WorkRecord
from kaohe.records.schemas import RecordCreate, ReviewIn

pytestmark = pytest.mark.e2e

SIZES = {"phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
         "desktop": {"viewport": {"width": 1280, "height": 900}}}


def _arrange(live_server, accounts) -> None:  # type: ignore[no-untyped-def]
    """Three records waiting for the leader, one returned to the staff member."""
    with live_server.sessions() as db:
        def who(role: str):  # type: ignore[no-untyped-def]
            return principal_for(db.scalar(select(User).where(User.username == accounts[role])))

        ended = now() - timedelta(hours=2)
        made = [service.create_record(db, actor=who("staff"), now=now(), record_in=RecordCreate(
            title=f"窗口受理第{i}批", started_at=ended - timedelta(hours=1), ended_at=ended,
            stage_result="受理企业开办申请十二件，全部当日办结。")).record for i in range(4)]
        service.review(db, actor=who("leader"), now=now(), review_in=ReviewIn(
            record_ids=[made[0].id], action="return", comment="请补充办件数量"))
        db.commit()


@pytest.mark.parametrize("size", SIZES)
def test_each_role_finds_what_waits_and_can_open_it(size, new_context, sign_in, live_server, accounts):  # type: ignore[no-untyped-def]
    _arrange(live_server, accounts)
    with live_server.sessions() as db:
        waiting = db.scalar(select(func.count()).select_from(WorkRecord)
                            .where(WorkRecord.status == RecordStatus.submitted))
    for role, title, count in (("leader", "待审核确认的工作记录", waiting), ("staff", "被退回、需要修改后重新提交的记录", 1)):
        page = new_context(**SIZES[size]).new_page()
        sign_in(page, role)
        page.goto("/")
        card = page.locator("li.todo", has_text=title)
        expect(card.locator(".todo-count")).to_have_text(str(count))
        badge = page.get_by_role("navigation", name="主导航").locator(".badge")
        expect(badge).to_have_text(re.compile(r"\d+"))
        expect(page.locator(".chart canvas").first).to_be_visible()  # ECharts drew the first chart
        with page.expect_response(lambda r: r.request.resource_type == "document") as answer:
            card.get_by_role("link").click()
        assert answer.value.status == 200, (role, page.url)
        expect(page.get_by_role("heading", level=1)).not_to_contain_text("出错")
        page.context.close()
