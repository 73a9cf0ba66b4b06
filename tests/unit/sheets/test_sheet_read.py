"""Reading .xlsx and .csv bytes into rows: encodings, number formats, dates, limits and refusals."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook
from tests.unit.sheets.books import patched, saved, sheet_xml, xlsx

from kaohe.sheets import Limits, Row, SheetRefused, read_sheet, to_decimal


def refusal(data: bytes, filename: str = "表.xlsx", **limits: int) -> SheetRefused:
    with pytest.raises(SheetRefused) as caught:
        read_sheet(data, filename, limits=Limits(**limits))
    return caught.value


def values(data: bytes, filename: str = "表.xlsx", **options) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [row.values for row in read_sheet(data, filename, **options).rows]


# CSV


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_it_reads_csv_in_every_encoding_excel_writes(encoding):
    data = "工号,姓名\r\n00123,欧阳修远\r\n".encode(encoding)
    assert values(data, "名册.csv") == [("工号", "姓名"), ("00123", "欧阳修远")]


def test_it_numbers_csv_rows_as_a_spreadsheet_shows_them_skipping_blank_ones():
    data = "工号,姓名\n,\n\nA1,张三\n".encode()
    assert read_sheet(data, "a.csv").rows == [Row(1, ("工号", "姓名")), Row(4, ("A1", "张三"))]


def test_it_refuses_a_csv_with_a_nul_byte_naming_the_row_and_column():
    data = "工号,姓名\r\nA1,张三\r\nA2,李\x00四\r\n".encode()
    refused = refusal(data, "名册.csv")
    assert (refused.reason, refused.row) == ("nul", 3)
    assert refused.message == "第 3 行第 2 列含有空字符（NUL），文件可能已损坏，无法安全读取"


def test_it_refuses_utf16_as_an_unknown_encoding_not_as_nul_bytes():
    assert refusal("工号,姓名\r\nA1,张三\r\n".encode("utf-16-le"), "a.csv").reason == "encoding"


def test_it_refuses_an_unclosed_quote_naming_the_row():
    refused = refusal('工号,姓名\r\nA1,"张三\r\n'.encode(), "a.csv")
    assert refused.reason == "csv" and "第 2 行" in refused.message


# XLSX cells


def test_it_reads_every_row_even_past_a_wrong_dimension():
    data = xlsx([["工号", "姓名", "部门"], *[[f"A{n}", f"人{n}", "综合科"] for n in range(5)]])
    assert '<dimension ref="A1:C6"' in sheet_xml(data)
    lying = patched(data, "xl/worksheets/sheet1.xml", '<dimension ref="A1:C6"', '<dimension ref="A1:C3"')
    rows = read_sheet(lying, "a.xlsx").rows
    assert [row.number for row in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[-1].values == ("A4", "人4", "综合科")
    # A dimension that starts lower must not hide the rows above it either.
    late = patched(data, "xl/worksheets/sheet1.xml", '<dimension ref="A1:C6"', '<dimension ref="B4:C6"')
    assert len(read_sheet(late, "a.xlsx").rows) == 6


def test_it_applies_a_zero_padding_format_to_numeric_employee_numbers():
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "编码"])
    sheet.append([123, 12])
    sheet["A2"].number_format = "00000"
    sheet["B2"].number_format = '"JZ"0000'
    sheet.append(["007", 123.0])
    assert values(saved(book)) == [("工号", "编码"), ("00123", "JZ0012"), ("007", 123)]


def test_it_reads_excel_date_cells_and_the_east_asian_date_formats_openpyxl_does_not_know():
    book = Workbook()
    sheet = book.active
    sheet.append([datetime(2023, 7, 1), 45108])
    sheet["A1"].number_format = "yyyy-mm-dd"
    sheet["B1"].number_format = 'yyyy"年"m"月"d"日"'
    data = saved(book)
    assert values(data) == [(datetime(2023, 7, 1), datetime(2023, 7, 1))]
    # Excel on Chinese Windows writes that format as built-in format 31, with no format code.
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    custom = styles[styles.index("<numFmt ") : styles.index("/>", styles.index("<numFmt ")) + 2]
    builtin = patched(data, "xl/styles.xml", custom, "")
    builtin = patched(builtin, "xl/styles.xml", 'numFmtId="165"', 'numFmtId="31"')
    assert values(builtin) == [(datetime(2023, 7, 1), datetime(2023, 7, 1))]
    # Without the format it is a bare number, not a date.
    plain = Workbook()
    plain.active.append([45108])
    assert values(saved(plain)) == [(45108,)]


def test_it_keeps_a_percent_cell_as_the_fraction_it_holds():
    book = Workbook()
    book.active.append([0.85, "85%"])
    book.active["A1"].number_format = "0%"
    [(cell, text)] = values(saved(book))
    assert to_decimal(cell) == to_decimal(text) == to_decimal("８５％")


def test_it_reads_a_formula_cell_as_its_formula_or_when_asked_as_its_computed_value():
    data = xlsx([["合计", "=SUM(1,2)"]])
    assert values(data) == [("合计", "=SUM(1,2)")]
    cached = patched(data, "xl/worksheets/sheet1.xml", "<f>SUM(1,2)</f><v />", "<f>SUM(1,2)</f><v>3</v>")
    assert values(cached, formula_values=True) == [("合计", 3)]


def test_it_refuses_a_nul_in_an_xlsx_cell_naming_the_row():
    data = xlsx([["工号", "姓名"], ["A1", "张三"], ["A2", "李四"]])
    damaged = patched(data, "xl/worksheets/sheet1.xml", "<t>李四</t>", "<t>李_x0000_四</t>")
    refused = refusal(damaged)
    assert (refused.reason, refused.row) == ("nul", 3)
    assert refused.message.startswith("第 3 行第 2 列含有空字符（NUL）")


def test_it_unescapes_the_characters_ooxml_writes_as_codes():
    data = xlsx([["一行_x000D_"]])
    assert values(data) == [("一行\r",)]


def test_it_refuses_a_25_digit_number_naming_the_row_and_the_limit():
    data = xlsx([["工号", "身份证号"], ["A1", "110101199003071234"], ["A2", 1234567890123456789012345]])
    refused = refusal(data)
    assert (refused.reason, refused.row) == ("digits", 3)
    assert refused.message.startswith("第 3 行第 2 列的数字超过 18 位")
    assert values(xlsx([[10**17]])) == [(10**17,)]


def test_it_refuses_a_filled_cell_past_the_column_limit():
    book = Workbook()
    book.active.cell(row=4, column=201, value="x")
    refused = refusal(saved(book))
    assert (refused.reason, refused.row) == ("too_many_columns", 4)
    assert "200 列" in refused.message and "第 4 行" in refused.message
    assert refusal(xlsx([["a", "b", "c"]]), max_columns=2).reason == "too_many_columns"
    wide = ",".join(["x"] * 201).encode()
    assert refusal(wide, "a.csv").reason == "too_many_columns"


def test_it_stops_reading_once_the_rows_cannot_fit_the_limit():
    data = xlsx([[n] for n in range(30)])
    sheet = read_sheet(data, "a.xlsx", limits=Limits(max_rows=5, header_rows=2))
    assert sheet.over_limit and len(sheet.rows) == 7
    assert not read_sheet(data, "a.xlsx", limits=Limits(max_rows=28, header_rows=2)).over_limit


def test_it_refuses_a_sheet_of_endless_blank_rows():
    data = ("\n" * 60 + "a\n").encode()
    refused = refusal(data, "a.csv", max_scanned_rows=50)
    assert refused.reason == "too_many_rows" and "50" in refused.message


def test_it_gives_the_merged_ranges_of_the_first_sheet():
    book = Workbook()
    book.active.append(["标题"])
    book.active.merge_cells("A1:C1")
    book.active.merge_cells("B3:B5")
    assert {merged.ref for merged in read_sheet(saved(book), "a.xlsx").merges} == {"A1:C1", "B3:B5"}


# The file as a whole


def test_it_refuses_files_it_cannot_read():
    assert refusal(b"x" * 2048, "a.csv", max_bytes=1024).reason == "too_large"
    assert refusal(b"x", "名册.xls").message.startswith("不支持旧版 Excel 文件")
    assert refusal(b"x", "名册.pdf").message == "不支持的文件类型「.pdf」，请上传 .xlsx 或 .csv 文件"
    assert refusal(b" \r\n", "a.csv").reason == "empty"
    assert refusal(b"PK\x03\x04 not a zip").reason == "corrupt"
    assert read_sheet(xlsx([]), "a.xlsx").rows == []
