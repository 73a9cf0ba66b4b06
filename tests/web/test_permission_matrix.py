"""Who may do what: every demo role and an anonymous visitor against every page and API endpoint.

The expectations are written out by hand below, from the rules of the scheme, not computed from
`ROLE_PERMISSIONS`, so that this test fails when the code grants or refuses the wrong thing:

* staff and staff_rep see only themselves; a leader sees themself and the people whose 分管领导
  they are; dept_head and liaison see their department; committee sees the whole unit, read only
  (the committee account is also the 主任, 分管领导 of the leadership team, so it leads the leader);
* the inspector reads everything (staff, audit log, roster export, records, quality signals, the
  ledger) and changes nothing of anyone else's (like every staff member it enters its own daily records);
* hr manages staff, departments, roster import/export and the calendar, and reads the audit log;
* only admin manages accounts (/admin/users, /api/v1/users, password resets);
* daily records: whoever may see a person may read their records; everyone with a staff record enters
  their own, and leaders, the department (head, liaison), hr and admin enter them for their people (R1);
  only the record's author (or whoever entered it) edits it or adds evidence; only the person's 分管领导
  confirms or returns it, never admin or hr (R4); the department head closes the department's month;
  the task book is set by hr, admin and the person's 分管领导; inspectors, hr and admin verify the ledger;
* the scheme: everyone signed in reads every version; hr and admin draft, edit, publish and freeze it.

Reading the table: one row per endpoint, one column per account (see COLUMNS):
  ok     allowed: the row's success status (and a 303 that does not send the user to sign in)
  403    denied
  404    the resource is outside the caller's data scope (or does not exist)
  422    allowed to ask, but nothing of theirs to act on: the admin account has no staff record of its own
         to record for; the committee holds review and task rights (through its leader role) but the
         record or task is not of one of its own people
  login  anonymous visitor on a page: 303 to /login?next=...
  401    anonymous caller of the API

The table says what each role SHOULD get. Where the code knowingly differs and the fix is not a page's
guard (a rule of a use case or of the role table), the row lists it under `known`: that case is an xfail
(strict, so fixing the code makes it fail until the entry is removed), and the form check in
test_forms_match_permissions.py takes the code's actual answer for it.

Every route of the app must have a row (test_every_route_has_a_row); a new endpoint fails until its row
is written here by hand.

Speed: reads, refused changes and allowed additions (a new department, person, account or token
with a unique code) run against one demo database per backend, shared by the whole module: nothing
they do changes what another case sees. An allowed change to existing data (a password, a session,
roles, a staff record, a department) gets a fresh database of its own through the usual fixtures.
"""

import collections
import contextlib
import itertools
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import compile_path
from tests.conftest import DEMO_PASSWORD, Client

from kaohe.auth import service as auth_service
from kaohe.auth.models import ApiToken, User
from kaohe.config import Settings
from kaohe.messages import t
from kaohe.org.models import Department, Staff

COLUMNS = ("admin", "hr", "leader", "dept_head", "liaison", "committee", "inspector", "staff_rep", "staff",
           "staff2", "anon")
MISSING_ID = 987654
# The unit's zone (the settings' default): what "this year" and "a month ago" mean to the pages.
UNIT_ZONE = ZoneInfo("Asia/Shanghai")
FUTURE_YEARS = 5  # drafts and imports of a scheme land this many years ahead, away from the year in force

# A roster file with one new person (the employee number is filled in per case).
ROSTER_CSV = (
    "工号,姓名,性别,部门,岗位类别,职级,职务,岗位名称,分管领导工号,入职日期,手机号,状态\n"
    "{no},矩阵测试,男,政务服务一科,管理岗,初级,科员,窗口服务岗,,2020-01-01,,在职\n"
)
CALENDAR_CSV = "日期,类型,名称\n2027-10-01,放假,国庆节\n2027-10-09,调休上班,国庆节\n2027-11-03,单位停工,闭馆维护\n"
NEW_PASSWORD = "Better-pass-2026"
STAGE = "受理企业开办申请十二件，全部当日办结。"
TASK_CODE = "MATRIX-T1"  # the task of staff's task book that progress reports name
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


# --- request bodies ----------------------------------------------------------------------------
# Each takes the case context and returns keyword arguments for the request: form=, json=, files=.

@dataclass
class Ctx:
    ids: "Ids"
    accounts: dict[str, str]
    uniq: str
    role: str
    world: "World"

    @property
    def year(self) -> int:
        return self.ids["year"]


def staff_form(c: Ctx) -> dict:
    return {"form": {"employee_no": f"T{c.uniq}", "name": "矩阵测试", "department_id": str(c.ids["zw1"]),
                     "post_category": "management", "level": "junior"}}


def staff_edit_form(c: Ctx) -> dict:
    return {"form": {"name": "矩阵改名", "department_id": str(c.ids["zw1"]), "post_category": "management",
                     "level": "junior", "supervisor_no": c.accounts["leader"]}}


def staff_json(c: Ctx) -> dict:
    return {"json": {"employee_no": f"T{c.uniq}", "name": "矩阵测试", "department_id": c.ids["zw1"],
                     "post_category": "management", "level": "junior"}}


def staff_update_json(c: Ctx) -> dict:
    return {"json": {"name": "矩阵改名", "department_id": c.ids["zw1"], "post_category": "management",
                     "level": "junior", "supervisor_no": c.accounts["leader"]}}


def department_form(c: Ctx) -> dict:
    return {"form": {"code": f"M{c.uniq}", "name": f"矩阵部门{c.uniq}", "kind": "general", "rollout_batch": "1"}}


def zw1_fields(c: Ctx) -> dict:
    return {"code": "ZW1", "name": "政务服务一科", "kind": "frontline", "rollout_batch": 2,
            "leader_no": c.accounts["leader"], "head_no": c.accounts["dept_head"],
            "liaison_no": c.accounts["liaison"]}


def department_edit_form(c: Ctx) -> dict:
    return {"form": {**{k: str(v) for k, v in zw1_fields(c).items()}, "is_pilot": "on"}}


def department_json(c: Ctx) -> dict:
    return {"json": {"code": f"M{c.uniq}", "name": f"矩阵部门{c.uniq}", "kind": "general"}}


def department_update_json(c: Ctx) -> dict:
    return {"json": {**zw1_fields(c), "is_pilot": True}}


def roster_file(c: Ctx) -> dict:
    return {"files": {"file": ("roster.csv", ROSTER_CSV.format(no=f"R{c.uniq}").encode(), "text/csv")}}


def calendar_file(c: Ctx) -> dict:
    return {"form": {"year": "2027"}, "files": {"file": ("2027.csv", CALENDAR_CSV.encode(), "text/csv")}}


def calendar_file_only(c: Ctx) -> dict:
    return {"files": {"file": ("2027.csv", CALENDAR_CSV.encode(), "text/csv")}}


def calendar_day_form(c: Ctx) -> dict:
    return {"form": {"day": "2026-11-05", "kind": "closure", "name": "矩阵闭馆"}}


def user_form(c: Ctx) -> dict:
    return {"form": {"username": f"u{c.uniq}", "password": "Matrix-pass-2026", "roles": ["staff"]}}


def user_json(c: Ctx) -> dict:
    return {"json": {"username": f"u{c.uniq}", "password": "Matrix-pass-2026", "roles": ["staff"]}}


def password_form(c: Ctx) -> dict:
    return {"form": {"current": DEMO_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}}


def form(**data: Any) -> Callable[[Ctx], dict]:
    return lambda c: {"form": dict(data)}


def json_body(**data: Any) -> Callable[[Ctx], dict]:
    return lambda c: {"json": dict(data)}


def record_fields(title: str = "矩阵窗口受理") -> dict[str, str]:
    """A record of work that ended an hour ago (aware times: the forms keep a given offset)."""
    ended = datetime.now(UTC) - timedelta(hours=1)
    return {"title": title, "started_at": (ended - timedelta(hours=2)).isoformat(), "ended_at": ended.isoformat(),
            "stage_result": STAGE}


def record_form(c: Ctx) -> dict:
    return {"form": record_fields()}


def record_for_staff_form(c: Ctx) -> dict:
    return {"form": {**record_fields("矩阵代为记录"), "staff_no": c.accounts["staff"]}}


def record_json(c: Ctx) -> dict:
    return {"json": record_fields()}


def record_for_staff_json(c: Ctx) -> dict:
    return {"json": {**record_fields("矩阵代为记录"), "staff_no": c.accounts["staff"]}}


def record_edit_form(c: Ctx) -> dict:
    return {"form": record_fields("矩阵修改后的窗口受理")}


def record_edit_json(c: Ctx) -> dict:
    return {"json": record_fields("矩阵修改后的窗口受理")}


def review_form(c: Ctx) -> dict:
    return {"form": {"record_ids": str(c.ids["record"]), "action": "confirm"}}


def review_json(c: Ctx) -> dict:
    return {"json": {"record_ids": [c.ids["record"]], "action": "confirm"}}


def review_entered_form(c: Ctx) -> dict:
    return {"form": {"record_ids": str(c.ids["entered"]), "action": "confirm"}}


def review_entered_json(c: Ctx) -> dict:
    return {"json": {"record_ids": [c.ids["entered"]], "action": "confirm"}}


def evidence_file(c: Ctx) -> dict:
    return {"files": {"file": ("证明.png", PNG, "image/png")}}


def month_close_form(c: Ctx) -> dict:
    """政务服务一科's month of two months ago: ended, and with nothing waiting for a leader."""
    first = datetime.now(UNIT_ZONE).replace(day=1)
    month = ((first - timedelta(days=1)).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return {"form": {"department_id": str(c.ids["zw1"]), "month": month,
                     "summary": "本月窗口受理工作全部按期完成，群众满意度保持高位。"}}


def history_file(c: Ctx) -> dict:
    """Past results of staff for a quarter kaohe never ran, replacing any earlier import of it."""
    text = f"工号,年度,季度,记录得分,指标得分,季度得分\n{c.accounts['staff']},2019,4,80,85,83.5\n"
    return {"files": {"file": ("history.csv", text.encode(), "text/csv")}, "form": {"replace": "1"}}


def records_file(c: Ctx) -> dict:
    day = f"{c.year - 1}-03-02"
    text = (f"工号,工作事项,开始时间,结束时间,阶段成果\n"
            f"{c.accounts['staff']},矩阵导入{c.uniq},{day} 09:00,{day} 11:00,{STAGE}\n")
    return {"files": {"file": ("records.csv", text.encode(), "text/csv")}}


def _task(c: Ctx, staff_no: str) -> dict[str, str]:
    return {"staff_no": staff_no, "year": str(c.year), "code": f"M{c.uniq}", "title": "矩阵重点任务"}


def task_form(c: Ctx) -> dict:
    return {"form": _task(c, c.accounts["staff"])}


def own_task_form(c: Ctx) -> dict:
    """A task for the caller's own task book (the admin account has none)."""
    return {"form": _task(c, c.accounts.get(c.role, ""))}


def task_json(c: Ctx) -> dict:
    return {"json": {**_task(c, c.accounts["staff"]), "year": c.year}}


def progress_file(c: Ctx) -> dict:
    assert c.ids["task"]
    text = f"年度,任务编号,进度,说明\n{c.year},{TASK_CODE},40,矩阵进度\n"
    return {"files": {"file": ("progress.csv", text.encode(), "text/csv")}}


def progress_json(c: Ctx) -> dict:
    assert c.ids["task"]
    return {"json": [{"year": c.year, "code": TASK_CODE, "progress": 40, "note": "矩阵进度"}]}


def scheme_draft_form(c: Ctx) -> dict:
    return {"form": {"year": str(c.year + FUTURE_YEARS), "note": "矩阵草稿"}}


def scheme_import_form(c: Ctx) -> dict:
    return {"form": {"year": str(c.year + FUTURE_YEARS), "note": "矩阵导入", "text": c.world.scheme_text()}}


def scheme_edit_form(c: Ctx) -> dict:
    return {"form": {"note": "矩阵修改"}}


def scheme_yaml_form(c: Ctx) -> dict:
    return {"form": {"yaml_text": c.world.scheme_text()}}


def scheme_import_json(c: Ctx) -> dict:
    return {"json": {"text": c.world.scheme_text(), "note": "矩阵导入"}}


def metrics_file(c: Ctx) -> dict:
    text = f"工号,出勤率\n{c.accounts['staff']},98%\n"
    return {"form": {"source": "attendance_system", "quarter": "2026-Q3", "replace": "1"},
            "files": {"file": ("attendance.csv", text.encode(), "text/csv")}}


def metrics_json(c: Ctx) -> dict:
    return {"json": {"source": "attendance_system", "year": 2026, "quarter": 3, "replace": True,
                     "items": [{"employee_no": c.accounts["staff"], "indicator_code": "QIN.1.1", "value": 98}]}}


def quarter_open_json(c: Ctx) -> dict:
    """A year no other row opens: the page's row opens {future}."""
    return {"json": {"year": c.year + FUTURE_YEARS + 1}}


# --- the table ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    method: str
    path: str  # {staff}, {staff2}, {leader}: those accounts' staff records; {me}: the caller's own;
    #            {zw1}: 政务服务一科; {user}: staff2's account; {token}: the caller's own API token;
    #            {others_token}: staff's token; {record}: a record staff entered about themself, waiting
    #            for the leader; {evidence}: a file on it; {entered}: a record of staff's that the leader
    #            entered for them, waiting too; {version}: a draft of this year's scheme;
    #            {year}: this year; {future}: a year without a scheme; {missing}: nothing at all
    expect: str  # one word per entry of COLUMNS
    ok: int | tuple[int, ...] = 200
    body: Callable[[Ctx], dict] | None = None
    # What an allowed call does to the data: "adds" new rows only (unique per case, invisible to the
    # other cases, so it runs on the shared database) or "changes" existing ones (sessions, passwords,
    # roles, records the other cases look at: it runs on a database of its own).
    writes: str = ""
    to: str | None = None  # where an allowed 303 must lead, when it matters
    label: str = ""  # tells apart rows of one endpoint with different bodies
    # Messages (catalogue keys) a refusal may show besides common.forbidden.
    refusal: tuple[str, ...] = ()
    # Where the code knowingly answers otherwise: (role, what it answers today, why).
    known: tuple[tuple[str, str, str], ...] = ()

    def actual(self, role: str) -> str:
        """What the code answers `role` today: the table's word unless listed under `known`."""
        for who, word, _why in self.known:
            if who == role:
                return word
        return self.expect.split()[COLUMNS.index(role)]


# Row patterns for the ten accounts; each row of the table appends the anonymous visitor's word.
#   columns:   admin hr  leader dept_head liaison committee inspector staff_rep staff staff2
ALL = "ok  ok  ok  ok  ok  ok  ok  ok  ok  ok"
HR = "ok  ok  403 403 403 403 403 403 403 403"  # also the scheme's writers and the record import
ADMIN = "ok  403 403 403 403 403 403 403 403 403"
AUDIT = "ok  ok  403 403 403 403 ok  403 403 403"
# Roster export: hr, the inspector, and those who see a part of the unit (at their own scope). The
# committee account also holds the leader role (the 主任 is the 分管领导 of the leadership team).
EXPORT = "ok  ok  ok  ok  ok  ok  ok  403 403 403"
NONE_FOUND = "404 404 404 404 404 404 404 404 404 404"

SEE_SELF = "404 ok  ok  ok  ok  ok  ok  ok  ok  ok"  # one's own record (the admin account has none)
SEE_STAFF = "ok  ok  ok  ok  ok  ok  ok  404 ok  404"  # 政务服务一科科员: leader supervises, dept's own
SEE_STAFF2 = "ok  ok  404 404 404 ok  ok  404 404 ok"  # 信息技术科 engineer: another leader, another dept
SEE_LEADER = "ok  ok  ok  404 404 ok  ok  404 404 404"  # the 副主任 in the leadership team
OTHERS_TOKEN = "ok  404 404 404 404 404 404 404 ok  404"  # a token of staff's: its owner and admin

# Daily records ({record} is staff's own record, waiting for the leader).
OWN_RECORD = "422 ok  ok  ok  ok  ok  ok  ok  ok  ok"  # everyone with a staff record enters their own
FOR_STAFF = "ok  ok  ok  ok  ok  404 404 404 ok  404"  # on staff's behalf: their leader, department, hr, admin
AUTHOR = "403 403 403 403 403 403 403 404 ok  404"  # only the author edits; who cannot see it finds nothing
ENTERER = "403 403 ok  403 403 403 403 404 ok  404"  # ... or whoever entered it for them (the leader)
REVIEW_QUEUE = "403 403 ok  403 403 ok  403 403 403 403"  # leaders (the committee leads the leader)
REVIEW = "403 403 ok  403 403 422 403 403 403 403"  # staff's record: only staff's own 分管领导 (R4)
REVIEW_OWN_ENTRY = "403 403 422 403 403 422 403 403 403 403"  # nobody confirms what they entered themself
CLOSE_MONTH = "403 403 403 ok  403 403 403 403 403 403"  # 政务服务一科's head closes its month (R4)
SIGNALS = "ok  ok  ok  ok  403 ok  ok  403 403 403"
LEDGER = "ok  ok  403 403 403 403 ok  403 403 403"
TASKS_FOR_STAFF = "ok  ok  ok  403 403 403 403 403 403 403"  # hr, admin and staff's 分管领导
OWN_TASKS = "403 403 403 403 403 403 403 403 403 403"  # nobody sets their own task book, hr included
PROGRESS = "ok  ok  ok  403 403 422 403 403 403 403"  # progress of staff's task: those who set it
# Quarterly cycles: hr opens and moves quarters (not admin: the appraisal office's duty); leaders, heads,
# the committee, the inspector and admin read where they stand. {quarter}: this year's first quarter,
# not started; {closed_quarter}: its second, closed.
QUARTER_READ = "ok  ok  ok  ok  403 ok  ok  403 403 403"
QUARTER_HR = "403 ok  403 403 403 403 403 403 403 403"
QUARTER_NONE = "404 404 404 404 403 404 404 403 403 403"  # a year nobody opened
# Quarterly results: everyone signed in opens the list (empty until they may see results); only hr computes,
# ({rating_quarter}: this year's third quarter, moved into its rating phase).
COMPUTE = "403 ok  403 403 403 403 403 403 403 403"
NOTHING_COMPUTED = "404 404 404 404 404 404 404 404 404 404"
# Metric collection: hr (and admin) import and map; hr and the inspector read the completeness view.
METRICS_READ = "ok  ok  403 403 403 403 ok  403 403 403"
# Ratings: who rated whom is read by hr and the inspector only (not admin); hr proposes, adjusts, invites.
# Everyone rates only the forms assigned to them ({missing}: nobody's); a recipient's link needs no account.
RATINGS_READ = "403 ok  403 403 403 403 ok  403 403 403"
RATINGS_HR = "403 ok  403 403 403 403 403 403 403 403"
RATINGS_HR_MISSING = "403 404 403 403 403 403 403 403 403 403"
# Quarterly warnings ({warning}: staff's, raised in last year's third quarter): hr and the inspector see every
# warning, staff's 分管领导 and staff their own; hr and the leader handle it (not admin, not the inspector).
WARNING_SEE = "404 ok  ok  404 404 404 ok  404 ok  404"
WARNING_HANDLE = "403 ok  ok  403 403 404 403 403 403 403"
WARNING_HANDLE_MISSING = "403 404 404 403 403 404 403 403 403 403"
# Written feedback: the personal appraisal file of staff shows to staff, their 分管领导, hr and the inspector;
# {closed_quarter} has no results, so its feedback is nobody's to open; drafting is refused to those who see
# staff but do not lead them, signing to everyone but the leader, answering to everyone but the person.
FEEDBACK_FILE = "404 ok  ok  404 404 404 ok  404 ok  404"
FEEDBACK_DRAFT = "403 404 404 403 403 403 403 404 403 404"
FEEDBACK_SIGN = "403 403 404 403 403 403 403 404 403 404"
FEEDBACK_ANSWER = "404 403 403 404 404 404 403 404 404 404"
FEEDBACK_TEXT = {"strengths": "矩阵优点", "weaknesses": "矩阵不足", "goals": "矩阵目标", "measures": "矩阵措施"}


def rater_add(c: Ctx) -> dict:
    return {"staff_no": c.accounts["staff"], "group": "experts", "rater_no": c.accounts["staff2"], "reason": "矩阵专家"}

PAGES: list[Row] = [
    Row("GET", "/healthz", ALL + " ok"),
    Row("GET", "/api/v1/openapi.json", ALL + " ok"),
    Row("GET", "/login", ALL + " ok", ok=(200, 303)),
    Row("POST", "/login", ALL + " ok", ok=303),
    Row("POST", "/logout", ALL + " login", ok=303, writes="changes", to="/login"),
    Row("GET", "/account/password", ALL + " login"),
    Row("POST", "/account/password", ALL + " login", body=password_form, writes="changes"),
    Row("GET", "/account/tokens", ALL + " login"),
    Row("POST", "/account/tokens", ALL + " login", body=form(name="matrix"), writes="adds"),
    Row("POST", "/account/tokens/{token}/revoke", ALL + " login", ok=303, writes="changes"),
    Row("POST", "/account/tokens/{others_token}/revoke", OTHERS_TOKEN + " login", ok=303, writes="changes"),
    Row("GET", "/", ALL + " login"),
    Row("GET", "/staff", ALL + " login"),
    Row("GET", "/staff/{me}", SEE_SELF + " login"),
    Row("GET", "/staff/{staff}", SEE_STAFF + " login"),
    Row("GET", "/staff/{staff2}", SEE_STAFF2 + " login"),
    Row("GET", "/staff/{leader}", SEE_LEADER + " login"),
    Row("GET", "/staff/{missing}", NONE_FOUND + " login"),
    Row("GET", "/staff/new", HR + " login"),
    Row("POST", "/staff/new", HR + " login", ok=303, body=staff_form, writes="adds"),
    Row("GET", "/staff/{staff}/edit", HR + " login"),
    Row("POST", "/staff/{staff}/edit", HR + " login", ok=303, body=staff_edit_form, writes="changes"),
    Row("POST", "/staff/{staff}/status", HR + " login", ok=303, body=form(status="inactive"), writes="changes"),
    Row("GET", "/departments", ALL + " login"),
    Row("GET", "/departments/new", HR + " login"),
    Row("POST", "/departments/new", HR + " login", ok=303, body=department_form, writes="adds"),
    Row("GET", "/departments/{zw1}/edit", HR + " login"),
    Row("POST", "/departments/{zw1}/edit", HR + " login", ok=303, body=department_edit_form, writes="changes"),
    Row("GET", "/roster/import", HR + " login"),
    Row("POST", "/roster/import", HR + " login", body=roster_file, writes="adds"),
    Row("GET", "/roster/export", EXPORT + " login"),
    Row("GET", "/audit", AUDIT + " login"),
    Row("GET", "/calendar", ALL + " login"),
    Row("POST", "/calendar/import", HR + " login", body=calendar_file, writes="adds"),
    Row("POST", "/calendar/seed", HR + " login", writes="adds"),
    Row("POST", "/calendar/days", HR + " login", ok=303, body=calendar_day_form, writes="adds"),
    Row("GET", "/admin/users", ADMIN + " login"),
    Row("POST", "/admin/users", ADMIN + " login", ok=303, body=user_form, writes="adds"),
    Row("POST", "/admin/users/{user}/roles", ADMIN + " login", ok=303, body=form(roles=["staff"]), writes="changes"),
    Row("POST", "/admin/users/{user}/active", ADMIN + " login", ok=303, body=form(active="0"), writes="changes"),
    Row("POST", "/admin/users/{user}/reset-password", ADMIN + " login", writes="changes"),
    # The scheme.
    Row("GET", "/scheme", ALL + " login"),
    Row("GET", "/scheme/mine", ALL + " login"),
    Row("GET", "/scheme/compare", ALL + " login"),
    Row("GET", "/scheme/versions/{version}", ALL + " login"),
    Row("GET", "/scheme/versions/{missing}", NONE_FOUND + " login"),
    Row("GET", "/scheme/versions/{version}/export", ALL + " login"),
    Row("GET", "/scheme/versions/{version}/edit", HR + " login"),
    Row("POST", "/scheme/versions/{version}/edit", HR + " login", ok=303, body=scheme_edit_form, writes="changes"),
    Row("POST", "/scheme/versions/{version}/yaml", HR + " login", ok=303, body=scheme_yaml_form, writes="changes"),
    Row("POST", "/scheme/versions/{version}/publish", HR + " login", ok=303, writes="changes"),
    Row("POST", "/scheme/drafts", HR + " login", ok=303, body=scheme_draft_form, writes="adds"),
    Row("POST", "/scheme/import", HR + " login", ok=303, body=scheme_import_form, writes="adds"),
    # Daily records.
    Row("GET", "/records", ALL + " login"),
    Row("POST", "/records", OWN_RECORD + " login", ok=303, body=record_form, writes="adds", label="own"),
    Row("POST", "/records", FOR_STAFF + " login", ok=303, body=record_for_staff_form, writes="adds",
        label="for-staff"),
    Row("GET", "/records/{record}", SEE_STAFF + " login"),
    Row("GET", "/records/{missing}", NONE_FOUND + " login"),
    Row("GET", "/records/{record}/edit", AUTHOR + " login", refusal=("records.only_author_edits",)),
    Row("POST", "/records/{record}/edit", AUTHOR + " login", ok=303, body=record_edit_form, writes="changes",
        refusal=("records.only_author_edits",)),
    Row("POST", "/records/{record}/evidence", AUTHOR + " login", ok=303, body=evidence_file, writes="adds",
        refusal=("records.only_author_edits",)),
    Row("GET", "/records/{entered}", SEE_STAFF + " login"),
    Row("GET", "/records/{entered}/edit", ENTERER + " login", refusal=("records.only_author_edits",)),
    Row("POST", "/records/{entered}/edit", ENTERER + " login", ok=303, body=record_edit_form, writes="changes",
        refusal=("records.only_author_edits",)),
    Row("POST", "/records/{entered}/evidence", ENTERER + " login", ok=303, body=evidence_file, writes="adds",
        refusal=("records.only_author_edits",)),
    Row("GET", "/records/evidence/{evidence}", SEE_STAFF + " login"),
    Row("GET", "/records/evidence/{missing}", NONE_FOUND + " login"),
    Row("GET", "/records/review", REVIEW_QUEUE + " login"),
    Row("POST", "/records/review", REVIEW + " login", body=review_form, writes="changes"),
    Row("POST", "/records/review", REVIEW_OWN_ENTRY + " login", body=review_entered_form, writes="changes",
        label="entered"),
    Row("GET", "/records/month", ALL + " login"),
    Row("POST", "/records/month/close", CLOSE_MONTH + " login", ok=303, body=month_close_form, writes="changes"),
    Row("GET", "/records/scores", ALL + " login"),
    Row("GET", "/records/reminders", ALL + " login"),
    Row("GET", "/todo", ALL + " login"),
    Row("GET", "/todo/badge", ALL + " login"),
    Row("GET", "/records/signals", SIGNALS + " login"),
    Row("GET", "/records/import", HR + " login"),
    Row("POST", "/records/import", HR + " login", body=records_file, writes="adds"),
    Row("GET", "/ledger", LEDGER + " login"),
    Row("GET", "/tasks", ALL + " login"),
    Row("GET", "/tasks?staff_id={staff}", SEE_STAFF + " login"),
    Row("GET", "/tasks?staff_id={staff2}", SEE_STAFF2 + " login"),
    Row("POST", "/tasks", TASKS_FOR_STAFF + " login", ok=303, body=task_form, writes="adds",
        refusal=("records.tasks_forbidden",), label="for-staff"),
    Row("POST", "/tasks", OWN_TASKS + " login", ok=303, body=own_task_form, writes="adds",
        refusal=("records.tasks_forbidden",), label="own"),
    Row("POST", "/tasks/progress", PROGRESS + " login", body=progress_file, writes="changes"),
    # Quarterly cycles.
    Row("GET", "/quarterly", QUARTER_READ + " login"),
    Row("POST", "/quarterly/open", QUARTER_HR + " login", ok=303, body=lambda c: {"form": {"year": str(c.ids["future"])}},
        writes="adds"),
    Row("GET", "/quarterly/{year}/{quarter}", QUARTER_READ + " login"),
    Row("GET", "/quarterly/2099/1", QUARTER_NONE + " login"),
    Row("GET", "/quarterly/{year}/{quarter}/results", ALL + " login"),
    Row("GET", "/quarterly/2099/1/results", NOTHING_COMPUTED + " login"),
    Row("GET", "/quarterly/{year}/{quarter}/results.xlsx", ALL + " login"),
    Row("GET", "/quarterly/{year}/{quarter}/results/{staff}", NOTHING_COMPUTED + " login"),
    Row("POST", "/quarterly/{year}/{rating_quarter}/compute", COMPUTE + " login", ok=303, writes="adds"),
    Row("GET", "/quarterly/history", QUARTER_HR + " login"),
    Row("POST", "/quarterly/history", QUARTER_HR + " login", body=history_file, writes="adds"),
    Row("GET", "/warnings", ALL + " login"),
    Row("GET", "/warnings/{warning}", WARNING_SEE + " login"),
    Row("GET", "/warnings/{missing}", NONE_FOUND + " login"),
    Row("POST", "/warnings/{warning}/handle", WARNING_HANDLE + " login", ok=303, body=form(note="矩阵：已谈话"),
        writes="changes"),
    Row("POST", "/warnings/{missing}/handle", WARNING_HANDLE_MISSING + " login", body=form(note="矩阵：已谈话")),
    Row("POST", "/quarterly/{year}/{quarter}/advance", QUARTER_HR + " login", ok=303, body=form(from_phase="pending"),
        writes="changes"),
    Row("POST", "/quarterly/{year}/{closed_quarter}/reopen", QUARTER_HR + " login", ok=303,
        body=form(reason="矩阵：数据有误需重审"), writes="changes"),
    # Metric collection; a person's values follow staff.read (a leader's people, staff themselves).
    Row("GET", "/metrics", METRICS_READ + " login"),
    Row("GET", "/metrics/import", HR + " login"),
    Row("POST", "/metrics/import", HR + " login", ok=303, body=metrics_file, writes="changes"),
    Row("GET", "/metrics/sources/attendance_system/mapping", HR + " login"),
    Row("POST", "/metrics/sources/attendance_system/mapping", HR + " login", ok=303, writes="changes",
        body=form(employee_column="工号", **{"column:QIN.1.1": "出勤率"})),
    Row("POST", "/metrics/collect-records", HR + " login", ok=303, body=form(quarter="2026-Q3"), writes="changes"),
    Row("GET", "/metrics/staff/{me}", SEE_SELF + " login"),
    Row("GET", "/metrics/staff/{staff}", SEE_STAFF + " login"),
    Row("GET", "/metrics/staff/{staff2}", SEE_STAFF2 + " login"),
    Row("GET", "/metrics/staff/{missing}", NONE_FOUND + " login"),
    Row("GET", "/ratings", ALL + " login"),
    Row("GET", "/ratings/{missing}/form", NONE_FOUND + " login"),
    Row("POST", "/ratings/{missing}/form", NONE_FOUND + " login", body=form(action="draft")),
    Row("GET", "/ratings/{year}/{quarter}", RATINGS_READ + " login"),
    Row("POST", "/ratings/{year}/{quarter}/propose", RATINGS_HR + " login", ok=303, writes="changes"),
    Row("POST", "/ratings/{year}/{quarter}/raters", RATINGS_HR + " login", ok=303, writes="changes",
        body=lambda c: {"form": rater_add(c)}),
    Row("POST", "/ratings/{year}/{quarter}/raters/{missing}/remove", RATINGS_HR_MISSING + " login",
        body=form(reason="矩阵")),
    Row("POST", "/ratings/{year}/{quarter}/invitations", RATINGS_HR + " login", writes="adds",
        body=lambda c: {"form": {"staff_no": c.accounts["staff"]}}),
    Row("GET", "/ratings/{year}/{quarter}/staff/{me}", SEE_SELF + " login"),
    Row("GET", "/ratings/{year}/{quarter}/staff/{missing}", NONE_FOUND + " login"),
    Row("GET", "/r/not-a-token", ALL + " ok", ok=410),
    Row("POST", "/r/not-a-token", ALL + " ok", ok=410, body=form()),
    Row("GET", "/feedback", ALL + " login"),
    Row("GET", "/feedback/file/me", SEE_SELF + " login"),
    Row("GET", "/feedback/file/{staff}", FEEDBACK_FILE + " login"),
    Row("GET", "/feedback/file/{missing}", NONE_FOUND + " login"),
    Row("GET", "/feedback/{year}/{closed_quarter}/{staff}", NOTHING_COMPUTED + " login"),
    Row("POST", "/feedback/{year}/{closed_quarter}/{staff}", FEEDBACK_DRAFT + " login", body=form(**FEEDBACK_TEXT),
        refusal=("feedback.not_leader", "feedback.not_own")),
    Row("POST", "/feedback/{year}/{closed_quarter}/{staff}/sign", FEEDBACK_SIGN + " login", body=form(),
        refusal=("feedback.only_leader_signs", "feedback.not_own")),
    Row("POST", "/feedback/{year}/{closed_quarter}/{staff}/answer", FEEDBACK_ANSWER + " login",
        body=form(action="acknowledge"), refusal=("feedback.only_person_answers",)),
]

API: list[Row] = [
    Row("GET", "/api/v1/me", ALL + " 401"),
    Row("GET", "/api/v1/todo", ALL + " 401"),
    Row("GET", "/api/v1/departments", ALL + " 401"),
    Row("POST", "/api/v1/departments", HR + " 401", ok=201, body=department_json, writes="adds"),
    Row("PUT", "/api/v1/departments/{zw1}", HR + " 401", body=department_update_json, writes="changes"),
    Row("GET", "/api/v1/staff", ALL + " 401"),
    Row("GET", "/api/v1/staff/{me}", SEE_SELF + " 401"),
    Row("GET", "/api/v1/staff/{staff}", SEE_STAFF + " 401"),
    Row("GET", "/api/v1/staff/{staff2}", SEE_STAFF2 + " 401"),
    Row("GET", "/api/v1/staff/{leader}", SEE_LEADER + " 401"),
    Row("GET", "/api/v1/staff/{missing}", NONE_FOUND + " 401"),
    Row("POST", "/api/v1/staff", HR + " 401", ok=201, body=staff_json, writes="adds"),
    Row("PUT", "/api/v1/staff/{staff}", HR + " 401", body=staff_update_json, writes="changes"),
    Row("POST", "/api/v1/staff/{staff}/deactivate", HR + " 401", writes="changes"),
    Row("POST", "/api/v1/staff/{staff}/activate", HR + " 401", writes="changes"),
    Row("POST", "/api/v1/staff/import", HR + " 401", body=roster_file, writes="adds"),
    Row("GET", "/api/v1/staff-export", EXPORT + " 401"),
    Row("GET", "/api/v1/users", ADMIN + " 401"),
    Row("POST", "/api/v1/users", ADMIN + " 401", ok=201, body=user_json, writes="adds"),
    Row("PUT", "/api/v1/users/{user}/roles", ADMIN + " 401", body=json_body(roles=["staff"]), writes="changes"),
    Row("POST", "/api/v1/users/{user}/reset-password", ADMIN + " 401", writes="changes"),
    Row("GET", "/api/v1/tokens", ALL + " 401"),
    Row("POST", "/api/v1/tokens", ALL + " 401", ok=201, body=json_body(name="matrix"), writes="adds"),
    Row("DELETE", "/api/v1/tokens/{token}", ALL + " 401", ok=204, writes="changes"),
    Row("DELETE", "/api/v1/tokens/{others_token}", OTHERS_TOKEN + " 401", ok=204, writes="changes"),
    Row("GET", "/api/v1/audit", AUDIT + " 401"),
    Row("GET", "/api/v1/calendar/workday?day=2026-10-01", ALL + " 401"),
    Row("GET", "/api/v1/calendar/deadline?start=2026-09-30T09:00:00&working_days=3", ALL + " 401"),
    Row("POST", "/api/v1/calendar/import?year=2027", HR + " 401", body=calendar_file_only, writes="adds"),
    # The scheme.
    Row("GET", "/api/v1/schemes?year={year}", ALL + " 401"),
    Row("GET", "/api/v1/schemes/versions/{version}", ALL + " 401"),
    Row("GET", "/api/v1/schemes/versions/{missing}", NONE_FOUND + " 401"),
    Row("GET", "/api/v1/schemes/versions/{version}/yaml", ALL + " 401"),
    Row("GET", "/api/v1/schemes/{year}/current", ALL + " 401"),
    Row("POST", "/api/v1/schemes/{future}/drafts", HR + " 401", ok=201, body=scheme_import_json, writes="adds"),
    Row("PATCH", "/api/v1/schemes/versions/{version}", HR + " 401", body=json_body(edits=[]), writes="changes"),
    Row("POST", "/api/v1/schemes/versions/{version}/publish", HR + " 401", writes="changes"),
    Row("POST", "/api/v1/schemes/{year}/freeze", HR + " 401", writes="changes"),
    # Daily records.
    Row("GET", "/api/v1/records", ALL + " 401"),
    Row("POST", "/api/v1/records", OWN_RECORD + " 401", ok=201, body=record_json, writes="adds", label="own"),
    Row("POST", "/api/v1/records", FOR_STAFF + " 401", ok=201, body=record_for_staff_json, writes="adds",
        label="for-staff"),
    Row("GET", "/api/v1/records/{record}", SEE_STAFF + " 401"),
    Row("GET", "/api/v1/records/{missing}", NONE_FOUND + " 401"),
    Row("PUT", "/api/v1/records/{record}", AUTHOR + " 401", body=record_edit_json, writes="changes",
        refusal=("records.only_author_edits",)),
    Row("PUT", "/api/v1/records/{entered}", ENTERER + " 401", body=record_edit_json, writes="changes",
        refusal=("records.only_author_edits",)),
    Row("POST", "/api/v1/records/review", REVIEW + " 401", body=review_json, writes="changes"),
    Row("POST", "/api/v1/records/review", REVIEW_OWN_ENTRY + " 401", body=review_entered_json, writes="changes",
        label="entered"),
    Row("GET", "/api/v1/tasks?staff_id={staff}&year={year}", SEE_STAFF + " 401"),
    Row("POST", "/api/v1/tasks", TASKS_FOR_STAFF + " 401", ok=201, body=task_json, writes="adds",
        refusal=("records.tasks_forbidden",)),
    Row("POST", "/api/v1/tasks/progress", PROGRESS + " 401", body=progress_json, writes="changes"),
    Row("GET", "/api/v1/ledger/verify", LEDGER + " 401"),
    # Quarterly cycles.
    Row("GET", "/api/v1/quarters", QUARTER_READ + " 401"),
    Row("POST", "/api/v1/quarters", QUARTER_HR + " 401", ok=201, body=quarter_open_json, writes="adds"),
    Row("GET", "/api/v1/quarters/{year}/{quarter}", QUARTER_READ + " 401"),
    Row("GET", "/api/v1/quarters/2099/1", QUARTER_NONE + " 401"),
    Row("GET", "/api/v1/quarters/{year}/{quarter}/results", ALL + " 401"),
    Row("GET", "/api/v1/warnings", ALL + " 401"),
    Row("GET", "/api/v1/warnings/{warning}", WARNING_SEE + " 401"),
    Row("GET", "/api/v1/warnings/{missing}", NONE_FOUND + " 401"),
    Row("POST", "/api/v1/warnings/{warning}/handle", WARNING_HANDLE + " 401", body=json_body(note="矩阵：已谈话"),
        writes="changes"),
    Row("POST", "/api/v1/warnings/{missing}/handle", WARNING_HANDLE_MISSING + " 401",
        body=json_body(note="矩阵：已谈话")),
    Row("POST", "/api/v1/quarters/{year}/{rating_quarter}/compute", COMPUTE + " 401", body=json_body(),
        writes="adds"),
    Row("POST", "/api/v1/quarters/{year}/{quarter}/advance", QUARTER_HR + " 401", body=json_body(from_phase="pending"),
        writes="changes"),
    Row("POST", "/api/v1/quarters/{year}/{closed_quarter}/reopen", QUARTER_HR + " 401",
        body=json_body(reason="矩阵：数据有误需重审"), writes="changes"),
    # Metric collection.
    Row("POST", "/api/v1/metrics", HR + " 401", ok=201, body=metrics_json, writes="changes"),
    Row("GET", "/api/v1/metrics?year=2026&quarter=3", ALL + " 401"),
    Row("GET", "/api/v1/ratings", ALL + " 401"),
    Row("GET", "/api/v1/ratings/{missing}", NONE_FOUND + " 401"),
    Row("POST", "/api/v1/ratings/{missing}", NONE_FOUND + " 401", body=json_body(marks={}, action="draft")),
    Row("GET", "/api/v1/quarters/{year}/{quarter}/raters", RATINGS_READ + " 401"),
    Row("POST", "/api/v1/quarters/{year}/{quarter}/raters/propose", RATINGS_HR + " 401", writes="changes"),
    Row("POST", "/api/v1/quarters/{year}/{quarter}/raters", RATINGS_HR + " 401", ok=201, writes="changes",
        body=lambda c: {"json": rater_add(c)}),
    Row("POST", "/api/v1/quarters/{year}/{quarter}/raters/{missing}/remove", RATINGS_HR_MISSING + " 401",
        body=json_body(reason="矩阵")),
    Row("POST", "/api/v1/quarters/{year}/{quarter}/invitations", RATINGS_HR + " 401", ok=201, writes="adds",
        body=lambda c: {"json": {"staff_no": c.accounts["staff"]}}),
    Row("GET", "/api/v1/feedback/{year}/{closed_quarter}/{staff}", NOTHING_COMPUTED + " 401"),
    Row("POST", "/api/v1/feedback/{year}/{closed_quarter}/{staff}", FEEDBACK_DRAFT + " 401",
        body=json_body(**FEEDBACK_TEXT), refusal=("feedback.not_leader", "feedback.not_own")),
    Row("POST", "/api/v1/feedback/{year}/{closed_quarter}/{staff}/sign", FEEDBACK_SIGN + " 401", body=json_body(),
        refusal=("feedback.only_leader_signs", "feedback.not_own")),
    Row("POST", "/api/v1/feedback/{year}/{closed_quarter}/{staff}/answer", FEEDBACK_ANSWER + " 401",
        body=json_body(action="acknowledge"), refusal=("feedback.only_person_answers",)),
]

WORDS = {"ok": "allow", "403": "deny", "404": "notfound", "422": "invalid", "login": "deny", "401": "deny"}


@dataclass(frozen=True)
class Case:
    role: str
    row: Row
    outcome: str  # a word of the table: what the role should get
    actual: str  # what the code answers today (the same unless the row lists it under `known`)

    @property
    def fresh(self) -> bool:
        """Run on a database of its own: an allowed change to existing data."""
        return self.row.writes == "changes" and "ok" in (self.outcome, self.actual)

    @property
    def id(self) -> str:
        label = f"[{self.row.label}]" if self.row.label else ""
        return f"{self.role}-{self.row.method}-{self.row.path}{label}-{WORDS[self.outcome]}"


def _cases() -> Iterator[Any]:
    for row in PAGES + API:
        words = row.expect.split()
        assert len(words) == len(COLUMNS), row
        for role, word in zip(COLUMNS, words, strict=True):
            assert word in (("ok", "login", "401") if role == "anon" else ("ok", "403", "404", "422")), (row, role)
            assert word != "login" or not row.path.startswith("/api/"), row
            assert word != "401" or row.path.startswith("/api/"), row
            case = Case(role, row, word, row.actual(role))
            why = [why for who, _word, why in row.known if who == role]
            marks = [pytest.mark.xfail(strict=True, reason=why[0])] if why else []
            yield pytest.param(case, id=case.id, marks=marks)


CASES = list(_cases())


# --- worlds: an app, its database and one signed-in client per account -------------------------

class Ids(dict):  # type: ignore[type-arg]
    """The world's ids by placeholder name; records, evidence, tasks and scheme drafts are made on first use."""

    def __init__(self, world: "World") -> None:
        super().__init__()
        self.world = world

    def __missing__(self, name: str) -> int:
        value = self.world.arrange(name)
        self[name] = value
        return value


class World:
    def __init__(self, app: Any, db: Session, accounts: dict[str, str],
                 sign_in: Callable[[str], Client], anon: Client) -> None:
        self.app, self.db, self.accounts = app, db, accounts
        self._sign_in = sign_in
        self._clients: dict[str, Client] = {"anon": anon}
        self._texts: dict[str, str] = {}
        if not anon.csrf:
            anon.get("/healthz")
            anon.csrf = anon.cookies.get("kaohe_csrf") or ""
        staff_no = {role: accounts[role] for role in ("staff", "staff2", "leader")}
        by_no = dict(self.db.execute(select(Staff.employee_no, Staff.id)
                                     .where(Staff.employee_no.in_(list(staff_no.values())))).all())
        self.ids = Ids(self)
        self.ids.update({role: by_no[no] for role, no in staff_no.items()})
        self.ids["zw1"] = self.db.scalar(select(Department.id).where(Department.code == "ZW1"))
        self.ids["user"] = self._user(accounts["staff2"]).id
        self.ids["missing"] = MISSING_ID
        self.ids["year"] = datetime.now(UNIT_ZONE).year
        self.ids["future"] = self.ids["year"] + FUTURE_YEARS
        self.db.commit()  # end the read transaction: the app writes to this database too

    def _user(self, username: str) -> User:
        user = self.db.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return user

    def client(self, role: str) -> Client:
        if role not in self._clients:
            self._clients[role] = self._sign_in(role)
        return self._clients[role]

    def arrange(self, name: str) -> int:
        """Make what a placeholder names, through the app as its people would (so no module layout is assumed)."""
        if name == "record":
            staff = self.client("staff")
            made = staff.post("/api/v1/records", json=record_fields("矩阵：本人的窗口记录"),
                              headers={"X-CSRF-Token": staff.csrf})
            assert made.status_code == 201, made.text
            return int(made.json()["id"])
        if name == "entered":
            leader = self.client("leader")
            made = leader.post("/api/v1/records", headers={"X-CSRF-Token": leader.csrf}, json={
                **record_fields("矩阵：分管领导代为记录"), "staff_no": self.accounts["staff"]})
            assert made.status_code == 201, made.text
            return int(made.json()["id"])
        if name == "evidence":
            staff, record = self.client("staff"), self.ids["record"]
            sent = staff.post(f"/records/{record}/evidence", data={"csrf_token": staff.csrf},
                              files={"file": ("现场照片.png", PNG, "image/png")}, follow_redirects=False)
            assert sent.status_code == 303, sent.text
            found = re.findall(r'href="/records/evidence/(\d+)"', staff.get(f"/records/{record}").text)
            assert found, "the record page lists no evidence"
            return int(found[0])
        if name == "task":
            hr = self.client("hr")
            made = hr.post("/api/v1/tasks", headers={"X-CSRF-Token": hr.csrf}, json={
                "staff_no": self.accounts["staff"], "year": self.ids["year"], "code": TASK_CODE,
                "title": "一窗通办提质增效"})
            assert made.status_code == 201, made.text
            return int(made.json()["id"])
        if name == "version":
            hr = self.client("hr")
            made = hr.form("/scheme/drafts", {"year": str(self.ids["year"]), "note": "矩阵：本年度草稿"})
            assert made.status_code == 303, made.text
            found = re.fullmatch(r"/scheme/versions/(\d+)/edit(?:\?done=draft_created)?", made.headers["location"])
            assert found, made.headers["location"]
            return int(found.group(1))
        if name == "rating_quarter":  # the third quarter of the opened year, moved into its rating phase
            hr = self.client("hr")
            assert self.ids["quarter"]
            for _phase in range(2):
                moved = hr.post(f"/api/v1/quarters/{self.ids['year']}/3/advance", json={},
                                headers={"X-CSRF-Token": hr.csrf})
                assert moved.status_code == 200, moved.text
            return 3
        if name in ("quarter", "closed_quarter"):
            hr = self.client("hr")
            if name == "quarter":  # this year opened by the appraisal office: its first quarter, not started
                made = hr.post("/api/v1/quarters", json={"year": self.ids["year"]}, headers={"X-CSRF-Token": hr.csrf})
                assert made.status_code == 201, made.text
                return 1
            assert self.ids["quarter"]  # the second quarter, moved through every phase to closed
            for _phase in range(4):
                moved = hr.post(f"/api/v1/quarters/{self.ids['year']}/2/advance", json={},
                                headers={"X-CSRF-Token": hr.csrf})
                assert moved.status_code == 200, moved.text
            return 2
        if name == "warning":  # last year's third quarter computed with staff's task completion below 80
            hr, year = self.client("hr"), self.ids["year"] - 1
            headers = {"X-CSRF-Token": hr.csrf}
            made = hr.post("/api/v1/quarters", json={"year": year}, headers=headers)
            assert made.status_code == 201, made.text
            for _phase in range(2):
                moved = hr.post(f"/api/v1/quarters/{year}/3/advance", json={}, headers=headers)
                assert moved.status_code == 200, moved.text
            sent = hr.post("/api/v1/metrics", headers=headers, json={
                "source": "project_system", "year": year, "quarter": 3, "replace": True,
                "items": [{"employee_no": self.accounts["staff"], "indicator_code": "JI.M1.1", "value": 60}]})
            assert sent.status_code == 201, sent.text
            computed = hr.post(f"/api/v1/quarters/{year}/3/compute", json={}, headers=headers)
            assert computed.status_code == 200, computed.text
            found = [w["id"] for w in hr.get(f"/api/v1/warnings?year={year}&quarter=3").json()
                     if w["staff_id"] == self.ids["staff"]]
            assert found, "no warning was raised"
            return found[0]
        raise KeyError(name)

    def scheme_text(self) -> str:
        """The YAML of this year's draft, as the editor and the API hand it out."""
        if "version" not in self._texts:
            got = self.client("hr").get(f"/api/v1/schemes/versions/{self.ids['version']}/yaml")
            assert got.status_code == 200, got.text
            self._texts["version"] = got.text
        return self._texts["version"]

    def token_of(self, username: str, name: str) -> int:
        user = self._user(username)
        found = self.db.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == name))
        if found is None:
            _secret, row = auth_service.create_token(self.db, actor=auth_service.principal_for(user), name=name)
            found = row.id
        self.db.commit()
        return found

    def staff_of(self, role: str) -> int:
        """The caller's own staff record (MISSING_ID for the admin account, which has none)."""
        if role == "anon":
            return MISSING_ID
        return self._user(self.accounts[role]).staff_id or MISSING_ID

    def url(self, role: str, path: str) -> str:
        values = self.ids
        if "{token}" in path or "{others_token}" in path or "{me}" in path:
            values = Ids(self)
            values.update(self.ids)
            if "{me}" in path:
                values["me"] = self.staff_of(role)
            if "{token}" in path:
                values["token"] = MISSING_ID if role == "anon" else self.token_of(self.accounts[role], "matrix-own")
            if "{others_token}" in path:
                values["others_token"] = self.token_of(self.accounts["staff"], "matrix-others")
        return path.format_map(values)

    def fresh_client(self, role: str) -> Client:
        """A throw-away client carrying the same cookies, for calls that would change them."""
        source = self.client(role)
        client = Client(self.app, base_url="http://testserver")
        for name, value in source.cookies.items():
            client.cookies.set(name, value)
        client.csrf = source.csrf
        return client


@contextlib.contextmanager
def open_worlds(templates: dict, pg_server: Any, tmp_path_factory: pytest.TempPathFactory,
                accounts: dict[str, str]) -> Iterator[Callable[[str], World]]:
    """Worlds built on first use, one per backend: a demo database, its app and signed-in clients."""
    from kaohe.main import create_app

    worlds: dict[str, World] = {}
    cleanups: list[Callable[[], None]] = []

    def get(backend: str) -> World:
        if backend in worlds:
            return worlds[backend]
        if backend == "sqlite":
            target = Path(tmp_path_factory.mktemp("matrix")) / "demo.db"
            shutil.copy(templates["sqlite"]["demo"], target)
            url = f"sqlite:///{target}"
        else:
            name = f"matrix_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            url = pg_server.create(name, template=templates["postgresql"]["demo"])
            cleanups.append(lambda: pg_server.drop(name))
        app = create_app(Settings(database_url=url, environment="test", secret_key="x" * 40,
                                  demo_password=DEMO_PASSWORD))
        cleanups.append(app.state.engine.dispose)
        db = app.state.session_factory()
        cleanups.append(db.close)
        clients: list[Client] = []

        def sign_in(role: str) -> Client:
            user = db.scalar(select(User).where(User.username == accounts[role]))
            assert user is not None
            token, row = auth_service.open_session(db, app.state.settings, user=user, ip="testclient",
                                                   user_agent="pytest")
            db.commit()
            client = Client(app, base_url="http://testserver")
            client.cookies.set("kaohe_session", token)
            client.csrf = row.csrf_token
            clients.append(client)
            return client

        anon = Client(app, base_url="http://testserver")
        clients.append(anon)
        cleanups.append(lambda: [c.close() for c in clients])
        worlds[backend] = World(app, db, accounts, sign_in, anon)
        return worlds[backend]

    try:
        yield get
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


@pytest.fixture(scope="module")
def shared_worlds(templates: dict, pg_server: Any, tmp_path_factory: pytest.TempPathFactory,
                  accounts: dict[str, str]) -> Iterator[Callable[[str], World]]:
    """One demo database and app per backend, built on first use and shared by the read-only cases."""
    with open_worlds(templates, pg_server, tmp_path_factory, accounts) as get:
        yield get


_uniq = itertools.count()
# Page actions whose result is itself the message: signing in and out land on the page one asked for.
QUIET_POSTS = ("/login", "/logout",
               "/r/not-a-token")  # a dead rating link answers 410 with its Chinese page, for everyone


def _send(world: World, case: Case) -> Any:
    role, row = case.role, case.row
    url = world.url(role, row.path)
    ctx = Ctx(ids=world.ids, accounts=world.accounts, uniq=f"{uuid.uuid4().hex[:8]}{next(_uniq)}", role=role,
              world=world)
    body = row.body(ctx) if row.body else {}
    if row.method == "POST" and row.path == "/login":
        # Signing in sets a new session cookie: use a throw-away client so the shared one keeps its own.
        client = world.fresh_client(role)
        username = world.accounts["staff" if role == "anon" else role]
        try:
            return client.form("/login", {"username": username, "password": DEMO_PASSWORD})
        finally:
            client.close()
    client = world.client(role)
    if row.method == "GET":
        return client.get(url, follow_redirects=False)
    if url.startswith("/api/"):
        return client.request(row.method, url, json=body.get("json"), files=body.get("files"),
                              headers={"X-CSRF-Token": client.csrf}, follow_redirects=False)
    return client.post(url, data={"csrf_token": client.csrf, **body.get("form", {})}, files=body.get("files"),
                       follow_redirects=False)


@pytest.mark.parametrize("case", CASES)
def test_permission_matrix(case: Case, backend: str, shared_worlds: Callable[[str], World],
                           request: pytest.FixtureRequest, accounts: dict[str, str]) -> None:
    if case.fresh:
        anon: Client = request.getfixturevalue("anon")
        world = World(request.getfixturevalue("app"), request.getfixturevalue("db"), accounts,
                      request.getfixturevalue("client_as"), anon)
    else:
        world = shared_worlds(backend)
    response = _send(world, case)
    status, location = response.status_code, response.headers.get("location", "")
    what = f"{case.id}: got {status} {location} {response.text[:300]!r}"
    row = case.row
    if case.outcome == "ok":
        assert status in (row.ok if isinstance(row.ok, tuple) else (row.ok,)), what
        if status == 303:
            if row.to is not None:
                assert location == row.to, what
            else:
                assert not location.startswith(("/login", "/account/password")), what
        if row.method == "POST" and not row.path.startswith("/api/") and row.path not in QUIET_POSTS:
            # Every action that worked says so on the page it leads to.
            landing = response if status == 200 else world.client(case.role).get(location)
            assert '<div class="flash ok" role="status">' in landing.text, f"{what} → no success message"
    elif case.outcome == "login":
        assert status == 303, what
        assert location.startswith("/login?next="), what
    else:
        assert status == int(case.outcome), what
        # Refused by the permission check or the use case, not by the CSRF check.
        assert t("auth.csrf_failed") not in response.text, what
        if status == 403:
            assert any(t(key) in response.text for key in ("common.forbidden", *row.refusal)), what


# --- every route has a row ---------------------------------------------------------------------

# FastAPI's own documentation routes: not the project's endpoints.
UNLISTED = ("/api/docs", "/api/v1/openapi.json", "/docs/oauth2-redirect")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # the route's template, as declared: /records/{record_id}
    pattern: re.Pattern[str] = field(compare=False)

    @property
    def listed(self) -> bool:
        return not self.path.startswith("/static") and self.path not in UNLISTED


def endpoints(app: Any) -> list[Endpoint]:
    """Every (method, path) the app answers, in the order its router tries them (HEAD left out)."""
    try:  # FastAPI 0.137+ keeps included routers whole in app.routes; this walks into them
        from fastapi.routing import iter_route_contexts
        routes: list[Any] = list(iter_route_contexts(app.routes))
    except ImportError:
        routes = list(app.routes)
    out = []
    for route in routes:
        path, methods = getattr(route, "path", None), getattr(route, "methods", None)
        if path and methods:
            out += [Endpoint(m, path, compile_path(path)[0]) for m in sorted(methods) if m != "HEAD"]
    return out


def endpoint_of(routes: list[Endpoint], method: str, url: str) -> Endpoint | None:
    """The endpoint that answers `method` on `url` (a concrete path; any query is ignored)."""
    path = url.split("?")[0]
    return next((e for e in routes if e.method == method and e.pattern.match(path)), None)


def row_endpoint(routes: list[Endpoint], row: Row) -> Endpoint | None:
    return endpoint_of(routes, row.method, row.path.format_map(collections.defaultdict(lambda: "1")))


def test_every_route_has_a_row(tmp_path: Path) -> None:
    from kaohe.main import create_app

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}", environment="test",
                              secret_key="x" * 40))
    try:
        routes = endpoints(app)
    finally:
        app.state.engine.dispose()
    assert len(routes) > 100, "the app's routes were not found"
    stale = [f"{row.method} {row.path}" for row in PAGES + API if row_endpoint(routes, row) is None]
    assert not stale, f"rows for endpoints the app does not have: {stale}"
    covered = {row_endpoint(routes, row) for row in PAGES + API}
    missing = [f"{e.method} {e.path}" for e in routes if e.listed and e not in covered]
    assert not missing, f"{len(missing)} of {len(routes)} endpoints have no row in the matrix: {missing}"
