"""The pure import of past daily records: files built in memory, parsed, the Chinese errors checked."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from kaohe.records.importing import (
    RECORD_HEADERS,
    RecordImportError,
    RecordImportResult,
    RecordRow,
    parse_records,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 10, 15, 30, tzinfo=TZ)
EMPLOYEES = frozenset({"A001", "A002", "A003"})
TASKS = {"RW-2026-01": "A001", "RW-2026-02": "A002"}
# 工号, 工作事项, 开始时间, 结束时间, 阶段成果 first: the required columns, then the optional ones.
HEADERS = RECORD_HEADERS
REQUIRED = HEADERS[:5]


def at(day: int, hour: int = 0, minute: int = 0, month: int = 7) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def xlsx(rows: list[list[object]], headers: tuple[str, ...] | list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], headers=HEADERS, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def parse(data: bytes, filename: str = "记录.csv", **options) -> RecordImportResult:
    options.setdefault("known_employees", EMPLOYEES)
    options.setdefault("known_task_codes", TASKS)
    options.setdefault("tz", TZ)
    options.setdefault("now", NOW)
    return parse_records(data, filename, **options)


def row(**changes: object) -> list[object]:
    """A good row of all columns, with some changed; keys are the Chinese headers."""
    values: dict[str, object] = {
        "工号": "A001",
        "工作事项": "起草年度招商工作报告",
        "开始时间": "2026-07-01 09:00",
        "结束时间": "2026-07-01 17:30",
        "阶段成果": "完成报告初稿，共八千字",
        "任务编号": "",
        "困难及解决措施": "",
        "表彰或批评": "",
        "录入时间": "",
        "状态": "",
        "审核意见": "",
    }
    values.update(changes)
    return [values[header] for header in HEADERS]


def errors_of(data: bytes, **options) -> list[tuple[int | None, str | None, str]]:
    result = parse(data, **options)
    assert not result.ok
    assert result.rows == []
    return [(error.row, error.field, error.message) for error in result.errors]


def only_error(changes: dict[str, object], **options) -> RecordImportError:
    result = parse(csv_bytes([row(**changes)]), **options)
    assert result.rows == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# Good files.


def test_it_parses_a_good_xlsx_with_excel_date_cells_and_columns_in_any_order():
    headers = [
        "阶段成果",
        "工号",
        "开始时间",
        "结束时间",
        "工作事项",
        "任务编号",
        "录入时间",
        "状态",
        "审核意见",
    ]
    rows = [
        [
            "完成报告初稿，共八千字",
            "A001",
            datetime(2026, 7, 1, 9, 0),
            datetime(2026, 7, 1, 17, 30),
            "起草年度招商工作报告",
            "RW-2026-01",
            datetime(2026, 7, 2, 8, 15),
            "待审核",
            "",
        ],
        # Date cells: Excel stores a plain date as midnight; it means the whole day.
        [
            "走访企业十二家，形成问题清单",
            1002,
            datetime(2026, 7, 3),
            date(2026, 7, 4),
            "走访重点企业",
            None,
            None,
            "已退回",
            "请补充问题清单附件",
        ],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = parse(buffer.getvalue(), "记录.xlsx", known_employees={"A001", "1002"})

    assert result.ok, result.errors
    assert result.rows == [
        RecordRow(
            row=2,
            employee_no="A001",
            title="起草年度招商工作报告",
            started_at=at(1, 9),
            ended_at=at(1, 17, 30),
            stage_result="完成报告初稿，共八千字",
            task_code="RW-2026-01",
            difficulties="",
            commendation="",
            entered_at=at(2, 8, 15),
            status="submitted",
            review_comment="",
        ),
        RecordRow(
            row=3,
            employee_no="1002",
            title="走访重点企业",
            started_at=at(3, 0),
            ended_at=at(4, 23, 59),
            stage_result="走访企业十二家，形成问题清单",
            task_code=None,
            difficulties="",
            commendation="",
            entered_at=at(4, 23, 59),
            status="returned",
            review_comment="请补充问题清单附件",
        ),
    ]
    assert all(item.started_at.tzinfo is TZ for item in result.rows)


def test_it_parses_a_good_csv_with_every_accepted_time_format():
    rows = [
        row(),
        row(
            工作事项="整理档案",
            开始时间="2026/7/2 9:00",
            结束时间="2026/7/2 11:05:30",
            困难及解决措施="档案缺页\n与原经办人核对后补齐",
            表彰或批评="获科室通报表扬",
            录入时间="2026-07-02T12:00",
            状态="已确认",
        ),
        row(工作事项="筹备招商推介会", 开始时间="2026-07-03", 结束时间="2026年7月5日", 任务编号="RW-2026-01"),
    ]
    for data in (csv_bytes(rows), csv_bytes(rows, encoding="utf-8")):
        result = parse(data)
        assert result.ok, result.errors
        first, second, third = result.rows
        assert (first.started_at, first.ended_at, first.entered_at) == (
            at(1, 9),
            at(1, 17, 30),
            at(1, 17, 30),
        )
        assert (first.status, first.task_code, first.difficulties) == ("confirmed", None, "")
        assert (second.started_at, second.ended_at) == (at(2, 9), datetime(2026, 7, 2, 11, 5, 30, tzinfo=TZ))
        assert second.entered_at == at(2, 12)
        assert second.difficulties == "档案缺页\n与原经办人核对后补齐"
        assert second.commendation == "获科室通报表扬"
        assert (third.started_at, third.ended_at, third.task_code) == (at(3), at(5, 23, 59), "RW-2026-01")
        assert [item.row for item in result.rows] == [2, 3, 4]


def test_it_decodes_a_gb18030_csv_saved_by_excel_on_chinese_windows():
    data = csv_bytes([row(困难及解决措施="群众诉求复杂，逐项解释到位")], encoding="gb18030")
    result = parse(data)
    assert result.ok, result.errors
    assert result.rows[0].title == "起草年度招商工作报告"
    assert result.rows[0].difficulties == "群众诉求复杂，逐项解释到位"


def test_it_accepts_only_the_required_columns():
    result = parse(csv_bytes([row()[:5]], headers=REQUIRED))
    assert result.ok, result.errors
    assert result.rows[0].entered_at == result.rows[0].ended_at
    assert result.rows[0].status == "confirmed"


def test_it_folds_full_width_employee_nos_and_times_and_drops_zero_width_characters():
    result = parse(
        csv_bytes([row(工号="Ａ００１", 开始时间="２０２６-０７-０１ ９：００", 工作事项="起草\u200b报告")])
    )
    assert result.ok, result.errors
    assert (result.rows[0].employee_no, result.rows[0].started_at) == ("A001", at(1, 9))
    assert result.rows[0].title == "起草报告"


def test_it_reads_times_in_the_given_zone_and_returns_them_aware():
    utc = parse(csv_bytes([row()]), tz=UTC, now=NOW).rows[0]
    assert utc.started_at == datetime(2026, 7, 1, 9, tzinfo=UTC)
    assert utc.started_at - at(1, 9) == timedelta(hours=8)


def test_it_accepts_the_shortest_stage_result_and_the_longest_texts():
    longest = "字" * 2000
    changes = {
        "阶段成果": "完成初稿。",
        "工作事项": "事" * 100,
        "困难及解决措施": longest,
        "审核意见": longest,
    }
    result = parse(csv_bytes([row(**changes)]))
    assert result.ok, result.errors


def test_it_accepts_a_record_that_ended_today_given_as_a_date():
    result = parse(csv_bytes([row(开始时间="2026-07-10", 结束时间="2026-07-10", 录入时间="2026-07-10")]))
    assert result.ok, result.errors
    assert result.rows[0].ended_at == at(10, 23, 59)


def test_it_compares_a_date_only_entry_time_by_its_day():
    result = parse(csv_bytes([row(结束时间="2026-07-01", 录入时间="2026-07-01 18:00")]))
    assert result.ok, result.errors


# Errors, one at a time.


def test_it_refuses_an_unknown_employee_no():
    error = only_error({"工号": "Z999"})
    assert error == RecordImportError(
        row=2, field="工号", message="第 2 行「工号」：工号「Z999」在系统中不存在"
    )


def test_it_refuses_an_end_before_the_start():
    error = only_error({"开始时间": "2026-07-02 09:00", "结束时间": "2026-07-01 17:00"})
    assert (error.row, error.field) == (2, "结束时间")
    assert error.message == "第 2 行「结束时间」：结束时间 2026-07-01 17:00 早于开始时间 2026-07-02 09:00"


def test_it_refuses_an_entry_time_before_the_end():
    error = only_error({"录入时间": "2026-07-01 12:00"})
    assert (error.row, error.field) == (2, "录入时间")
    assert error.message == "第 2 行「录入时间」：录入时间 2026-07-01 12:00 早于结束时间 2026-07-01 17:30"


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [
        ("开始时间", "2026-07-10 15:31", "2026-07-10 15:31"),
        ("结束时间", "2026-07-11", "2026-07-11"),
        ("录入时间", "2027/1/1 8:00", "2027-01-01 08:00"),
    ],
)
def test_it_refuses_times_in_the_future(column, value, shown):
    changes = {"开始时间": "2026-07-10 15:00", "结束时间": "2026-07-10 15:20", column: value}
    result = parse(csv_bytes([row(**changes)]))
    assert not result.ok and result.rows == []
    assert (2, column, f"第 2 行「{column}」：{shown} 晚于当前时间，不能导入尚未发生的记录") in [
        (error.row, error.field, error.message) for error in result.errors
    ]


@pytest.mark.parametrize(
    "bad", ["2026-13-01", "2026-07-01 25:00", "7/1/2026", "昨天", "46204.375", "2026-07"]
)
def test_it_refuses_an_unreadable_time(bad):
    error = only_error({"开始时间": bad})
    assert (error.row, error.field) == (2, "开始时间")
    assert error.message == (
        f"第 2 行「开始时间」：「{bad}」无法识别为日期时间，请使用 2026-07-01 09:00、2026/7/1 9:00 或 2026-07-01 格式"
    )


@pytest.mark.parametrize("title", ["报", "事" * 101])
def test_it_refuses_a_title_shorter_than_2_or_longer_than_100(title):
    error = only_error({"工作事项": title})
    assert error.message == f"第 2 行「工作事项」：工作事项应为 2–100 个字（当前 {len(title)} 个字）"


def test_it_refuses_a_stage_result_under_5_characters():
    error = only_error({"阶段成果": "已完成"})
    assert (
        error.message
        == "第 2 行「阶段成果」：阶段成果至少 5 个字，请写明这项工作取得的具体成果（当前 3 个字）"
    )


@pytest.mark.parametrize("column", ["阶段成果", "困难及解决措施", "表彰或批评", "审核意见"])
def test_it_refuses_text_over_2000_characters(column):
    error = only_error({column: "字" * 2001})
    assert (error.field, error.message) == (
        column,
        f"第 2 行「{column}」：不能超过 2000 个字（当前 2001 个字）",
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("工作事项", '=HYPERLINK("http://x","点击")'),
        ("阶段成果", "+完成了一项很重要的工作"),
        ("困难及解决措施", "-1+1"),
        ("表彰或批评", "@SUM(A1)"),
        ("审核意见", "\t=1+1"),
        ("工号", " =A001"),
    ],
)
def test_it_refuses_cells_that_look_like_formulas(column, value):
    error = only_error({column: value})
    assert error == RecordImportError(
        row=2, field=column, message=f"第 2 行「{column}」：内容不能以 = + - @ 开头（疑似公式注入）"
    )


def test_it_refuses_a_real_formula_cell_in_xlsx():
    result = parse(xlsx([row(阶段成果='=CONCAT("完成","初稿撰写")')]), "记录.xlsx")
    assert [(error.row, error.field) for error in result.errors] == [(2, "阶段成果")]


def test_it_refuses_control_characters_but_keeps_line_breaks_in_free_text():
    error = only_error({"工作事项": "起草\n报告"})
    assert error.message == "第 2 行「工作事项」：不能包含换行、制表符等控制字符"
    error = only_error({"阶段成果": "完成初稿\x07撰写"})
    assert error.message == "第 2 行「阶段成果」：不能包含换行和制表符以外的控制字符"
    result = parse(csv_bytes([row(阶段成果="一、完成初稿\r\n二、征求意见")]))
    assert result.rows[0].stage_result == "一、完成初稿\n二、征求意见"


def test_it_refuses_a_duplicate_row_naming_the_first():
    rows = [row(), row(工作事项="整理档案资料"), row(开始时间="2026/7/1 9:00", 阶段成果="另一种写法的成果")]
    assert errors_of(csv_bytes(rows)) == [
        (4, None, "第 4 行：与第 2 行重复（工号、工作事项和开始时间都相同）"),
    ]


def test_it_allows_the_same_title_for_another_person_or_another_start():
    rows = [row(), row(工号="A002"), row(开始时间="2026-07-01 09:01")]
    assert parse(csv_bytes(rows)).ok


def test_it_lists_the_allowed_status_values():
    error = only_error({"状态": "已通过"})
    assert error == RecordImportError(
        row=2, field="状态", message="第 2 行「状态」：状态「已通过」无效，可选：已确认、待审核、已退回"
    )


def test_it_refuses_an_unknown_task_code():
    error = only_error({"任务编号": "RW-9999"})
    assert error.message == "第 2 行「任务编号」：任务编号「RW-9999」在任务书中不存在"


def test_it_refuses_a_task_of_another_person():
    error = only_error({"任务编号": "RW-2026-02"})
    assert (
        error.message
        == "第 2 行「任务编号」：任务编号「RW-2026-02」是工号 A002 的任务，不能记在工号 A001 名下"
    )


def test_it_reports_each_missing_required_field():
    data = csv_bytes([row(工号="", 工作事项=" ", 开始时间="", 结束时间="", 阶段成果="", 状态="已确认")])
    assert errors_of(data) == [(2, column, f"第 2 行「{column}」：不能为空") for column in REQUIRED]


# Files and headers.


def test_it_names_missing_and_unknown_headers():
    data = csv_bytes([["A001", "x", "y"]], headers=["工号", "工作内容", "开始时间"])
    assert errors_of(data) == [
        (1, None, "第 1 行（表头）：缺少必填列：工作事项、结束时间、阶段成果"),
        (
            1,
            None,
            "第 1 行（表头）：无法识别的列：工作内容（可用的列：工号、工作事项、开始时间、结束时间、阶段成果、"
            "任务编号、困难及解决措施、表彰或批评、录入时间、状态、审核意见）",
        ),
    ]


def test_it_refuses_repeated_headers_and_data_under_a_blank_header():
    assert errors_of(csv_bytes([row()], headers=[*HEADERS[:-1], "工号"]))[0][2] == (
        "第 1 行（表头）：列名重复：工号"
    )
    assert errors_of(csv_bytes([[*row(), "多余"]], headers=[*HEADERS, ""])) == [
        (2, None, "第 2 行：第 12 列没有表头，但填写了数据")
    ]


def test_it_refuses_files_it_cannot_read():
    assert errors_of(b"x" * 2048, max_bytes=1024)[0][2].startswith("文件大小 0.0 MB，超过上限")
    assert errors_of(b"a,b", filename="记录.xls")[0][2].startswith("不支持旧版 Excel 文件")
    assert errors_of(b"a,b", filename="记录.txt")[0][2].startswith("不支持的文件类型")
    assert errors_of(b"not a zip", filename="记录.xlsx")[0][2].startswith("无法读取 Excel 文件")
    assert errors_of(b"") == [(None, None, "文件为空")]
    assert errors_of(csv_bytes([])) == [(None, None, "文件中没有数据行")]


def test_it_refuses_more_rows_than_the_limit():
    data = csv_bytes([row(工作事项=f"事项{number}") for number in range(4)])
    assert errors_of(data, max_rows=3) == [(None, None, "数据超过 3 行的上限，请拆分后再导入")]
    assert parse(data, max_rows=4).ok


def test_it_skips_blank_rows_and_keeps_spreadsheet_row_numbers():
    rows = [row(), [""] * len(HEADERS), row(工号="Z999")]
    assert errors_of(csv_bytes(rows)) == [(4, "工号", "第 4 行「工号」：工号「Z999」在系统中不存在")]


def test_it_collects_every_error_of_every_row_in_row_and_column_order():
    rows = [
        row(状态="完成", 工号="Z1"),
        row(),
        row(工作事项="x", 结束时间="2026-06-30 08:00", 任务编号="无"),
        row(),
    ]
    assert [(error.row, error.field) for error in parse(csv_bytes(rows)).errors] == [
        (2, "工号"),
        (2, "状态"),
        (4, "工作事项"),
        (4, "结束时间"),
        (4, "任务编号"),
        (5, None),
    ]


def test_it_wants_an_aware_now():
    with pytest.raises(ValueError):
        parse(csv_bytes([row()]), now=datetime(2026, 7, 10))


def test_it_parses_five_thousand_rows():
    # How long it takes is measured in bench/bench_inputs.py, not asserted here (a loaded machine would flake).
    rows = [
        row(
            工号=f"A{number % 3 + 1:03d}",
            工作事项=f"走访企业第 {number} 次",
            开始时间=f"2026-06-{number % 28 + 1:02d} 09:00",
        )
        for number in range(5000)
    ]
    for data, filename in ((csv_bytes(rows), "记录.csv"), (xlsx(rows), "记录.xlsx")):
        result = parse(data, filename)
        assert result.ok, (filename, result.errors[:3])
        assert len(result.rows) == 5000
