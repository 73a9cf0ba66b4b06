"""The pure roster import: files built in memory, parsed, and the Chinese errors checked."""

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.org.roster import ROSTER_HEADERS, RosterError, RosterResult, RosterRow, parse_roster

DEPARTMENTS = frozenset({"综合科", "招商科", "政务服务科"})
# Staff already in the database: B900 has no supervisor, B901 reports to B900.
EXISTING = {"B900": None, "B901": "B900"}
HEADERS = ROSTER_HEADERS
GOOD = [
    [
        "A001",
        "张三",
        "男",
        "综合科",
        "管理岗",
        "中级",
        "科长",
        "综合管理岗",
        "B900",
        "2015-03-01",
        "13800138000",
        "在职",
    ],
    [
        "A002",
        "欧阳晓",
        "女",
        "招商科",
        "专业技术岗",
        "初级",
        "科员",
        "招商引资岗",
        "A001",
        "2019/07/15",
        "+86 139 0013 9000",
        "",
    ],
    [
        "A003",
        "王五",
        "",
        "政务服务科",
        "工勤技能岗",
        "高级",
        "",
        "窗口服务岗",
        "",
        "2021年9月1日",
        "",
        "停用",
    ],
]
EXPECTED = [
    RosterRow(
        row=2,
        employee_no="A001",
        name="张三",
        gender="男",
        department="综合科",
        post_category=PostCategory.management,
        level=Level.intermediate,
        title="科长",
        post_name="综合管理岗",
        supervisor_no="B900",
        hired_on=date(2015, 3, 1),
        phone="13800138000",
        status=StaffStatus.active,
    ),
    RosterRow(
        row=3,
        employee_no="A002",
        name="欧阳晓",
        gender="女",
        department="招商科",
        post_category=PostCategory.technical,
        level=Level.junior,
        title="科员",
        post_name="招商引资岗",
        supervisor_no="A001",
        hired_on=date(2019, 7, 15),
        phone="13900139000",
        status=StaffStatus.active,
    ),
    RosterRow(
        row=4,
        employee_no="A003",
        name="王五",
        gender=None,
        department="政务服务科",
        post_category=PostCategory.service,
        level=Level.senior,
        title="",
        post_name="窗口服务岗",
        supervisor_no=None,
        hired_on=date(2021, 9, 1),
        phone=None,
        status=StaffStatus.inactive,
    ),
]


def xlsx(rows: list[list[object]], headers: tuple[str, ...] | list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], headers=HEADERS, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def parse(data: bytes, filename: str = "名册.xlsx", **options) -> RosterResult:
    options.setdefault("known_departments", DEPARTMENTS)
    options.setdefault("existing_supervisors", EXISTING)
    return parse_roster(data, filename, **options)


def row(**changes: object) -> list[object]:
    """A good row (A009, reporting to nobody) with some columns changed, keyed by attribute name."""
    values = dict(
        zip(
            HEADERS,
            ["A009", "赵六", "男", "综合科", "管理岗", "初级", "科员", "", "", "", "", ""],
            strict=True,
        )
    )
    names = {
        "no": "工号",
        "name": "姓名",
        "gender": "性别",
        "dept": "部门",
        "category": "岗位类别",
        "level": "职级",
        "title": "职务",
        "post": "岗位名称",
        "sup": "分管领导工号",
        "hired": "入职日期",
        "phone": "手机号",
        "status": "状态",
    }
    for key, value in changes.items():
        values[names[key]] = value
    return [values[header] for header in HEADERS]


def messages(result: RosterResult) -> list[str]:
    assert not result.ok
    assert result.rows == []
    return [error.message for error in result.errors]


def only_error(result: RosterResult) -> RosterError:
    assert not result.ok, result.rows
    assert len(result.errors) == 1, messages(result)
    return result.errors[0]


# Good files


def test_it_parses_a_good_xlsx_into_rows():
    result = parse(xlsx(GOOD))
    assert result.errors == []
    assert result.ok
    assert result.rows == EXPECTED


def test_it_parses_a_good_csv_with_and_without_bom():
    for encoding in ("utf-8-sig", "utf-8"):
        result = parse(csv_bytes(GOOD, encoding=encoding), "名册.csv")
        assert result.errors == []
        assert result.rows == EXPECTED


def test_it_decodes_a_gb18030_csv_saved_by_excel_on_chinese_windows():
    rows = [row(name="欧阳䶮"), row(no="A010", name="龚晓燕", dept="招商科")]
    result = parse(csv_bytes(rows, encoding="gb18030"), "名册.CSV")
    assert result.errors == []
    assert [r.name for r in result.rows] == ["欧阳䶮", "龚晓燕"]
    assert [r.department for r in result.rows] == ["综合科", "招商科"]


def test_it_accepts_headers_in_any_order_with_spaces_and_only_the_required_columns():
    headers = [" 部门 ", "职级\u3000", "工号", " 姓名", "岗位类别"]
    result = parse(xlsx([["综合科", "初级", "A001", "张三", "management"]], headers))
    assert result.errors == []
    [only] = result.rows
    assert (only.employee_no, only.department, only.level, only.post_category) == (
        "A001",
        "综合科",
        Level.junior,
        PostCategory.management,
    )
    assert (only.gender, only.title, only.supervisor_no, only.phone) == (None, "", None, None)
    assert only.status == StaffStatus.active


def test_it_reads_numeric_cells_and_excel_dates_from_xlsx():
    rows = [
        row(no=1001.0, phone=13800138000, hired=datetime(2018, 5, 6)),
        row(no=1002, name="钱七", sup=1001.0, phone=13900139000.0, hired=date(2020, 1, 1)),
    ]
    result = parse(xlsx(rows))
    assert result.errors == []
    first, second = result.rows
    assert (first.employee_no, first.phone, first.hired_on) == ("1001", "13800138000", date(2018, 5, 6))
    assert (second.employee_no, second.supervisor_no, second.phone) == ("1002", "1001", "13900139000")
    assert second.hired_on == date(2020, 1, 1)


def test_it_folds_full_width_digits_in_numbers_and_dates():
    result = parse(xlsx([row(no="Ａ００９", phone="１３８００１３８０００", hired="２０２０－０１－０２")]))
    assert result.errors == []
    assert (result.rows[0].employee_no, result.rows[0].phone) == ("A009", "13800138000")
    assert result.rows[0].hired_on == date(2020, 1, 2)


def test_it_skips_blank_rows_and_keeps_spreadsheet_row_numbers():
    rows = [row(), [None] * len(HEADERS), ["", " ", "\u3000"], row(no="A010", dept="不存在科")]
    error = only_error(parse(xlsx(rows)))
    assert error == RosterError(row=5, field="部门", message="第 5 行「部门」：部门「不存在科」不存在")


def test_it_reads_only_the_first_worksheet():
    workbook = Workbook()
    workbook.active.append(list(HEADERS))
    workbook.active.append(row())
    other = workbook.create_sheet("其他")
    other.append(["随便", "什么"])
    other.append(["=1+1"])
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse(buffer.getvalue())
    assert result.errors == []
    assert [r.employee_no for r in result.rows] == ["A009"]


# The file as a whole


def test_it_refuses_a_20_mb_file_stating_the_limit():
    # The refusal comes before any parsing; its time is measured in bench/bench_inputs.py.
    data = b"x" * (20 * 1024 * 1024)
    result = parse(data, "名册.xlsx")
    error = only_error(result)
    assert error.row is None
    assert error.message == "文件大小 20.0 MB，超过上限 10 MB，请拆分后再导入"


def test_it_refuses_unsupported_extensions():
    assert (
        only_error(parse(b"%PDF", "名册.pdf")).message
        == "不支持的文件类型「.pdf」，请上传 .xlsx 或 .csv 文件"
    )
    assert "另存为 .xlsx" in only_error(parse(b"\xd0\xcf\x11\xe0", "名册.xls")).message
    assert "「名册」" in only_error(parse(b"abc", "名册")).message


def test_it_refuses_a_corrupt_or_non_xlsx_file_named_xlsx():
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    truncated = xlsx(GOOD)[:500]
    for data in (b"this is not a spreadsheet", zipped.getvalue(), truncated, csv_bytes(GOOD)):
        error = only_error(parse(data, "C:\\fakepath\\名册.xlsx"))
        assert error.message == "无法读取 Excel 文件，文件可能已损坏或不是 .xlsx 格式"


def test_it_refuses_an_empty_file():
    for data, filename in (
        (b"", "名册.csv"),
        (b"  \r\n", "名册.csv"),
        (b"", "名册.xlsx"),
        (xlsx([], []), "a.xlsx"),
    ):
        assert only_error(parse(data, filename)).message == "文件为空"


def test_it_refuses_a_file_with_only_a_header():
    for data, filename in (
        (xlsx([]), "名册.xlsx"),
        (csv_bytes([]), "名册.csv"),
        (xlsx([[None], [""]]), "a.xlsx"),
    ):
        error = only_error(parse(data, filename))
        assert (error.row, error.message) == (None, "文件中没有数据行")


def test_it_refuses_more_rows_than_the_limit():
    rows = [row(no=f"A{n:03}") for n in range(6)]
    assert only_error(parse(xlsx(rows), max_rows=5)).message == "数据超过 5 行的上限，请拆分后再导入"
    assert parse(xlsx(rows[:5]), max_rows=5).ok


def test_it_refuses_bytes_that_are_neither_utf8_nor_gb18030():
    utf16 = b"\xff\xfe" + "工号,姓名\r\n".encode("utf-16-le")
    for data in (utf16, "工号,姓名".encode("utf-16-le"), b"\x80\x81\xff\xfe"):
        message = only_error(parse(data, "名册.csv")).message
        assert message == "无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030（GBK）编码后再导入"


def test_it_refuses_a_csv_it_cannot_parse():
    data = "工号,姓名\r\n".encode() + b'"' + b"x" * 200_000 + b'"\r\n'
    assert only_error(parse(data, "名册.csv")).message.startswith("CSV 文件格式错误")


# The header


def test_it_names_all_missing_required_headers_in_one_error():
    error = only_error(parse(xlsx([["A001", "张三"]], ["工号", "姓名"])))
    assert error.row == 1
    assert error.message == "第 1 行（表头）：缺少必填列：部门、岗位类别、职级"


def test_it_names_unknown_columns_and_still_checks_the_rows():
    headers = [*HEADERS, "备注", "身份证号"]
    result = parse(xlsx([[*row(dept="后勤科"), "x", "y"]], headers))
    assert messages(result) == [
        "第 1 行（表头）：无法识别的列：备注、身份证号（可用的列：" + "、".join(HEADERS) + "）",
        "第 2 行「部门」：部门「后勤科」不存在",
    ]


def test_it_refuses_repeated_headers():
    error = only_error(parse(xlsx([[*row(), "李四"]], [*HEADERS, "姓名"])))
    assert error.message == "第 1 行（表头）：列名重复：姓名"


def test_it_refuses_data_under_a_blank_header():
    error = only_error(parse(csv_bytes([[*row(), "", "多余"]]), "名册.csv"))
    assert error == RosterError(row=2, field=None, message="第 2 行：第 14 列没有表头，但填写了数据")


# Rows


def test_it_reports_each_missing_required_field_of_a_partial_row():
    result = parse(xlsx([row(name="", dept=" ", level=None)]))
    assert messages(result) == [
        "第 2 行「姓名」：不能为空",
        "第 2 行「部门」：不能为空",
        "第 2 行「职级」：不能为空",
    ]
    assert [(e.row, e.field) for e in result.errors] == [(2, "姓名"), (2, "部门"), (2, "职级")]


def test_it_reports_a_duplicate_employee_no_naming_both_rows():
    error = only_error(parse(xlsx([row(), row(no="A010"), row(name="李四")])))
    assert error == RosterError(row=4, field="工号", message="第 4 行「工号」：工号「A009」与第 2 行重复")


@pytest.mark.parametrize("bad", ["A 001", "A_001", "A/001", "张三", "A" * 33])
def test_it_refuses_a_malformed_employee_no(bad):
    error = only_error(parse(xlsx([row(no=bad)])))
    assert error.field == "工号"
    assert error.message.startswith("第 2 行「工号」：工号「")
    assert "格式不正确" in error.message


def test_it_accepts_employee_nos_of_letters_digits_and_hyphens():
    assert parse(xlsx([row(no="HR-2024-001"), row(no="9", name="李四"), row(no="a" * 32, name="王五")])).ok


def test_it_checks_name_and_text_lengths():
    result = parse(xlsx([row(name="张"), row(no="A010", name="张" * 21, title="长" * 31, post="岗" * 51)]))
    assert messages(result) == [
        "第 2 行「姓名」：姓名「张」长度应为 2–20 个字",
        "第 3 行「姓名」：姓名「" + "张" * 21 + "」长度应为 2–20 个字",
        "第 3 行「职务」：不能超过 30 个字",
        "第 3 行「岗位名称」：不能超过 50 个字",
    ]


def test_it_lists_the_allowed_values_of_closed_columns():
    result = parse(xlsx([row(category="行政岗", level="特级", gender="未知", status="退休")]))
    assert messages(result) == [
        "第 2 行「性别」：性别「未知」无效，可选：男、女",
        "第 2 行「岗位类别」：岗位类别「行政岗」无效，可选：管理岗、专业技术岗、工勤技能岗",
        "第 2 行「职级」：职级「特级」无效，可选：初级、中级、高级",
        "第 2 行「状态」：状态「退休」无效，可选：在职、停用",
    ]


@pytest.mark.parametrize(
    "bad", ["2020-02-30", "2020.01.01", "01/02/2020", "去年", "2020-1/1", "1800-01-01", 2020, 43831]
)
def test_it_refuses_a_bad_hire_date(bad):
    error = only_error(parse(xlsx([row(hired=bad)])))
    assert error.message == (
        f"第 2 行「入职日期」：入职日期「{bad}」无法识别，请使用 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日 格式"
    )


@pytest.mark.parametrize("bad", ["1380013800", "138001380001", "23800138000", "+1 415 555 0100", "电话"])
def test_it_refuses_a_bad_phone(bad):
    error = only_error(parse(xlsx([row(phone=bad)])))
    assert error.message == f"第 2 行「手机号」：手机号「{bad}」不是有效的 11 位手机号码"


def test_it_accepts_mobile_numbers_with_country_code_and_separators():
    phones = ["+8613800138000", "86 138 0013 8000", "138-0013-8000"]
    rows = [row(no=f"A{n}", phone=phone) for n, phone in enumerate(phones)]
    assert [r.phone for r in parse(xlsx(rows)).rows] == ["13800138000"] * 3


def test_it_refuses_control_characters_inside_a_cell():
    error = only_error(parse(xlsx([row(title="科长\n副主任")])))
    assert error.message == "第 2 行「职务」：不能包含换行、制表符等控制字符"


def test_it_collects_every_error_of_every_row():
    rows = [row(dept="后勤科"), row(no="A010", level="特级", phone="123"), row(no="A011")]
    result = parse(csv_bytes(rows), "名册.csv")
    assert [(e.row, e.field) for e in result.errors] == [(2, "部门"), (3, "职级"), (3, "手机号")]
    assert result.rows == []


# Supervisors


def test_it_refuses_an_unknown_supervisor():
    error = only_error(parse(xlsx([row(sup="Z999")])))
    assert (
        error.message == "第 2 行「分管领导工号」：分管领导工号「Z999」不存在（既不在本文件中，也不在系统中）"
    )


def test_it_accepts_a_supervisor_later_in_the_file_or_already_in_the_system():
    rows = [row(sup="A010"), row(no="A010", name="李四", sup="B901")]
    assert parse(xlsx(rows)).ok


def test_it_refuses_being_ones_own_supervisor():
    error = only_error(parse(xlsx([row(sup="A009")])))
    assert error.message == "第 2 行「分管领导工号」：分管领导不能是本人"


def test_it_refuses_a_loop_within_the_file_naming_the_chain():
    rows = [
        row(no="A001", sup="A002"),
        row(no="A002", name="李四", sup="A003"),
        row(no="A003", name="王五", sup="A001"),
    ]
    error = only_error(parse(xlsx(rows)))
    assert error == RosterError(
        row=2,
        field="分管领导工号",
        message="第 2 行「分管领导工号」：分管关系形成循环：A001 → A002 → A003 → A001",
    )


def test_it_refuses_a_loop_through_staff_already_in_the_system():
    # B900 is already in the system; the file makes B900 report to A001, who reports to B901 → B900.
    rows = [row(no="A001", sup="B901"), row(no="B900", name="李四", sup="A001")]
    error = only_error(parse(xlsx(rows)))
    assert error.message == "第 2 行「分管领导工号」：分管关系形成循环：A001 → B901 → B900 → A001"


def test_it_lets_the_file_override_an_existing_supervisor_and_break_a_loop():
    # Existing: B901 → B900. The file moves B900 under B901 and B901 to nobody: no loop remains.
    rows = [row(no="B900", sup="B901"), row(no="B901", name="李四", sup="")]
    assert parse(xlsx(rows)).ok
    # Without moving B901, the same change closes a loop.
    assert "分管关系形成循环：B900 → B901 → B900" in messages(parse(xlsx(rows[:1])))[0]


def test_it_ignores_a_loop_that_the_file_does_not_touch():
    existing = {"C1": "C2", "C2": "C1"}
    assert parse(xlsx([row(sup="C1")]), existing_supervisors=existing).ok


# Formula injection


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", "=1+1"),
        ("title", "+SUM(A1)"),
        ("post", "-2+3"),
        ("dept", "@SUM(A1)"),
        ("title", "\t科长"),
        ("title", "\r科长"),
        ("name", " =cmd|' /C calc'!A0"),
        ("phone", "+SUM(1)"),
        ("hired", "=TODAY()"),
    ],
)
def test_it_refuses_cells_that_look_like_formulas(column, value):
    field = {
        "name": "姓名",
        "title": "职务",
        "post": "岗位名称",
        "dept": "部门",
        "phone": "手机号",
        "hired": "入职日期",
    }[column]
    for data, filename in (
        (xlsx([row(**{column: value})]), "a.xlsx"),
        (csv_bytes([row(**{column: value})]), "a.csv"),
    ):
        error = only_error(parse(data, filename))
        assert error.message == f"第 2 行「{field}」：内容不能以 = + - @ 开头（疑似公式注入）"


def test_it_refuses_a_real_formula_cell_in_xlsx():
    error = only_error(parse(xlsx([row(name='=HYPERLINK("http://x","点我")')])))
    assert (error.row, error.field) == (2, "姓名")
    assert "疑似公式注入" in error.message


# Volume (the time it takes is measured in bench/bench_inputs.py, not asserted here)


def test_it_parses_ten_thousand_rows():
    departments = sorted(DEPARTMENTS)
    rows = [
        [
            f"E{n:05}",
            f"干事{n}",
            "男" if n % 2 else "女",
            departments[n % 3],
            "管理岗",
            "初级",
            "科员",
            "综合岗",
            f"E{n - 1:05}" if n % 10 else "",
            "2020-01-01",
            f"138{n:08}",
            "在职",
        ]
        for n in range(10_000)
    ]
    result = parse(xlsx(rows))
    assert result.errors == []
    assert len(result.rows) == 10_000
