"""The roster import on rosters as Chinese HR offices keep them: titles, merged headers, 序号, 合计."""

from datetime import date

from tests.unit.sheets.books import PEOPLE, TITLE, real_world_roster

from kaohe.org.roster import parse_roster

DEPARTMENTS = frozenset({"综合科", "招商科", "政务服务科"})


def parse(data: bytes, filename: str = "2026年干部名册.xlsx"):  # type: ignore[no-untyped-def]
    return parse_roster(data, filename, known_departments=DEPARTMENTS, existing_supervisors={})


def test_it_imports_a_roster_with_a_title_a_two_row_merged_header_and_a_totals_row():
    result = parse(real_world_roster(PEOPLE))
    assert result.errors == []
    assert [row.row for row in result.rows] == [6, 7, 8]
    assert [row.employee_no for row in result.rows] == ["00123", "007", "4506"]
    assert [row.name for row in result.rows] == ["林晓峰", "陈静", "王建国"]
    assert [row.hired_on for row in result.rows] == [date(2015, 3, 1), date(2023, 7, 1), date(2019, 7, 15)]
    assert [row.phone for row in result.rows] == ["13800138000", "13900139000", None]
    assert [row.department for row in result.rows] == ["综合科", "招商科", "政务服务科"]


def test_it_names_the_spreadsheet_row_of_a_bad_cell_under_the_titles():
    people = [PEOPLE[0], (*PEOPLE[1][:3], "后勤科", *PEOPLE[1][4:])]
    [error] = parse(real_world_roster(people)).errors
    assert error.message == "第 7 行「部门」：部门「后勤科」不存在"


def test_it_names_the_header_row_of_a_header_problem():
    result = parse(real_world_roster(PEOPLE, department_header="单位"))
    assert [error.message for error in result.errors] == [
        "第 4 行（表头）：缺少必填列：部门",
        "第 4 行（表头）：无法识别的列：单位（可用的列：工号、姓名、性别、部门、岗位类别、职级、职务、岗位名称、"
        "分管领导工号、入职日期、手机号、状态）",
    ]


def test_it_reads_a_gbk_csv_with_a_title_line_and_full_width_digits():
    text = (
        f"{TITLE},,,,\r\n"
        ",,,,\r\n"
        "序号,职工编号,姓名,所在部门,岗位类别,职级\r\n"
        "1,００１２３,欧阳修远,综合科,管理岗,初级\r\n"
        "2,A-7,龚晓燕,招商科,专业技术岗,中级\r\n"
        "合计,2人,,,,\r\n"
    )
    result = parse(text.encode("gbk"), "名册.csv")
    assert result.errors == []
    assert [(row.row, row.employee_no, row.name) for row in result.rows] == [(4, "00123", "欧阳修远"), (5, "A-7", "龚晓燕")]
