"""Importing a year's arrangement and the unit's closures from CSV and Excel files."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from kaohe.calendar.arrangement import MAX_BYTES, MAX_ERRORS, MAX_ROWS, parse_arrangement_file
from kaohe.calendar.workdays import DayKind, SpecialDay, WorkCalendar

HEADER = "日期,类型,名称\n"
VALID_2027 = HEADER + (
    "2027-10-01,放假,国庆节\n"
    "2027-10-02,放假,国庆节\n"  # a Saturday: a holiday may fall on a weekend
    "2027-10-09,调休上班,国庆节\n"
    "2027-11-03,单位停工,闭馆维护\n"
)


def parse_csv(text: str, *, encoding: str = "utf-8", year: int = 2027):
    return parse_arrangement_file(text.encode(encoding), "安排.csv", year=year)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def only_error(text: str, **kwargs) -> str:
    arrangement, closures, errors = parse_csv(text, **kwargs)
    assert (arrangement, closures) == (None, [])
    assert len(errors) == 1, errors
    return errors[0]


def test_it_reads_official_days_and_closures_apart():
    arrangement, closures, errors = parse_csv(VALID_2027)
    assert errors == []
    assert arrangement is not None
    assert arrangement.year == 2027
    assert arrangement.days == (
        SpecialDay(date(2027, 10, 1), DayKind.holiday, "国庆节"),
        SpecialDay(date(2027, 10, 2), DayKind.holiday, "国庆节"),
        SpecialDay(date(2027, 10, 9), DayKind.workday, "国庆节"),
    )
    assert closures == [SpecialDay(date(2027, 11, 3), DayKind.closure, "闭馆维护")]
    calendar = WorkCalendar({2027: arrangement}, closures)
    assert not calendar.is_workday(date(2027, 11, 3))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_it_reads_csv_in_each_encoding_excel_writes(encoding):
    arrangement, closures, errors = parse_csv(VALID_2027, encoding=encoding)
    assert errors == []
    assert arrangement is not None and len(arrangement.days) == 3
    assert closures[0].name == "闭馆维护"


def test_it_reads_gb18030_with_windows_line_endings_and_other_column_order():
    text = "名称,日期,类型\r\n国庆节,2027/10/1,放假\r\n闭馆,2027年11月3日,单位停工\r\n"
    arrangement, closures, errors = parse_csv(text, encoding="gb18030")
    assert errors == []
    assert arrangement is not None
    assert arrangement.days == (SpecialDay(date(2027, 10, 1), DayKind.holiday, "国庆节"),)
    assert closures == [SpecialDay(date(2027, 11, 3), DayKind.closure, "闭馆")]


def test_it_reads_xlsx_with_date_cells_and_text_dates():
    data = xlsx_bytes(
        [
            ["日期", "类型", "名称"],
            [datetime(2027, 10, 1), "放假", "国庆节"],
            [None, None, None],
            ["2027-10-09", "调休上班", "国庆节"],
            [20271103, "单位停工", "闭馆维护"],
        ]
    )
    arrangement, closures, errors = parse_arrangement_file(data, "安排.XLSX", year=2027)
    assert errors == []
    assert arrangement is not None
    assert [s.day for s in arrangement.days] == [date(2027, 10, 1), date(2027, 10, 9)]
    assert closures == [SpecialDay(date(2027, 11, 3), DayKind.closure, "闭馆维护")]


def test_it_reports_errors_in_xlsx_by_row():
    data = xlsx_bytes(
        [["日期", "类型", "名称"], ["2027-10-01", "放假", "国庆节"], ["2027-02-30", "放假", ""]]
    )
    assert parse_arrangement_file(data, "a.xlsx", year=2027) == (
        None,
        [],
        ["第 3 行「日期」：2027-02-30 不是有效日期"],
    )


def test_it_returns_no_arrangement_for_a_file_of_closures_only():
    arrangement, closures, errors = parse_csv(HEADER + "2027-11-03,单位停工,闭馆维护\n")
    assert (arrangement, errors) == (None, [])
    assert len(closures) == 1


def test_it_skips_blank_rows_but_counts_them_in_row_numbers():
    text = HEADER + "2027-10-01,放假,国庆节\n,,\n\n2027-13-01,放假,国庆节\n"
    assert only_error(text) == "第 5 行「日期」：2027-13-01 不是有效日期"


def test_it_names_the_row_and_field_of_an_impossible_date():
    text = HEADER + "2026-10-01,放假,国庆节\n2026-02-30,放假,春节\n"
    assert only_error(text, year=2026) == "第 3 行「日期」：2026-02-30 不是有效日期"


def test_it_refuses_a_date_outside_the_year():
    error = only_error(HEADER + "2028-01-01,放假,元旦\n")
    assert error.startswith("第 2 行「日期」：2028-01-01")
    assert "2027" in error


def test_it_refuses_a_duplicate_date_naming_both_rows():
    error = only_error(HEADER + "2027-10-01,放假,国庆节\n2027/10/1,单位停工,闭馆\n")
    assert error.startswith("第 3 行「日期」：2027-10-01")
    assert "第 2 行" in error


def test_it_refuses_an_adjusted_workday_on_a_weekday():
    error = only_error(HEADER + "2027-10-08,调休上班,国庆节\n")
    assert error.startswith("第 2 行「类型」：2027-10-08 是星期五")


def test_it_allows_a_holiday_on_a_weekend():
    arrangement, _, errors = parse_csv(HEADER + "2027-10-03,放假,国庆节\n")
    assert errors == []
    assert arrangement is not None and arrangement.days[0].day.weekday() == 6


def test_it_refuses_an_unknown_kind():
    error = only_error(HEADER + "2027-10-01,休息,国庆节\n")
    assert error.startswith("第 2 行「类型」：休息 不是有效类型")
    assert "放假" in error and "调休上班" in error and "单位停工" in error


@pytest.mark.parametrize(("row", "field"), [(",放假,国庆节", "日期"), ("2027-10-01,,国庆节", "类型")])
def test_it_refuses_an_empty_required_field(row, field):
    assert only_error(HEADER + row + "\n") == f"第 2 行「{field}」：不能为空"


def test_it_refuses_a_name_longer_than_the_database_holds():
    error = only_error(HEADER + "2027-10-01,放假," + "节" * 61 + "\n")
    assert error.startswith("第 2 行「名称」")


def test_it_takes_nothing_when_any_row_is_wrong():
    text = VALID_2027 + "2027-10-10,调休上班,国庆节\n2027-10-11,调休上班,国庆节\n"
    arrangement, closures, errors = parse_csv(text)
    assert (arrangement, closures) == (None, [])
    assert errors == [
        "第 7 行「类型」：2027-10-11 是星期一，本来就是工作日，不能登记为调休上班",
    ]


def test_it_lists_every_wrong_row():
    text = HEADER + "2027-02-30,放假,春节\n2027-10-01,假期,国庆节\n2026-10-01,放假,国庆节\n"
    _, _, errors = parse_csv(text)
    assert [e.split("：")[0] for e in errors] == ["第 2 行「日期」", "第 3 行「类型」", "第 4 行「日期」"]


def test_it_caps_a_long_list_of_errors():
    text = HEADER + "".join(f"bad{i},放假,x\n" for i in range(MAX_ERRORS + 7))
    _, _, errors = parse_csv(text)
    assert len(errors) == MAX_ERRORS + 1
    assert "7" in errors[-1]


def test_it_refuses_a_file_over_1_mb_before_parsing():
    data = b"\xff" * (MAX_BYTES + 1)  # not even decodable: size must be checked first
    arrangement, closures, errors = parse_arrangement_file(data, "a.csv", year=2027)
    assert (arrangement, closures) == (None, [])
    assert len(errors) == 1 and "1 MB" in errors[0]


def test_it_refuses_other_file_types():
    _, _, errors = parse_arrangement_file(b"x", "安排.xls", year=2027)
    assert errors == ["只支持 .csv 或 .xlsx 文件，「安排.xls」不是这两种格式。"]


def test_it_refuses_an_undecodable_csv():
    _, _, errors = parse_arrangement_file(b"\xff\xfe\x80\x80", "a.csv", year=2027)
    assert len(errors) == 1 and "编码" in errors[0]


def test_it_refuses_a_csv_with_broken_quoting():
    error = only_error(HEADER + '2027-10-01,放假,"国庆节\n')
    assert "CSV" in error and "第 2 行" in error


def test_it_refuses_a_damaged_xlsx():
    _, _, errors = parse_arrangement_file(b"PK\x03\x04 not really a zip", "a.xlsx", year=2027)
    assert len(errors) == 1 and "Excel" in errors[0]


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n"])
def test_it_refuses_an_empty_file(text):
    assert "空" in only_error(text)


def test_it_refuses_a_file_with_a_header_only():
    assert only_error(HEADER + ",,\n") == "文件中没有数据行。"


def test_it_names_missing_headers():
    error = only_error("日期,种类\n2027-10-01,放假\n")
    assert error.startswith("第 1 行缺少表头：类型、名称")


def test_it_refuses_a_repeated_header():
    error = only_error("日期,类型,名称,日期\n2027-10-01,放假,国庆节,2027-10-02\n")
    assert "「日期」" in error and "第 1 行" in error


def test_it_refuses_too_many_rows():
    text = HEADER + "2027-10-01,放假,国庆节\n" * MAX_ROWS
    assert str(MAX_ROWS) in only_error(text)


def test_it_tolerates_blank_rows_left_behind_in_excel():
    rows: list[list[object]] = [["日期", "类型", "名称"], ["2027-10-01", "放假", "国庆节"]]
    rows += [[None, None, None]] * (MAX_ROWS + 10)
    rows.append(["2027-10-02", "放假", "国庆节"])
    arrangement, _, errors = parse_arrangement_file(xlsx_bytes(rows), "a.xlsx", year=2027)
    assert errors == []
    assert arrangement is not None and len(arrangement.days) == 2
