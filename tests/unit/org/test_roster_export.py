"""The roster export: neutralised text, Excel-friendly files, and a round trip through the import."""

import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.org.roster import (
    ROSTER_HEADERS,
    RosterExportRow,
    RosterRow,
    neutralise,
    parse_roster,
    write_roster_csv,
    write_roster_xlsx,
)

HYPERLINK = '=HYPERLINK("http://x","点我")'
STAFF = [
    RosterExportRow(
        employee_no="A001",
        name="张三",
        gender="男",
        department="综合科",
        post_category=PostCategory.management,
        level=Level.intermediate,
        title="科长",
        post_name="综合管理岗",
        hired_on=date(2015, 3, 1),
        phone="13800138000",
    ),
    RosterExportRow(
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
    ),
    RosterExportRow(
        employee_no="1003",
        name="王五",
        department="政务服务科",
        post_category=PostCategory.service,
        level=Level.senior,
        post_name="窗口服务岗",
        status=StaffStatus.inactive,
    ),
]
DEPARTMENTS = {"综合科", "招商科", "政务服务科"}


def reimport(data: bytes, filename: str):
    return parse_roster(data, filename, known_departments=DEPARTMENTS, existing_supervisors={})


def as_export(row: RosterRow) -> RosterExportRow:
    fields = {name: getattr(row, name) for name in RosterExportRow.__dataclass_fields__}
    return RosterExportRow(**fields)


def test_it_neutralises_values_that_could_start_a_formula():
    assert neutralise(HYPERLINK) == "'" + HYPERLINK
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    for value in ("张三", "", "A-001", "1+1", " =x"):
        assert neutralise(value) == value


@given(st.text())
def test_it_never_leaves_a_dangerous_first_character(value):
    assert not neutralise(value).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert neutralise(value).removeprefix("'") in (value, value.removeprefix("'"))


def test_it_writes_xlsx_with_a_bold_frozen_header_and_sized_columns():
    sheet = load_workbook(io.BytesIO(write_roster_xlsx(STAFF))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(ROSTER_HEADERS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABHI"}
    assert all(8 <= width <= 40 for width in widths.values())
    assert widths["I"] > widths["A"]  # 分管领导工号 is a long header
    assert [cell.value for cell in sheet[2]][:6] == ["A001", "张三", "男", "综合科", "管理岗", "中级"]
    assert sheet["J2"].value.date() == date(2015, 3, 1)
    assert sheet["J2"].number_format == "yyyy-mm-dd"
    assert sheet["L4"].value == "停用"


def test_it_neutralises_a_hyperlink_formula_in_the_xlsx_export():
    row = RosterExportRow(
        employee_no="A001",
        name="张三",
        department="综合科",
        post_category=PostCategory.management,
        level=Level.junior,
        title=HYPERLINK,
    )
    data = write_roster_xlsx([row])
    cell = load_workbook(io.BytesIO(data)).worksheets[0]["G2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + HYPERLINK
    # Re-imported, the quoted text is plain text, not a formula.
    result = reimport(data, "名册.xlsx")
    assert result.errors == []
    assert result.rows[0].title == "'" + HYPERLINK


def test_it_neutralises_every_text_column_in_the_csv_export():
    row = {
        "工号": "A001",
        "姓名": "=1+1",
        "部门": "@综合科",
        "岗位类别": "管理岗",
        "职级": "初级",
        "职务": "-1",
        "岗位名称": "+x",
    }
    text = write_roster_csv([row]).decode("utf-8-sig")
    assert text.splitlines()[1] == "A001,'=1+1,,'@综合科,管理岗,初级,'-1,'+x,,,,"


def test_it_writes_csv_in_utf8_with_a_bom_for_excel():
    data = write_roster_csv(STAFF)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ",".join(ROSTER_HEADERS)
    assert lines[1] == "A001,张三,男,综合科,管理岗,中级,科长,综合管理岗,,2015-03-01,13800138000,在职"


def test_it_round_trips_an_export_through_the_import():
    for data, filename in ((write_roster_xlsx(STAFF), "名册.xlsx"), (write_roster_csv(STAFF), "名册.csv")):
        result = reimport(data, filename)
        assert result.errors == []
        assert [as_export(row) for row in result.rows] == STAFF
        assert [row.row for row in result.rows] == [2, 3, 4]


def test_it_exports_imported_rows_and_mappings_keyed_by_attribute():
    imported = reimport(write_roster_csv(STAFF), "名册.csv").rows
    assert write_roster_csv(imported) == write_roster_csv(STAFF)
    mappings = [{name: getattr(row, name) for name in RosterExportRow.__dataclass_fields__} for row in STAFF]
    assert write_roster_csv(mappings) == write_roster_csv(STAFF)


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="赵钱孙李周吴郑王欧阳·", min_size=2, max_size=20),
            # The import strips cells and allows 30 characters, one of which a neutralising quote may take.
            st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=29).map(
                str.strip
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
@settings(max_examples=300)
def test_it_round_trips_arbitrary_names_and_titles_through_csv(people):
    rows = [
        RosterExportRow(
            employee_no=f"A{n}",
            name=name,
            department="综合科",
            post_category=PostCategory.management,
            level=Level.junior,
            title=title,
        )
        for n, (name, title) in enumerate(people)
    ]
    result = reimport(write_roster_csv(rows), "名册.csv")
    assert result.errors == []
    assert [(row.name, row.title) for row in result.rows] == [
        (name, neutralise(title)) for name, title in people
    ]
