"""Every page, as every role opens it, reads as Chinese written for people: no catalogue keys or table
names, no ISO or UTC timestamps, no English validation text or raw enum values, no file names or clause
IDs, and Chinese punctuation in Chinese text. Proper nouns (API, Excel, PDF, CSV, YAML …) are allowed."""

import html
import re

import pytest
from sqlalchemy import select
from tests.conftest import ROLE_ACCOUNTS
from tests.integration.records.records_support import enter, principal_of, review

from kaohe.clock import now, today
from kaohe.metrics import service as metrics_service
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.models import Department, Staff
from kaohe.quarterly import results as quarter_results
from kaohe.quarterly import service as quarter_service
from kaohe.scheme import service as scheme_service
from kaohe.scheme.orm import SchemeVersion
from kaohe.warnings.models import QuarterWarning

PAGES = ("/", "/todo", "/account/password", "/account/tokens", "/staff", "/staff/new", "/staff/{me}",
         "/staff/{me}/edit", "/departments", "/departments/new", "/departments/{department}/edit",
         "/roster/import", "/admin/users", "/audit", "/calendar", "/scheme", "/scheme/mine", "/scheme/compare",
         "/scheme/versions/{version}", "/scheme/versions/{version}/edit", "/records", "/records/review",
         "/records/month", "/records/scores", "/records/reminders", "/records/signals", "/records/import",
         "/ledger", "/tasks", "/records/{record}", "/records/{record}/edit", "/quarterly", "/quarterly/{year}/1",
         "/quarterly/{year}/2", "/metrics", "/metrics/import", "/metrics/sources/project_system/mapping",
         "/metrics/staff/{me}", "/warnings", "/warnings/{warning}", "/feedback", "/feedback/file/me", "/feedback/file/{me}")

RAW = {
    "a catalogue key or table name": re.compile(
        r"\b(?:auth|records?|org|scheme|calendar|ledger|audit|common|enum|field|validation|sheets|todo|done|"
        r"work_record|user_account|department|staff|month|task)[._][a-z_]+(?:\.[a-z_]+)*\b|"
        r"\b(?:work_record|user_account|task_item|api_token|calendar_day|scheme_version|ledger_entry|audit_entry)\b"),
    "an ISO or UTC timestamp": re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}|[+-]00:00\b|\bUTC\b|\.\d{6}\b"),
    "English validation text": re.compile(r"Field required|Input should|String should|value is not|"
                                          r"is not a valid|Value error", re.I),
    "a raw enum value": re.compile(r"(?<![\w/.-])(?:draft|published|submitted|confirmed|returned|inactive|"
                                   r"holiday|workday|closure|management|professional|junior|senior|"
                                   r"dept_head|staff_rep|liaison|inspector)(?![\w/.-])"),
    "a file name or clause ID": re.compile(r"docs/\w+\.md|[（(][A-Z]\d{1,2}[)）]"),
    "ASCII punctuation in Chinese": re.compile(r"[\u4e00-\u9fff][,;?!]|[,;?!][\u4e00-\u9fff]|"
                                               r"[\u4e00-\u9fff]\(|\)[\u4e00-\u9fff]"),
}


def visible_text(page: str) -> str:
    """What a reader sees: text and the placeholders, titles and labels of the controls. What a control
    holds is the reader's own input (an input's value, the scheme's YAML source in a textarea), not text."""
    page = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    shown = re.findall(r'(?:placeholder|title|aria-label|data-confirm)="([^"]*)"', page)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([page, *shown])))


def problems(text: str) -> list[str]:
    found = []
    for what, pattern in RAW.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 30)
            found.append(f"{what}: …{text[start:match.end() + 30].strip()}…")
    return found


@pytest.fixture
def world(db, accounts):  # type: ignore[no-untyped-def]
    """Records in every stage and a scheme draft, so lists, details, the review queue, the scheme's
    version pages and the audit log have content."""
    staff = principal_of(db, accounts["staff"])
    leader = principal_of(db, accounts["leader"])
    scheme_service.new_draft(db, actor=principal_of(db, accounts["hr"]), year=today().year, note="调整权重")
    returned = enter(db, staff, now=now(), title="需要补充的窗口受理")
    review(db, leader, [returned], "return", "请补充办件数量", now=now())
    confirmed = enter(db, staff, now=now(), title="已确认的窗口受理")
    review(db, leader, [confirmed], now=now())
    # This year's quarters: the first collecting, the second closed and reopened with a reason.
    hr = principal_of(db, accounts["hr"])
    quarter_service.open_year(db, actor=hr, year=today().year, now=now())
    quarter_service.advance(db, actor=hr, year=today().year, quarter=1, reason="按期开始采集", now=now())
    for _phase in range(4):
        quarter_service.advance(db, actor=hr, year=today().year, quarter=2, now=now())
    quarter_service.reopen(db, actor=hr, year=today().year, quarter=2, reason="满意度数据有误，需更正", now=now())
    # The second quarter computed with staff's task completion below the scheme's minimum: a warning.
    metrics_service.import_api(db, actor=hr, idempotency_key=None, now=now(), batch_in=MetricBatchIn(
        source="project_system", year=today().year, quarter=2, replace=True,
        items=[{"employee_no": accounts["staff"], "indicator_code": "JI.M1.1", "value": "60"}]))
    quarter_results.compute_quarter(db, actor=hr, year=today().year, quarter=2, now=now())
    db.commit()
    return {"record": returned.id, "year": today().year,
            "department": db.scalar(select(Department.id).order_by(Department.id)),
            "version": db.scalar(select(SchemeVersion.id).order_by(SchemeVersion.id.desc())),
            "warning": db.scalar(select(QuarterWarning.id).order_by(QuarterWarning.id.desc()))}


def test_no_page_shows_a_reader_anything_raw(client_as, db, accounts, world):
    seen, failures = 0, []
    for role in ROLE_ACCOUNTS:
        client = client_as(role)
        me = db.scalar(select(Staff.id).where(Staff.employee_no == accounts[role]))
        for pattern in PAGES:
            url = pattern.format(me=me or 1, **world)
            answer = client.get(url)
            if answer.status_code != 200:
                continue
            seen += 1
            failures += [f"{role} {url}: {p}" for p in problems(visible_text(answer.text))]
    assert seen > 150
    assert not failures, "\n".join(sorted(set(failures))[:200])


def test_no_refusal_shows_a_reader_anything_raw(client_as, db, world):
    """The pages that refuse what was typed (422) speak as plainly as the others."""
    hr, staff = client_as("hr"), client_as("staff")
    refusals = {
        "a staff form with bad fields": hr.form("/staff/new", {"employee_no": "=CMD()", "name": "", "phone": "123",
                                                                "post_category": "management", "level": "junior"}),
        "a scheme draft whose weights do not add up": hr.form(f"/scheme/versions/{world['version']}/edit", {
            "indicators[3].children[0].weight": "60", "parts.common.max": "5", "quantitative_min_share": "99"}),
        "a scheme text that is not a scheme": hr.form(f"/scheme/versions/{world['version']}/yaml",
                                                      {"yaml_text": "year: 2026\nparts: 3\n"}),
        "a record edit with a bad time": staff.form(f"/records/{world['record']}/edit", {
            "title": "", "started_at": "昨天", "ended_at": "2026-13-40T25:00", "stage_result": ""}),
    }
    failures = []
    for what, answer in refusals.items():
        assert answer.status_code in (409, 422), (what, answer.status_code)
        failures += [f"{what}: {p}" for p in problems(visible_text(answer.text))]
        assert "parts.common" not in visible_text(answer.text) and "quantitative_min_share" not in visible_text(answer.text)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("text", "what"), [
    ("操作 auth.sign_in", "a catalogue key or table name"),
    ("对象 work_record 1248", "a catalogue key or table name"),
    ("时间 2026-12-02T07:00:00.123456+00:00", "an ISO or UTC timestamp"),
    ("Field required", "English validation text"),
    ("状态 draft → published", "a raw enum value"),
    ("详见 docs/scoring.md（R6）", "a file name or clause ID"),
    ("应不大于 100,实际为 150", "ASCII punctuation in Chinese"),
])
def test_the_checks_catch_what_they_are_for(text: str, what: str) -> None:
    assert any(p.startswith(what) for p in problems(text))


def test_proper_nouns_and_ordinary_chinese_pass() -> None:
    assert problems("可上传 Excel（.xlsx）或 CSV 文件，通过 API 令牌调用；2026年12月2日 15:30 办结。") == []
