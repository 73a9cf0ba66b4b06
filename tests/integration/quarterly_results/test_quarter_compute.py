"""Computing a quarter through the use cases, on SQLite and PostgreSQL (R6): the whole unit in one pass of
the pure engine, results written back with their inputs hash; a recomputation changes only the people whose
inputs changed; a closed quarter is frozen; results are seen by scope and phase."""

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.clock import zone
from kaohe.errors import Conflict, Forbidden, NotFound
from kaohe.metrics import service as metrics_service
from kaohe.metrics.schemas import MetricBatchIn
from kaohe.org.enums import StaffStatus
from kaohe.org.models import Staff
from kaohe.quarterly import results, service
from kaohe.quarterly.models import QuarterPhase
from kaohe.quarterly.result_models import QuarterResult, QuarterResultRun
from kaohe.scheme import service as scheme_service

YEAR, QUARTER = 2026, 3
ATTENDANCE = "QIN.1.1"  # 出勤率, bands: ≥ 98 → 100, ≥ 95 → 85, ≥ 90 → 70, otherwise 40 (default scheme)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=zone())


def _advance_to(db, hr, phase: QuarterPhase) -> None:  # type: ignore[no-untyped-def]
    while service.find_cycle(db, YEAR, QUARTER).phase is not phase:
        service.advance(db, actor=hr, year=YEAR, quarter=QUARTER, now=at(10, 12), reason="测试推进")
    db.commit()


@pytest.fixture
def rating(db, who):  # type: ignore[no-untyped-def]
    hr = who("hr")
    service.open_year(db, actor=hr, year=YEAR, now=at(1, 5))
    _advance_to(db, hr, QuarterPhase.rating)
    return hr


def _staff_no(db, who, role: str) -> str:  # type: ignore[no-untyped-def]
    return db.get(Staff, who(role).staff_id).employee_no


def _attendance(db, hr, employee_no: str, value: str, *, replace: bool = False) -> None:  # type: ignore[no-untyped-def]
    metrics_service.import_api(db, actor=hr, idempotency_key=None, now=at(10, 13), batch_in=MetricBatchIn(
        source="attendance_system", year=YEAR, quarter=QUARTER, replace=replace,
        items=[{"employee_no": employee_no, "indicator_code": ATTENDANCE, "value": value}]))
    db.commit()


def _line(row: QuarterResult, code: str) -> dict:
    return next(line for line in row.breakdown["lines"] if line["code"] == code)


def test_it_refuses_a_quarter_not_yet_rated_and_anyone_but_hr(db, who):  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        results.compute_quarter(db, actor=who("hr"), year=YEAR, quarter=QUARTER, now=at(10, 14))
    service.open_year(db, actor=who("hr"), year=YEAR, now=at(1, 5))
    db.commit()
    with pytest.raises(Conflict, match="评价"):
        results.compute_quarter(db, actor=who("hr"), year=YEAR, quarter=QUARTER, now=at(10, 14))
    for role in ("staff", "leader", "inspector", "admin"):
        with pytest.raises(Forbidden):
            results.compute_quarter(db, actor=who(role), year=YEAR, quarter=QUARTER, now=at(10, 14))


def test_it_scores_everyone_in_one_pass_with_the_schemes_record_weight(db, who, rating):  # type: ignore[no-untyped-def]
    summary = results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 14))
    db.commit()
    active = db.scalar(select(func.count()).select_from(Staff).where(Staff.status == StaffStatus.active))
    assert summary.people == active == db.scalar(select(func.count()).select_from(QuarterResult))
    weight = scheme_service.current(db, year=YEAR).records.weight
    for row in db.scalars(select(QuarterResult)):
        assert row.record_weight == weight
        assert row.breakdown["record_part"] == pytest.approx(float(row.record_score) * weight / 100, abs=0.01)
        assert float(row.quarterly_score) == pytest.approx(
            row.breakdown["record_part"] + row.breakdown["indicator_part"], abs=0.011)
        # No value arrived from any system and nobody rated: every such leaf is shown missing, never a 0.
        assert ATTENDANCE in row.breakdown["missing_metrics"]
        assert _line(row, ATTENDANCE)["status"] == "missing_metric"
        assert _line(row, ATTENDANCE)["counted"] is False
        assert "no_records" in row.flags  # the test unit has no daily records
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "quarter.compute"))
    assert audit is not None and f"{YEAR}年第三季度" in audit.summary and f"{active} 人" in audit.summary
    run = db.scalar(select(QuarterResultRun))
    assert (audit.entity_type, audit.entity_id, run.people, run.actor_id) == (
        "quarter_result_run", str(run.id), active, rating.user_id)


def test_a_new_value_changes_only_that_persons_result(db, who, rating):  # type: ignore[no-untyped-def]
    first = results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 14))
    db.commit()
    again = results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 15))
    db.commit()
    assert (again.changed, again.digest) == (0, first.digest)  # unchanged inputs, unchanged results

    staff = db.get(Staff, who("staff").staff_id)
    before = {r.staff_id: (r.inputs_hash, r.quarterly_score) for r in db.scalars(select(QuarterResult))}
    _attendance(db, rating, staff.employee_no, "99.5")
    third = results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 16))
    db.commit()
    assert third.changed == 1 and third.digest != first.digest
    after = {r.staff_id: r for r in db.scalars(select(QuarterResult))}
    changed = [sid for sid, row in after.items() if (row.inputs_hash, row.quarterly_score) != before[sid]]
    assert changed == [staff.id]
    line = _line(after[staff.id], ATTENDANCE)
    assert (line["value"], line["points"], line["counted"]) == (99.5, 100.0, True)
    assert ATTENDANCE not in after[staff.id].breakdown["missing_metrics"]
    assert db.scalar(select(func.count()).select_from(QuarterResultRun)) == 3


def test_a_closed_quarter_is_frozen(db, who, rating):  # type: ignore[no-untyped-def]
    results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 14))
    _advance_to(db, rating, QuarterPhase.closed)
    with pytest.raises(Conflict):
        results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 20))
    with pytest.raises(Conflict, match="已结束"):  # nor can a business system's value change it
        _attendance(db, rating, _staff_no(db, who, "staff"), "97")


def test_results_are_seen_by_scope_and_phase(db, who, rating):  # type: ignore[no-untyped-def]
    results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 14))
    db.commit()
    everyone = db.scalar(select(func.count()).select_from(QuarterResult))
    me = who("staff").staff_id
    assert len(results.results_of(db, actor=who("hr"), year=YEAR, quarter=QUARTER)) == everyone
    assert len(results.results_of(db, actor=who("inspector"), year=YEAR, quarter=QUARTER)) == everyone
    # While rating and under review, a staff member sees nothing, not even their own result.
    assert results.results_of(db, actor=who("staff"), year=YEAR, quarter=QUARTER) == []
    _advance_to(db, rating, QuarterPhase.review)
    assert results.results_of(db, actor=who("staff"), year=YEAR, quarter=QUARTER) == []
    led = results.results_of(db, actor=who("leader"), year=YEAR, quarter=QUARTER)
    assert led and who("leader").staff_id not in {r.staff_id for r in led}
    assert all(r.staff.supervisor_id == who("leader").staff_id for r in led)
    _advance_to(db, rating, QuarterPhase.closed)
    mine = results.results_of(db, actor=who("staff"), year=YEAR, quarter=QUARTER)
    assert [r.staff_id for r in mine] == [me]
    with pytest.raises(NotFound):
        results.result_of(db, actor=who("staff"), year=YEAR, quarter=QUARTER, staff_id=who("leader").staff_id)


def test_the_export_has_one_row_per_person_with_the_issues_columns(db, who, rating):  # type: ignore[no-untyped-def]
    results.compute_quarter(db, actor=rating, year=YEAR, quarter=QUARTER, now=at(10, 14))
    db.commit()
    from io import BytesIO

    from openpyxl import load_workbook

    rows = results.export_rows(db, actor=rating, year=YEAR, quarter=QUARTER)
    sheet = load_workbook(BytesIO(results.write_xlsx(rows))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("工号", "姓名", "部门", "记录得分", "指标得分", "季度得分", "缺评说明")
    assert len(values) - 1 == db.scalar(select(func.count()).select_from(QuarterResult))
    assert [v[0] for v in values[1:]] == sorted(v[0] for v in values[1:])
    assert all("缺少数据" in v[6] and "本季度没有日常记录" in v[6] for v in values[1:])
    assert isinstance(values[1][3], (int, float, Decimal))


def test_equal_scores_share_a_rank() -> None:
    d = Decimal
    assert results.ranks([d("91.5"), d("88"), d("88"), d("70"), None]) == [1, 2, 2, 4, None]
    assert results.ranks([]) == []
