"""Historical quarterly results of a migrating unit, through the use case on SQLite and PostgreSQL: files
as offices keep them are read; every bad row is named in Chinese and nothing is saved; a quarter kaohe runs
itself cannot be overwritten; an imported quarter is replaced only when asked; people then see the past
quarters like closed ones."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.clock import zone
from kaohe.errors import Forbidden, Invalid
from kaohe.org.models import Staff
from kaohe.quarterly import results, service
from kaohe.quarterly.result_models import QuarterResult

NOW = datetime(2026, 11, 20, 10, tzinfo=zone())
HEAD = ["序号", "工号", "姓名", "年度", "季度", "记录得分", "指标得分", "季度得分", "缺评说明"]


def _xlsx(rows: list[list[object]], title: str | None = "江州市政务服务中心 2025 年季度考核结果汇总") -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _numbers(db, n: int = 3) -> list[str]:  # type: ignore[no-untyped-def]
    return list(db.scalars(select(Staff.employee_no).order_by(Staff.employee_no).limit(n)))


def _count(db) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(QuarterResult)) or 0


def test_it_reads_an_office_export_and_people_see_the_past_quarter(db, who):  # type: ignore[no-untyped-def]
    a, b, c = _numbers(db)
    data = _xlsx([[1, a, "甲", 2025, "第三季度", 88.5, 90, 89.4, "同事评价不足3人"],
                  [2, b, "乙", "２０２５", "Q3", "76", 80.25, 78.98, None],
                  [3, c, "丙", 2025, 4, 91, 92, 91.7, ""],
                  ["合计", None, None, None, None, None, None, None, None]])
    done = results.import_history(db, actor=who("hr"), data=data, filename="2025季度结果.xlsx", replace=False, now=NOW)
    db.commit()
    assert (done.count, done.people, done.quarters, done.replaced) == (3, 3, 2, 0)
    rows = {r.staff.employee_no: r for r in db.scalars(select(QuarterResult))}
    assert str(rows[b].indicator_score) == "80.25" and str(rows[b].quarterly_score) == "78.98"
    assert rows[a].origin == "imported" and rows[a].provenance["row"] == 3 and len(rows[a].provenance["sha256"]) == 64
    assert "同事评价不足3人" in results.explain_flags(rows[a], {})
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "quarter.import_history"))
    assert audit is not None and "3 条" in audit.summary
    # No cycle was ever opened for 2025: the imported quarter reads like a closed one.
    assert service.find_cycle(db, 2025, 3) is None
    assert len(results.results_of(db, actor=who("hr"), year=2025, quarter=3)) == 2
    me = who("staff")
    mine = results.results_of(db, actor=me, year=2025, quarter=3)
    assert all(r.staff_id == me.staff_id for r in mine)


@pytest.mark.parametrize(("cells", "expected"), [
    ({"工号": "NOBODY1"}, "「工号」：工号「NOBODY1」不在人员名册中"),
    ({"季度": "第五季度"}, "「季度」：季度「第五季度」无法识别"),
    ({"年度": "去年"}, "「年度」：年度「去年」无法识别"),
    ({"季度得分": "89%"}, "「季度得分」：「89%」是百分数"),
    ({"指标得分": 120}, "「指标得分」：得分「120」应在 0–100 之间"),
    ({"记录得分": "=A1*2"}, "「记录得分」"),
    ({"记录得分": "优"}, "「记录得分」"),
    ({"季度得分": None}, "「季度得分」"),
])
def test_a_bad_row_is_named_and_nothing_is_saved(db, who, cells, expected):  # type: ignore[no-untyped-def]
    a, b, _c = _numbers(db)
    good = {"序号": 1, "工号": a, "姓名": "甲", "年度": 2025, "季度": 3, "记录得分": 80, "指标得分": 85,
            "季度得分": 83.5, "缺评说明": ""}
    bad = {**good, "序号": 2, "工号": b, **cells}
    data = _xlsx([[good[h] for h in HEAD], [bad[h] for h in HEAD]])
    with pytest.raises(Invalid) as refused:
        results.import_history(db, actor=who("hr"), data=data, filename="bad.xlsx", replace=False, now=NOW)
    assert any(d.startswith("第 4 行") and expected in d for d in refused.value.details), refused.value.details
    db.rollback()
    assert _count(db) == 0


def test_duplicates_quarters_kaohe_runs_and_earlier_imports_are_refused(db, who):  # type: ignore[no-untyped-def]
    hr = who("hr")
    a, b, _c = _numbers(db)
    twice = _xlsx([[1, a, "甲", 2025, 3, 80, 85, 83.5, ""], [2, a, "甲", 2025, "三季度", 81, 85, 84, ""]])
    with pytest.raises(Invalid) as refused:
        results.import_history(db, actor=hr, data=twice, filename="x.xlsx", replace=False, now=NOW)
    assert any("第 4 行" in d and "与第 3 行是同一人的同一季度" in d for d in refused.value.details)
    db.rollback()

    service.open_year(db, actor=hr, year=2026, now=NOW)
    db.commit()
    ours = _xlsx([[1, a, "甲", 2026, 1, 80, 85, 83.5, ""]])
    with pytest.raises(Invalid) as refused:
        results.import_history(db, actor=hr, data=ours, filename="x.xlsx", replace=False, now=NOW)
    assert any("2026年第一季度已在本系统开启考核周期" in d for d in refused.value.details)
    db.rollback()

    first = _xlsx([[1, a, "甲", 2025, 2, 80, 85, 83.5, ""], [2, b, "乙", 2025, 2, 70, 75, 73.5, ""]])
    results.import_history(db, actor=hr, data=first, filename="q2.xlsx", replace=False, now=NOW)
    db.commit()
    corrected = _xlsx([[1, a, "甲", 2025, 2, 82, 85, 84.1, ""]], title=None)
    with pytest.raises(Invalid) as refused:
        results.import_history(db, actor=hr, data=corrected, filename="q2.xlsx", replace=False, now=NOW)
    assert any("2025年第二季度已导入过历史结果（2 人）" in d for d in refused.value.details)
    db.rollback()
    done = results.import_history(db, actor=hr, data=corrected, filename="q2.xlsx", replace=True, now=NOW)
    db.commit()
    assert (done.count, done.replaced) == (1, 2) and _count(db) == 1
    for role in ("staff", "leader", "inspector", "admin"):
        with pytest.raises(Forbidden):
            results.import_history(db, actor=who(role), data=first, filename="q2.xlsx", replace=True, now=NOW)


def test_hostile_files_are_refused_in_chinese(db, who):  # type: ignore[no-untyped-def]
    for data, name in ((b"\x00" * 2048, "nul.csv"), (b"PK\x03\x04broken", "broken.xlsx"), (b"", "empty.csv"),
                       ("工号,年度,季度,记录得分,指标得分,季度得分\n".encode() + b"X" * 100, "odd.csv")):
        with pytest.raises(Invalid) as refused:
            results.import_history(db, actor=who("hr"), data=data, filename=name, replace=False, now=NOW)
        assert refused.value.message.startswith("历史季度结果未导入"), (name, refused.value.message)
        db.rollback()
    assert _count(db) == 0
