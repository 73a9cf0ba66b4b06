"""The daily-record figures collected from the records, the completeness of a quarter, and the values
each person may read, on SQLite and PostgreSQL."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from tests.integration.metrics.metrics_support import NOW, Q3, counts, values, xlsx
from tests.integration.records.records_support import enter, staff_no

from kaohe.clock import zone
from kaohe.errors import Forbidden, NotFound
from kaohe.metrics import collect, service
from kaohe.metrics.models import MetricBatch
from kaohe.org.models import Staff

SEPTEMBER = datetime(2026, 9, 14, 10, 0, tzinfo=zone())


def test_it_collects_record_timeliness_from_the_records_and_names_what_it_cannot(db, who):
    staff, staff2 = who("staff"), who("staff2")
    enter(db, staff, now=SEPTEMBER)
    enter(db, staff, now=SEPTEMBER, ended=SEPTEMBER - timedelta(days=6), title="补录上周的窗口受理")  # late
    enter(db, staff2, now=SEPTEMBER)
    stored = collect.collect_records(db, actor=who("hr"), quarter=Q3, now=NOW)
    db.commit()
    assert stored is not None and stored.batch.channel == "records"
    assert values(db, "daily_records") == {(staff_no(db, staff), "QIN.1.2"): 50.0,
                                           (staff_no(db, staff2), "QIN.1.2"): 100.0}
    # A second collection recomputes and replaces the first, keeping it as history.
    again = collect.collect_records(db, actor=who("hr"), quarter=Q3, now=NOW)
    db.commit()
    assert again is not None and again.replaced == 2
    report = collect.completeness(db, actor=who("hr"), quarter=Q3)
    records = next(s for s in report.sources if s.key == "daily_records")
    assert not records.importable
    assert "工作记录及时率" not in [n.name for n in records.not_collectable]
    assert {"理论学习完成率", "专业培训达标率", "差错率", "违纪违规次数"} <= {n.name for n in records.not_collectable}
    # Everyone is expected to have 工作记录及时率; only the two with records have it.
    assert records.complete == 2 and records.expected == len(service.active_staff(db))


def test_it_refuses_a_collection_by_someone_who_may_not_import(db, who):
    with pytest.raises(Forbidden):
        collect.collect_records(db, actor=who("inspector"), quarter=Q3, now=NOW)


def test_the_completeness_view_counts_per_source_and_department_and_the_working_days(db, who):
    first = datetime(2026, 9, 30, 9, 0, tzinfo=zone())  # a Wednesday before the National Day holiday
    service.import_file(db, actor=who("hr"), source="attendance_system", quarter=Q3, now=first,
                        data=xlsx([["工号", "出勤率"], [staff_no(db, who("staff")), 98]]), filename="a.xlsx",
                        replace=False)
    db.commit()
    report = collect.completeness(db, actor=who("inspector"), quarter=Q3)
    attendance = next(s for s in report.sources if s.key == "attendance_system")
    assert (attendance.complete, attendance.expected) == (1, len(service.active_staff(db)))
    department = next(r for r in attendance.departments if r.complete)
    assert department.expected == department.complete + len(department.missing)
    assert all(m.indicators == ["出勤率"] for m in department.missing)
    assert (report.working_days, report.deadline_days) == (1, 5)
    # The second import on 9 October: 30 September, then 8 and 9 October (1–7 October are the holiday).
    service.import_file(db, actor=who("hr"), source="finance_system", quarter=Q3, now=NOW, replace=False,
                        data=xlsx([["工号", *service.mapping_of(db, scheme=service.scheme_for(db, Q3),
                                                               source="finance_system").mapping.columns.values()],
                                   [staff_no(db, who("staff")), 12, None, None]]), filename="f.xlsx")
    db.commit()
    report = collect.completeness(db, actor=who("hr"), quarter=Q3)
    assert report.working_days == 3 and not report.late
    assert [b.source for b in report.batches] == ["attendance_system", "finance_system"]


def test_the_completeness_view_is_for_hr_and_the_inspector(db, who):
    with pytest.raises(Forbidden):
        collect.completeness(db, actor=who("leader"), quarter=Q3)


def test_people_read_only_the_values_they_may_see(db, who):
    staff, staff2 = who("staff"), who("staff2")
    rows = [["工号", "出勤率"], [staff_no(db, staff), 98], [staff_no(db, staff2), 97]]
    service.import_file(db, actor=who("hr"), source="attendance_system", quarter=Q3, now=NOW,
                        data=xlsx(rows), filename="a.xlsx", replace=False)
    db.commit()

    def seen(role: str) -> set[str]:
        return {s.employee_no for _v, _b, s, _d in service.values_of(db, actor=who(role), quarter=Q3)}

    assert seen("hr") == seen("inspector") == {staff_no(db, staff), staff_no(db, staff2)}
    assert seen("staff") == {staff_no(db, staff)}
    assert seen("staff2") == {staff_no(db, staff2)}
    assert seen("leader") == {staff_no(db, staff)}  # the leader is staff's 分管领导, not staff2's
    other = db.get(Staff, staff2.staff_id)
    with pytest.raises(NotFound):
        service.visible_staff(db, actor=staff, staff_id=other.id)
    value, batch, _s, _d = service.values_of(db, actor=staff, quarter=Q3)[0]
    assert (batch.filename, value.row, batch.created_by_name) == ("a.xlsx", 2, who("hr").display_name)
    assert counts(db)["metric_batch"] == 1 and db.scalar(select(MetricBatch.channel)) == "file"
