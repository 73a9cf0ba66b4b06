"""Finding the header under title rows and merged group cells, and the data rows under it."""

from openpyxl import Workbook
from tests.unit.sheets.books import PEOPLE, TITLE, put, real_world_roster, saved, xlsx

from kaohe.sheets import (
    CellRules,
    HeaderSpec,
    Limits,
    Row,
    Sheet,
    check_columns,
    is_totals,
    locate_header,
    read_row,
    read_sheet,
    read_table,
)

SPEC = HeaderSpec(
    columns=("工号", "姓名", "部门", "性别", "职级", "岗位类别", "职务", "入职日期", "手机号"),
    required=("工号", "姓名", "部门"),
    aliases={"手机号码": "手机号", "职工编号": "工号"},
    ignored=frozenset({"序号"}),
)


def table(data: bytes, filename: str = "名册.xlsx", **limits: int):  # type: ignore[no-untyped-def]
    return read_table(data, filename, SPEC, limits=Limits(**limits))


# The header


def test_it_finds_the_header_under_a_merged_title_a_note_and_a_blank_row():
    sheet = read_sheet(real_world_roster(PEOPLE), "a.xlsx")
    header = locate_header(sheet, SPEC)
    assert (header.first_row, header.last_row) == (4, 5)


def test_it_names_columns_by_the_lowest_header_row_falling_back_to_the_merged_parent():
    header = locate_header(read_sheet(real_world_roster(PEOPLE), "a.xlsx"), SPEC)
    # 工号, 姓名, 入职日期, 手机号码 are merged down over both rows; 性别…职务 sit under groups.
    assert header.names == ("序号", "工号", "姓名", "性别", "部门", "职级", "岗位类别", "职务", "入职日期", "手机号码")
    book = Workbook()
    sheet = book.active
    put(sheet, 1, ["工号", "基本信息", None, "备注"])
    put(sheet, 2, [None, "姓名", None, None])
    sheet.merge_cells("B1:C1")
    put(sheet, 3, ["A1", "张三", "x", "y"])
    header = locate_header(read_sheet(saved(book), "a.xlsx"), SPEC)
    # Under the group, C has no text of its own: the merged parent names it. A and D were not merged
    # down but left blank below: the text above names them.
    assert header.names == ("工号", "姓名", "基本信息", "备注")


def test_it_reads_a_plain_header_in_row_one():
    header = locate_header(read_sheet(xlsx([["工号", "姓名"], ["A1", "张三"]]), "a.xlsx"), SPEC)
    assert (header.first_row, header.last_row, header.names) == (1, 1, ("工号", "姓名"))


def test_it_takes_the_first_row_as_the_header_when_none_names_a_known_column():
    data = xlsx([[TITLE], ["编号", "名字"], ["X1", "张三"]])
    assert locate_header(read_sheet(data, "a.xlsx"), SPEC).first_row == 1
    assert locate_header(Sheet(rows=[]), SPEC).names == ()


def test_it_looks_for_the_header_only_among_the_first_rows():
    rows = [[f"说明第 {n} 行"] for n in range(12)] + [["工号", "姓名", "部门"], ["A1", "张三", "综合科"]]
    sheet = read_sheet(xlsx(rows), "a.xlsx")
    assert locate_header(sheet, SPEC).first_row == 1
    assert locate_header(sheet, SPEC, Limits(header_rows=20)).first_row == 13


def test_it_reads_header_names_without_spaces_stars_or_full_width_forms():
    header = locate_header(read_sheet(xlsx([["*工号", "姓  名", "部\u3000门\n", "手机号码"]]), "a.xlsx"), SPEC)
    columns, problems = check_columns(header, SPEC)
    assert problems == []
    assert columns is not None and columns.index == {"工号": 0, "姓名": 1, "部门": 2, "手机号": 3}


def test_it_names_missing_repeated_and_unknown_columns():
    header = locate_header(read_sheet(xlsx([["工号", "职工编号", "备注"]]), "a.xlsx"), SPEC)
    columns, problems = check_columns(header, SPEC)
    assert columns is None
    assert problems == [
        "缺少必填列：姓名、部门",
        "列名重复：工号",
        "无法识别的列：备注（可用的列：工号、姓名、部门、性别、职级、岗位类别、职务、入职日期、手机号）",
    ]


# The data rows


def test_it_reads_a_real_world_roster_leaving_out_titles_序号_and_the_totals_row():
    result = table(real_world_roster(PEOPLE))
    assert result.errors == []
    assert result.header is not None and result.header.first_row == 4
    assert [row.number for row in result.rows] == [6, 7, 8]
    assert result.columns is not None
    no = result.columns.index["工号"]
    assert [row.values[no] for row in result.rows] == ["00123", "007", 4506]


def test_it_skips_totals_rows_and_rows_with_only_a_序号():
    data = xlsx([["序号", "工号", "姓名", "部门"], [1, "A1", "张三", "综合科"], [2], [3, None, " "],
                 ["合  计", None, None, 1], ["总计：1 人"]])
    result = table(data)
    assert [row.number for row in result.rows] == [2]
    assert is_totals(Row(9, (None, "小计", 3)))
    assert not is_totals(Row(9, ("A1", "合计科")))


def test_it_refuses_a_merged_cell_spanning_data_rows_naming_the_row_and_range():
    book = Workbook()
    sheet = book.active
    put(sheet, 1, [TITLE])
    sheet.merge_cells("A1:C1")
    put(sheet, 2, ["工号", "姓名", "部门"])
    put(sheet, 3, ["A1", "张三", "综合科"])
    put(sheet, 4, ["A2", "李四"])
    sheet.merge_cells("C3:C4")  # one 部门 cell for two people: does 李四 belong to it?
    put(sheet, 5, ["合计", None, 2])
    sheet.merge_cells("A5:B5")
    result = table(saved(book))
    assert result.columns is None and result.rows == []
    [error] = result.errors
    assert (error.row, error.field) == (3, None)
    assert error.message == "第 3 行：C3:C4 是合并单元格，无法确定每一行的值，请取消合并并在每个单元格中填写后再导入"


def test_it_lets_blank_merged_cells_in_the_data_pass():
    book = Workbook()
    sheet = book.active
    put(sheet, 1, ["工号", "姓名", "部门", "职务"])
    put(sheet, 2, ["A1", "张三", "综合科"])
    put(sheet, 3, ["A2", "李四", "综合科"])
    sheet.merge_cells("D2:D3")
    assert table(saved(book)).errors == []


def test_it_refuses_more_data_rows_than_the_limit_whatever_the_title_rows():
    rows = [[TITLE], ["工号", "姓名", "部门"], *[[f"A{n}", "张三", "综合科"] for n in range(6)]]
    [error] = table(xlsx(rows), max_rows=5).errors
    assert (error.row, error.message) == (None, "数据超过 5 行的上限，请拆分后再导入")
    assert table(xlsx(rows), max_rows=6).errors == []


def test_it_reports_an_empty_file_and_a_header_without_rows():
    assert [e.message for e in table(xlsx([])).errors] == ["文件为空"]
    assert [e.message for e in table(xlsx([["工号", "姓名", "部门"], ["合计"]])).errors] == ["文件中没有数据行"]
    header_problem = table(xlsx([[TITLE], ["工号", "姓名"]])).errors
    assert [e.message for e in header_problem] == ["第 2 行（表头）：缺少必填列：部门", "文件中没有数据行"]


# One row


def test_it_reads_a_row_by_the_import_rules():
    result = table(xlsx([["工号", "姓名", "部门", "入职日期", "手机号"], ["Ａ１", "", "=1", "2023-07-01", "+8613800138000"],
                         ["A2", "李四", "综合科", None, None, "多余"]]))
    rules = CellRules(required=("工号", "姓名", "部门"), dates=frozenset({"入职日期"}), folded=frozenset({"工号"}),
                      signed_numbers=frozenset({"手机号"}))
    assert result.columns is not None
    first, second = (read_row(row, result.columns, rules) for row in result.rows)
    assert first.texts["工号"] == "A1" and first.texts["手机号"] == "+8613800138000"
    assert first.text("入职日期") == "2023-07-01"  # typed as text: the import parses it
    assert [error.message for error in first.errors] == [
        "第 2 行「部门」：内容不能以 = + - @ 开头（疑似公式注入）",
        "第 2 行「姓名」：不能为空",
    ]
    assert [error.message for error in second.errors] == ["第 3 行：第 6 列没有表头，但填写了数据"]
