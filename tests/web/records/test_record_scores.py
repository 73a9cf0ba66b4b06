"""The quarterly record score page (R6): counts per person and a score that follows the scheme."""

import re

from tests.integration.records.records_support import enter, review

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
    assert page.count('<tr><td><a href="/records?staff_id=') == 1


def test_it_explains_a_bad_quarter(client_as):
    response = client_as("hr").get("/records/scores", params={"quarter": "2026-Q9"})
    assert response.status_code == 422 and "2026-Q4" in response.text

