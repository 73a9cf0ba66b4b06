"""Roster import against the database: all or nothing, every bad row named, an audit trail."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from kaohe.audit.models import AuditEntry
from kaohe.auth.permissions import Grant, Principal
from kaohe.auth.roles import Role
from kaohe.bootstrap import make_engine, make_session_factory
from kaohe.errors import Forbidden, Invalid
from kaohe.org import roster_service
from kaohe.org.models import Staff

HR = Principal(user_id=None, username="hr", display_name="考核办公室", staff_id=None, staff_department_id=None,
               grants=(Grant(Role.hr, None),))
HEADERS = ["工号", "姓名", "部门", "岗位类别", "职级", "职务", "分管领导工号", "入职日期"]


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    lines = [",".join(HEADERS)] + [",".join(r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def db(demo_url):  # type: ignore[no-untyped-def]
    engine = make_engine(demo_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def leader_no(db) -> str:  # type: ignore[no-untyped-def]
    # The 副主任 in charge of the front-line departments is JZ0003 in the demo unit.
    return db.scalar(select(Staff.employee_no).where(Staff.employee_no == "JZ0003"))


def state(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return (db.scalar(select(func.count()).select_from(Staff)),
            db.scalar(select(func.count()).select_from(AuditEntry)))


def test_it_imports_new_and_updates_existing_staff_with_an_audit_trail(db, leader_no):
    before = state(db)
    existing = db.scalar(select(Staff).where(Staff.employee_no == "JZ0030"))
    data = xlsx([
        ["X9001", "王小明", "政务服务一科", "管理岗", "初级", "科员", leader_no, "2024-03-01"],
        ["X9002", "李小红", "政务服务一科", "专业技术岗", "中级", "工程师", "X9001", "2023/07/15"],
        [existing.employee_no, existing.name, "政务服务二科", "管理岗", "高级", "副科长", leader_no, ""],
    ])
    outcome = roster_service.import_roster(db, actor=HR, data=data, filename="名册.xlsx", max_bytes=10 << 20)
    assert (outcome.created, outcome.updated) == (2, 1)
    count, audits = state(db)
    assert count == before[0] + 2
    assert audits >= before[1] + 4  # three staff rows and the import itself
    new = db.scalar(select(Staff).where(Staff.employee_no == "X9002"))
    assert new.supervisor.employee_no == "X9001"
    moved = db.scalar(select(Staff).where(Staff.employee_no == existing.employee_no))
    assert moved.department.name == "政务服务二科" and moved.title == "副科长"


HOSTILE = {
    "wrong headers": (xlsx([["X1", "张三"]], headers=["编号", "名字"]), "表头"),
    "duplicate 工号": (xlsx([["X1", "张三", "政务服务一科", "管理岗", "初级", "", "", ""],
                           ["X1", "李四", "政务服务一科", "管理岗", "初级", "", "", ""]]), "X1"),
    "unknown department": (xlsx([["X1", "张三", "不存在科", "管理岗", "初级", "", "", ""]]), "第 2 行"),
    "supervisor loop": (xlsx([["X1", "张三", "政务服务一科", "管理岗", "初级", "", "X2", ""],
                             ["X2", "李四", "政务服务一科", "管理岗", "初级", "", "X1", ""]]), "循环"),
    "formula injection": (xlsx([["X1", '=HYPERLINK("http://evil","点我")', "政务服务一科", "管理岗", "初级",
                                 "", "", ""]]), "公式"),
    "empty rows only": (xlsx([[None] * 8, [None] * 8]), "没有"),
    "not a spreadsheet": (b"PK\x03\x04 this is not really a zip", "无法"),
    "20 MB file": (b"a" * (20 * 1024 * 1024), "MB"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_it_refuses_a_bad_roster_and_changes_nothing(db, case):
    data, expected = HOSTILE[case]
    before = state(db)
    filename = "roster.xlsx"
    with pytest.raises(Invalid) as caught:
        roster_service.import_roster(db, actor=HR, data=data, filename=filename, max_bytes=10 << 20)
    assert "未作任何改动" in caught.value.message
    assert any(expected in d for d in caught.value.details), caught.value.details
    db.rollback()
    assert state(db) == before


def test_it_reports_every_bad_row_not_only_the_first(db):
    data = xlsx([
        ["X1", "张三", "不存在科", "管理岗", "初级", "", "", ""],
        ["X2", "李四", "政务服务一科", "厨师岗", "初级", "", "", ""],
        ["X3", "王五", "政务服务一科", "管理岗", "初级", "", "", "2024-02-30"],
    ])
    with pytest.raises(Invalid) as caught:
        roster_service.import_roster(db, actor=HR, data=data, filename="r.xlsx", max_bytes=10 << 20)
    rows = " ".join(caught.value.details)
    assert "第 2 行" in rows and "第 3 行" in rows and "第 4 行" in rows


def test_it_reads_a_gb18030_csv_from_chinese_excel(db):
    data = csv_bytes([["X7001", "欧阳修远", "政务服务一科", "管理岗", "初级", "科员", "", ""]], encoding="gb18030")
    roster_service.import_roster(db, actor=HR, data=data, filename="名册.csv", max_bytes=10 << 20)
    assert db.scalar(select(Staff.name).where(Staff.employee_no == "X7001")) == "欧阳修远"


def test_it_exports_a_roster_that_neutralises_formulas_and_reimports(db):
    person = db.scalar(select(Staff).where(Staff.employee_no == "JZ0030"))
    person.title = '=HYPERLINK("http://evil","x")'
    db.commit()
    body = roster_service.export_roster(db, actor=HR, fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    titles = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in titles
    assert not any(isinstance(v, str) and v.startswith("=") for row in sheet.iter_rows(values_only=True) for v in row)
    outcome = roster_service.import_roster(db, actor=HR, data=body, filename="export.xlsx", max_bytes=10 << 20)
    assert outcome.created == 0


def test_it_refuses_import_to_someone_without_the_permission(db):
    staff = Principal(user_id=None, username="s", display_name="干事", staff_id=1, staff_department_id=1,
                      grants=(Grant(Role.staff, None),))
    with pytest.raises(Forbidden):
        roster_service.import_roster(db, actor=staff, data=xlsx([]), filename="r.xlsx", max_bytes=10 << 20)
