"""Importing a business system's export on SQLite and PostgreSQL: real-world shapes are accepted, hostile
files are refused whole with the row named, and a refused file leaves every table as it was."""

import pytest
from sqlalchemy import select
from tests.integration.metrics.metrics_support import NOW, Q3, counts, csv_bytes, values, xlsx

from kaohe.audit.models import AuditEntry
from kaohe.errors import Forbidden, Invalid
from kaohe.metrics import service
from kaohe.metrics.models import MetricBatch, MetricValueHistory
from kaohe.metrics.schemas import MappingIn
from kaohe.org.enums import Level, PostCategory
from kaohe.org.models import Staff

ATTENDANCE = "attendance_system"
SERVICE = "service_platform"


def run(db, who, data: bytes, filename: str = "出勤.xlsx", source: str = ATTENDANCE, replace: bool = False):  # type: ignore[no-untyped-def]
    stored = service.import_file(db, actor=who("hr"), source=source, quarter=Q3, data=data, filename=filename,
                                 replace=replace, now=NOW)
    db.commit()
    return stored


def refused(db, who, data: bytes, filename: str = "出勤.xlsx", source: str = ATTENDANCE) -> list[str]:  # type: ignore[no-untyped-def]
    before = counts(db)
    with pytest.raises(Invalid) as caught:
        run(db, who, data, filename, source)
    db.rollback()
    assert counts(db) == before, "a refused file changed the database"
    return caught.value.details


def service_header(db) -> list[str]:  # type: ignore[no-untyped-def]
    """The service platform's export under the default mapping: 工号, 姓名, then each of its four
    indicators under its own name (有效投诉次数, 服务满意度, and two of the service posts' template)."""
    view = service.mapping_of(db, scheme=service.scheme_for(db, Q3), source=SERVICE)
    columns = list(view.mapping.columns.values())
    assert columns[:2] == ["有效投诉次数", "服务满意度"] and len(columns) == 4, columns
    return [view.mapping.employee_column, "姓名", *columns]


# --- accepted ----------------------------------------------------------------------------------------

def test_it_reads_an_export_with_a_title_a_merged_header_extra_columns_and_a_totals_row(db, who):
    data = xlsx([
        ["江州市政务服务中心2026年第三季度考勤汇总"],
        ["导出时间：2026-10-08"],
        ["人员信息", None, None, "考勤"],
        ["序号", "工号", "姓名", "出勤率"],
        [1, "JZ0028", "周晓", "98%"],
        [2, "JZ0062", "赵磊", 95],
        [3, "JZ0024", "钱进", 96.5],
        ["合计", None, None, None],
    ], merges=["A1:D1", "A3:C3"])
    stored = run(db, who, data)
    assert (stored.count, stored.people, stored.replaced) == (3, 3, 0)
    assert values(db) == {("JZ0028", "QIN.1.1"): 98.0, ("JZ0062", "QIN.1.1"): 95.0, ("JZ0024", "QIN.1.1"): 96.5}
    batch = db.scalar(select(MetricBatch))
    assert (batch.channel, batch.filename, len(batch.sha256), batch.created_by_name) == ("file", "出勤.xlsx", 64,
                                                                                         who("hr").display_name)
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "metrics.file"))
    assert entry is not None and "3 条" in entry.summary


def test_it_reads_a_column_of_percent_formatted_fractions_as_percent(db, who):
    data = xlsx([["工号", "出勤率"], ["JZ0028", 0.98], ["JZ0062", 1]], formats={"B2": "0%", "B3": "0%"})
    run(db, who, data)
    assert values(db) == {("JZ0028", "QIN.1.1"): 98.0, ("JZ0062", "QIN.1.1"): 100.0}


def test_it_reads_a_gbk_csv_with_full_width_digits_and_a_blank_cell_as_no_value(db, who):
    data = csv_bytes([["工号", "姓名", "出勤率"], ["JZ0028", "周晓", "９７．５％"], ["JZ0062", "赵磊", ""]],
                     encoding="gb18030")
    stored = run(db, who, data, filename="kaoqin.csv")
    assert stored.count == 1
    assert values(db) == {("JZ0028", "QIN.1.1"): 97.5}


def test_it_matches_a_number_that_lost_its_leading_zeros_in_excel(db, who):
    zw1 = db.scalar(select(Staff).where(Staff.employee_no == "JZ0028"))
    db.add(Staff(employee_no="000123", name="零号测试", department_id=zw1.department_id,
                 post_category=PostCategory.management, level=Level.junior))
    db.commit()
    run(db, who, xlsx([["工号", "出勤率"], [123, 99]]))
    assert values(db) == {("000123", "QIN.1.1"): 99.0}


def test_it_reads_several_indicators_with_their_units(db, who):
    header = service_header(db)
    data = xlsx([header, ["JZ0028", "周晓", 0, 96, None, None], ["JZ0062", "赵磊", 2, "88.5", None, None]])
    run(db, who, data, source=SERVICE)
    assert values(db, SERVICE) == {("JZ0028", "QIN.2.1"): 0.0, ("JZ0028", "JI.2.3"): 96.0,
                                   ("JZ0062", "QIN.2.1"): 2.0, ("JZ0062", "JI.2.3"): 88.5}


# --- refused, the row named, nothing saved --------------------------------------------------------------

def test_it_refuses_wrong_types_naming_the_row(db, who):
    details = refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", "优秀"], ["JZ0024", True]]))
    assert any(d.startswith("第 3 行「出勤率」") and "优秀" in d for d in details), details
    assert any(d.startswith("第 4 行「出勤率」") for d in details), details


def test_it_refuses_a_percent_string_on_an_indicator_that_is_no_percent(db, who):
    header = service_header(db)
    details = refused(db, who, xlsx([header, ["JZ0028", "周晓", "10%", 96, None, None]]), source=SERVICE)
    assert details == ["第 2 行「有效投诉次数」：「10%」是百分数，这个指标的单位不是百分比"]


def test_it_refuses_a_value_that_could_be_a_fraction_or_a_percent(db, who):
    details = refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", 0.95]]))
    assert len(details) == 1 and details[0].startswith("第 3 行「出勤率」：0.95 无法判断"), details


def test_it_refuses_values_out_of_range(db, who):
    header = service_header(db)
    details = refused(db, who, xlsx([header, ["JZ0028", "周晓", -1, 101, None, None],
                                     ["JZ0062", "赵磊", 1.5, 90, None, None]]), source=SERVICE)
    assert "第 2 行「有效投诉次数」：-1 不能小于 0" in details
    assert "第 2 行「服务满意度」：101 分超出 0–100 分的范围" in details
    assert "第 3 行「有效投诉次数」：1.5 不是整数，这个指标按次数或个数计" in details
    assert refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", "120%"]])) == ["第 2 行「出勤率」：120% 超出 0%–100% 的范围"]


def test_it_refuses_formula_cells(db, who):
    data = xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", "=B2*1"]])
    details = refused(db, who, data)
    assert len(details) == 1 and details[0].startswith("第 3 行「出勤率」：「=B2*1」是公式"), details


def test_it_refuses_a_duplicated_employee_number(db, who):
    details = refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", 97], ["JZ0028", 96]]))
    assert details == ["第 4 行：工号「JZ0028」与第 2 行重复"]


def test_it_refuses_an_unknown_employee_number(db, who):
    details = refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ9999", 97]]))
    assert details == ["第 3 行「工号」：工号「JZ9999」在系统中不存在"]


def test_it_refuses_a_totals_row_that_does_not_say_it_is_one(db, who):
    details = refused(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", 97], [None, 97.5]]))
    assert details == ["第 4 行「工号」：不能为空"]


def test_it_refuses_a_file_missing_a_mapped_column(db, who):
    details = refused(db, who, xlsx([["工号", "姓名", "考勤率"], ["JZ0028", "周晓", 98]]))
    assert details[0].startswith("第 1 行（表头）：缺少必填列：出勤率"), details
    assert "文件中的列为：工号、姓名、考勤率" in details[1]


def test_it_refuses_a_file_over_the_size_limit_naming_the_limit(db, who):
    data = b"\xef\xbb\xbf" + ("工号,出勤率\n" + "JZ0028,98\n" * 2_100_000).encode()
    assert len(data) > 20 * 1024 * 1024
    details = refused(db, who, data, filename="huge.csv")
    assert len(details) == 1 and details[0].startswith("文件大小 2") and "超过上限 10 MB" in details[0], details


def test_it_refuses_what_the_actor_may_not_do(db, who):
    with pytest.raises(Forbidden):
        service.import_file(db, actor=who("inspector"), source=ATTENDANCE, quarter=Q3, data=b"", filename="x.csv",
                            replace=False, now=NOW)
    with pytest.raises(Invalid, match="自动采集"):
        run(db, who, xlsx([["工号"], ["JZ0028"]]), source="daily_records")
    with pytest.raises(Invalid, match="不在考核方案中"):
        run(db, who, xlsx([["工号"], ["JZ0028"]]), source="no_such_system")


# --- replacing --------------------------------------------------------------------------------------------

def test_a_second_file_replaces_the_sources_values_only_when_asked_and_keeps_history(db, who):
    run(db, who, xlsx([["工号", "出勤率"], ["JZ0028", 98], ["JZ0062", 97]]))
    second = xlsx([["工号", "出勤率"], ["JZ0028", 90]])
    before = counts(db)
    with pytest.raises(Invalid, match="已有 2 条数据"):
        run(db, who, second)
    db.rollback()
    assert counts(db) == before
    stored = run(db, who, second, replace=True)
    assert (stored.count, stored.replaced) == (1, 2)
    assert values(db) == {("JZ0028", "QIN.1.1"): 90.0}
    history = db.scalars(select(MetricValueHistory).order_by(MetricValueHistory.value)).all()
    assert [float(h.value) for h in history] == [97.0, 98.0]
    assert {h.replaced_by for h in history} == {stored.batch.id}


# --- the mapping --------------------------------------------------------------------------------------------

def test_a_saved_mapping_reads_the_systems_own_headers_and_every_change_is_audited(db, who):
    scheme = service.scheme_for(db, Q3)
    service.save_mapping(db, actor=who("hr"), scheme=scheme, source=ATTENDANCE, now=NOW,
                         mapping_in=MappingIn(employee_column="人员编号", columns={"QIN.1.1": "实际出勤率"}))
    db.commit()
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "metrics.mapping"))
    assert entry.after == {"employee_column": "人员编号", "QIN.1.1 出勤率": "实际出勤率"}
    run(db, who, xlsx([["人员编号", "实际出勤率"], ["JZ0028", 99]]))
    assert values(db) == {("JZ0028", "QIN.1.1"): 99.0}
    service.save_mapping(db, actor=who("hr"), scheme=scheme, source=ATTENDANCE, now=NOW,
                         mapping_in=MappingIn(employee_column="人员编号", columns={"QIN.1.1": "出勤率"}))
    db.commit()
    last = db.scalars(select(AuditEntry).where(AuditEntry.action == "metrics.mapping").order_by(AuditEntry.id)).all()[-1]
    assert (last.before, last.after) == ({"QIN.1.1 出勤率": "实际出勤率"}, {"QIN.1.1 出勤率": "出勤率"})


def test_a_mapping_takes_only_the_sources_own_indicators(db, who):
    scheme = service.scheme_for(db, Q3)
    with pytest.raises(Invalid) as caught:
        service.save_mapping(db, actor=who("hr"), scheme=scheme, source=ATTENDANCE, now=NOW,
                             mapping_in=MappingIn(employee_column="工号", columns={"QIN.1.1": "出勤率",
                                                                                  "JI.2.3": "满意度"}))
    assert caught.value.details == ["指标 JI.2.3 的数据来源不是这个系统，不能对应"]
    with pytest.raises(Forbidden):
        service.save_mapping(db, actor=who("inspector"), scheme=scheme, source=ATTENDANCE, now=NOW,
                             mapping_in=MappingIn(employee_column="工号", columns={"QIN.1.1": "出勤率"}))
