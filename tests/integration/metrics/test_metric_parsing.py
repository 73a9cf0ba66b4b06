"""The pure parts of metric collection, without a database: quarters, value ranges, percent cells, the
default mapping and the records figures, read from the default scheme."""

from decimal import Decimal

import pytest
from tests.integration.metrics.metrics_support import csv_bytes, xlsx

from kaohe.errors import Invalid
from kaohe.metrics.catalog import (
    ColumnMapping,
    Quarter,
    default_mapping,
    mapping_problems,
    parse_quarter,
    record_figure,
    source_leaves,
    timeliness,
    value_rule,
)
from kaohe.metrics.importing import parse_metrics
from kaohe.scheme.loader import load_default_scheme

SCHEME = load_default_scheme()
ATTENDANCE = ColumnMapping("工号", {"QIN.1.1": "出勤率"})
RULES = {"QIN.1.1": value_rule(source_leaves(SCHEME, "attendance_system")["QIN.1.1"])}


def parse(data: bytes, filename: str = "a.xlsx", known=("JZ0028", "JZ0062", "000123")):  # type: ignore[no-untyped-def]
    return parse_metrics(data, filename, mapping=ATTENDANCE, rules=RULES, known_employees=known)


@pytest.mark.parametrize("text", ["2026Q3", "2026-Q3", "2026q3", "2026 Q3", "2026年第三季度", "2026年第3季度"])
def test_it_reads_a_quarter_however_it_is_written(text: str) -> None:
    assert parse_quarter(text) == Quarter(2026, 3)
    assert parse_quarter(text).label == "2026年第三季度" and parse_quarter(text).key == "2026-Q3"


@pytest.mark.parametrize("text", ["2026Q5", "2026", "Q3", "", "1999Q1", "2026年第五季度"])
def test_it_refuses_what_is_no_quarter(text: str) -> None:
    with pytest.raises(Invalid, match="不是有效的季度"):
        parse_quarter(text)


def test_each_source_feeds_only_its_own_indicators_and_the_proposal_uses_their_names() -> None:
    assert list(source_leaves(SCHEME, "attendance_system")) == ["QIN.1.1"]
    assert default_mapping(SCHEME, "attendance_system") == ColumnMapping("工号", {"QIN.1.1": "出勤率"})
    project = source_leaves(SCHEME, "project_system")
    assert {"JI.1.1", "JI.M1.1", "CX.1.1"} <= set(project) and "QIN.1.1" not in project
    assert mapping_problems(ColumnMapping("工号", {"QIN.1.1": "出勤率", "JI.1.1": "完成率"}), ["QIN.1.1"]) == [
        "指标 JI.1.1 的数据来源不是这个系统，不能对应"]


def test_a_value_is_checked_by_its_unit() -> None:
    leaves = {**source_leaves(SCHEME, "service_platform"), **source_leaves(SCHEME, "attendance_system")}
    assert value_rule(leaves["QIN.1.1"]).refusal(Decimal("100.5")) == "100.5% 超出 0%–100% 的范围"
    assert value_rule(leaves["JI.2.3"]).refusal(Decimal("-1")) == "-1 分超出 0–100 分的范围"
    assert value_rule(leaves["QIN.2.1"]).refusal(Decimal("2.5")) == "2.5 不是整数，这个指标按次数或个数计"
    assert value_rule(leaves["QIN.2.1"]).refusal(Decimal("3")) is None


def test_percent_cells_are_read_as_percent_whichever_way_they_were_written() -> None:
    written = parse(xlsx([["工号", "出勤率"], ["JZ0028", "95%"], ["JZ0062", 96.5]]))
    assert written.ok and [r.values["QIN.1.1"] for r in written.rows] == [Decimal("95"), Decimal("96.5")]
    fractions = parse(xlsx([["工号", "出勤率"], ["JZ0028", 0.9537], ["JZ0062", 1]], formats={"B2": "0.00%"}))
    assert [r.values["QIN.1.1"] for r in fractions.rows] == [Decimal("95.37"), Decimal("100")]
    mixed = parse(xlsx([["工号", "出勤率"], ["JZ0028", 95], ["JZ0062", 0.9]]))
    assert [e.message for e in mixed.errors] == [
        "第 3 行「出勤率」：0.9 无法判断是 0.9% 还是 90%（同一列其他数值大于 1），请写成 90% 或 0.9%"]


def test_a_number_that_lost_its_leading_zeros_is_matched_only_when_one_fits() -> None:
    assert parse(csv_bytes([["工号", "出勤率"], ["123", 99]]), "a.csv").rows[0].employee_no == "000123"
    ambiguous = parse(csv_bytes([["工号", "出勤率"], ["123", 99]]), "a.csv", known=("000123", "0123"))
    assert [e.message for e in ambiguous.errors] == ["第 2 行「工号」：工号「123」在系统中不存在"]


def test_only_the_records_figures_the_records_hold_are_collected() -> None:
    leaves = source_leaves(SCHEME, "daily_records")
    assert {code for code, node in leaves.items() if record_figure(node)} == {"QIN.1.2"}
    assert timeliness(4, 1) == Decimal("75.00") and timeliness(0, 0) is None
