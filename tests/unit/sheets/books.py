"""Spreadsheets as HR offices keep them, built in memory with openpyxl for the import tests."""

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

TITLE = "江州市政务服务中心2026年干部名册"


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook whose first sheet holds `rows` from A1 down."""
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    return saved(book)


def patched(data: bytes, part: str, old: str, new: str) -> bytes:
    """The .xlsx with `old` replaced by `new` in one of its XML parts, as another program might write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                text = content.decode()
                assert old in text, f"{old!r} not in {part}"
                content = text.replace(old, new).encode()
            target.writestr(item, content)
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def put(sheet: Worksheet, row: int, values: Sequence[object], start: int = 1) -> None:
    for offset, value in enumerate(values):
        if value is not None:
            sheet.cell(row=row, column=start + offset, value=value)


# One person of the real-world roster: 工号 as a number padded by its format or as text, 姓名,
# 性别, 部门, 职级, 岗位类别, 职务, 入职日期 (a date cell or text), 手机号.
Person = tuple[int | str, str, str, str, str, str, str, datetime | str | None, str | int | None]


def real_world_roster(people: Sequence[Person], *, department_header: str = "部门") -> bytes:
    """A roster as a Chinese HR office keeps it: a merged title, a line of who filled it in, a blank
    row, a two-row header whose group cells are merged over their sub-columns, 序号, numeric 工号
    shown with leading zeros by a "00000" format, and a merged 合计 row at the bottom."""
    book = Workbook()
    sheet = book.active
    sheet.title = "干部名册"
    put(sheet, 1, [TITLE])
    sheet.merge_cells("A1:J1")
    put(sheet, 2, ["填报单位：人事科", None, None, None, None, None, None, "填报日期：2026年3月1日"])
    sheet.merge_cells("A2:C2")
    # Row 3 is left blank. Rows 4–5 are the header.
    put(sheet, 4, ["序号", "工号", "姓  名", "基本信息", None, None, "岗位信息", None, "入职日期", "手机号码"])
    put(sheet, 5, [None, None, None, "性别", department_header, "职级", "岗位类别", "职务"])
    for ref in ("A4:A5", "B4:B5", "C4:C5", "D4:F4", "G4:H4", "I4:I5", "J4:J5"):
        sheet.merge_cells(ref)
    number = 5
    for position, person in enumerate(people, start=1):
        number += 1
        employee_no, *rest = person
        put(sheet, number, [position, employee_no, *rest])
        if isinstance(employee_no, int):
            sheet.cell(row=number, column=2).number_format = "00000"
        if isinstance(person[7], datetime):
            sheet.cell(row=number, column=9).number_format = "yyyy-mm-dd"
    put(sheet, number + 1, ["合计", None, None, f"{len(people)} 人"])
    sheet.merge_cells(f"A{number + 1}:C{number + 1}")
    return saved(book)


PEOPLE: list[Person] = [
    (123, "林晓峰", "男", "综合科", "中级", "管理岗", "科长", datetime(2015, 3, 1), 13800138000),
    ("007", "陈静", "女", "招商科", "初级", "专业技术岗", "科员", "2023年7月1日", "１３９００１３９０００"),
    (4506.0, "王建国", "男", "政务服务科", "高级", "工勤技能岗", "", "2019/7/15", None),
]
# The same people in departments of the demo unit, for the database and page tests.
DEMO_PEOPLE: list[Person] = [
    (123, "林晓峰", "男", "政务服务一科", "中级", "管理岗", "科长", datetime(2015, 3, 1), 13800138000),
    ("007", "陈静", "女", "政务服务二科", "初级", "专业技术岗", "科员", "2023年7月1日", "１３９００１３９０００"),
    (4506.0, "王建国", "男", "政务服务一科", "高级", "工勤技能岗", "", "2019/7/15", None),
]
