"""The quarterly record score page (R6): counts per person and a score that follows the scheme."""

import re

import pytest
from tests.integration.records.records_support import NOW, enter, review

from kaohe.errors import Invalid
from kaohe.records import service as record_service
from kaohe.records.schemas import ReviewIn
from kaohe.scheme import service as scheme_service


def _score_of(page: str, name: str) -> float:
    row = re.search(rf">{name}</a>.*?<strong>([\d.]+)</strong>", page, flags=re.S)
    assert row, f"{name} not on the page"
    return float(row.group(1))


def test_it_scores_the_quarter_from_confirmed_timely_marked_records(client_as, db, who):
    staff, leader = who("staff"), who("leader")
    records = [enter(db, staff, title=f"办理企业开办业务第{i}批") for i in range(4)]
    review(db, leader, records)
    page = client_as("leader").get("/records/scores", params={"quarter": "2026-Q4"}).text
    name = records[0].staff.name
    assert "每季度应有已确认记录 12 条" in page and "占 30%" in page
    # 4 of 12 expected confirmed: 60 × 4/12 = 20, all timely: 25, no mark: neutral 3/5 → 15 × 0.5 = 7.5.
    assert _score_of(page, name) == 52.5


def test_it_follows_the_schemes_expected_count(client_as, db, who):
    staff, leader = who("staff"), who("leader")
    review(db, leader, [enter(db, staff, title=f"窗口业务{i}") for i in range(4)])
    text = scheme_service.default_text(2026).replace("expected_per_month: 4", "expected_per_month: 1")
    hr = who("hr")
    version = scheme_service.import_version(db, actor=hr, year=2026, text=text)
    scheme_service.publish(db, actor=hr, version_id=version.id)
    page = client_as("leader").get("/records/scores", params={"quarter": "2026-Q4"}).text
    assert "每季度应有已确认记录 3 条" in page
    # 4 of 3 expected: volume capped at 60, timeliness 25, neutral quality 7.5.
    assert _score_of(page, _name(db, staff)) == 92.5


def _name(db, principal) -> str:  # type: ignore[no-untyped-def]
    from kaohe.org.models import Staff

    return db.get(Staff, principal.staff_id).name


def test_it_shows_staff_only_their_own_score(client_as, db, who):
    page = client_as("staff").get("/records/scores", params={"quarter": "2026-Q4"}).text
    assert page.count('href="/records?staff_id=') == 1




def test_the_quality_mark_scale_follows_the_scheme(client_as, db, who):
    staff, leader, hr = who("staff"), who("leader"), who("hr")
    records = [enter(db, staff, title=f"窗口业务质量{i}") for i in range(2)]
    marked = ReviewIn(record_ids=[r.id for r in records], action="confirm", quality_mark=8)
    with pytest.raises(Invalid, match="质量评分 8 不在 2026 年度方案规定的 1–5 分之内"):
        record_service.review(db, actor=leader, review_in=marked, now=NOW)
    db.rollback()
    text = scheme_service.default_text(2026).replace("mark_max: 5  #", "mark_max: 10  #")
    version = scheme_service.import_version(db, actor=hr, year=2026, text=text)
    scheme_service.publish(db, actor=hr, version_id=version.id)
    db.commit()
    detail = client_as("leader").get(f"/records/{records[0].id}").text
    assert "<option>10</option>" in detail
    record_service.review(db, actor=leader, review_in=marked, now=NOW)
    db.commit()
    page = client_as("leader").get("/records/scores", params={"quarter": "2026-Q4"}).text
    # 2 of 12 expected: 60 × 2/12 = 10, all timely: 25, mark 8 on 1–10: 15 × 7/9 ≈ 11.7.
    assert _score_of(page, _name(db, staff)) == 46.7
