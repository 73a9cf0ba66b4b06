"""The audit log in people's words: every action and object named in Chinese, values as labels and minutes."""

import re
from datetime import UTC, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kaohe.audit import display
from kaohe.messages import CATALOGUE

SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = Path(display.__file__).resolve().parents[1]
# Actions built at run time: record.{confirm,return} (the review's action), staff./user.{activate,deactivate}.
DYNAMIC_ACTIONS = ("record.confirm", "record.return", "staff.activate", "staff.deactivate",
                   "user.activate", "user.deactivate")


def _recorded(argument: str) -> set[str]:
    """Every literal `argument=` of an `audit.record(...)` call in the package's source."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.record\((.*?)\)\n", text, flags=re.S):
            found |= set(re.findall(rf'{argument}="([a-z_.]+)"', call.group(1)))
    return found


def test_it_names_every_action_the_code_records() -> None:
    actions = _recorded("action") | set(DYNAMIC_ACTIONS)
    assert len(actions) > 30
    assert [a for a in sorted(actions) if f"audit_view.action.{a}" not in CATALOGUE] == []


def test_it_names_every_kind_of_object_the_code_records() -> None:
    kinds = _recorded("entity_type")
    assert {"work_record", "user", "staff", "calendar"} <= kinds
    assert [k for k in sorted(kinds) if f"audit_view.entity.{k}" not in CATALOGUE] == []


def test_it_puts_every_action_in_a_group_of_the_filter() -> None:
    grouped = {action for _, _, actions in display.action_groups() for action, _ in actions}
    named = {key.removeprefix("audit_view.action.") for key in CATALOGUE if key.startswith("audit_view.action.")}
    assert grouped == named
    assert all(f"audit_view.group.{prefix}" in CATALOGUE for prefix, _, _ in display.action_groups())


def test_it_shows_actions_and_objects_in_chinese() -> None:
    view = display.entry_view(action="auth.sign_in", entity_type="user", entity_id="78", before=None,
                              after=None, zone=SHANGHAI)
    assert (view.action, view.entity, view.changes) == ("登录", "账号 #78", ())
    assert display.entity_label("work_record", "1248") == "工作记录 #1248"
    assert display.entity_label("calendar", "2025,2026") == "节假日安排 2025、2026"
    assert display.entity_label("calendar_day", "2026-10-01") == "日历日期 2026-10-01"
    assert display.action_label("no.such_action") == "其他操作"
    assert display.entity_kind("no_such_table") == "其他对象"


def test_it_names_fields_in_the_terms_of_their_object() -> None:
    assert display.field_name("staff", "name") == "姓名"
    assert display.field_name("department", "name") == "部门名称"
    assert display.field_name("work_record", "status") == "审核状态"
    assert display.field_name("work_record", "started_at") == "开始时间"
    assert display.field_name("department", "late_share") == "补录占比（%）"


def test_it_shows_enum_values_as_their_labels() -> None:
    changes = display.changes("work_record", {"status": "submitted"}, {"status": "confirmed", "comment": ""},
                              zone=SHANGHAI)
    assert changes == (display.Change("审核状态", "待审核", "已确认"), display.Change("意见", "", "—"))
    staff = display.changes("staff", {"status": "active", "level": "junior", "post_category": "management"},
                            {"status": "inactive", "level": "senior", "post_category": "technical"}, zone=SHANGHAI)
    assert [(c.before, c.after) for c in staff] == [("在职", "停用"), ("初级", "高级"), ("管理岗", "专业技术岗")]
    assert display.changes("scheme_version", {"status": "draft"}, {"status": "published"},
                           zone=SHANGHAI)[0].after == "已发布"
    assert display.changes("calendar_day", None, {"kind": "closure"}, zone=SHANGHAI)[0].after == "单位停工"
    roles = display.changes("user", {"roles": ["staff"]}, {"roles": ["dept_head", "staff"]}, zone=SHANGHAI)
    assert roles[0] == display.Change("角色", "干事", "部门负责人、干事")


def test_it_shows_times_local_to_the_minute() -> None:
    after = {"started_at": "2026-12-02T13:05:51.139977+00:00", "ended_at": "2026-12-02T15:05:51",
             "entered_at": "2026-12-02T23:59:00+08:00"}
    shown = [c.after for c in display.changes("work_record", None, after, zone=SHANGHAI)]
    assert shown == ["2026-12-02 21:05", "2026-12-02 23:05", "2026-12-02 23:59"]
    assert display.value_text("2026-12-02T13:05:51Z", zone=timezone(timedelta(hours=-5))) == "2026-12-02 08:05"
    assert display.value_text("2026-12-02", zone=UTC) == "2026-12-02"  # a date stays a date


def test_it_shows_none_and_booleans_in_words() -> None:
    assert display.value_text(None, zone=UTC) == "—"
    assert display.value_text(True, zone=UTC) == "是"
    assert display.value_text(False, zone=UTC) == "否"
    assert display.value_text([], zone=UTC) == "—"
    assert display.value_text(2.0, zone=UTC) == "2"
    assert display.value_text(85.5, zone=UTC) == "85.5"
    assert display.value_text(0, zone=UTC) == "0"
    assert display.value_text("窗口组长", zone=UTC) == "窗口组长"
