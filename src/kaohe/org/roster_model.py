"""Plain data of the staff roster import and export: the columns, a row, an error, a result.

The org enums and the shared sheet types only, so the checks and the writer can both use it.
"""

from dataclasses import dataclass
from datetime import date

from kaohe.org.enums import Level, PostCategory, StaffStatus
from kaohe.sheets import HeaderSpec, ImportResult, SheetError

# The column headers are the file format HR fills in, not interface text: an export must re-import,
# so they stay fixed here rather than in the (translatable) message catalogue.
EMPLOYEE_NO = "工号"
NAME = "姓名"
GENDER = "性别"
DEPARTMENT = "部门"
POST_CATEGORY = "岗位类别"
LEVEL = "职级"
TITLE = "职务"
POST_NAME = "岗位名称"
SUPERVISOR_NO = "分管领导工号"
HIRED_ON = "入职日期"
PHONE = "手机号"
STATUS = "状态"

ROSTER_HEADERS: tuple[str, ...] = (
    EMPLOYEE_NO,
    NAME,
    GENDER,
    DEPARTMENT,
    POST_CATEGORY,
    LEVEL,
    TITLE,
    POST_NAME,
    SUPERVISOR_NO,
    HIRED_ON,
    PHONE,
    STATUS,
)
REQUIRED_HEADERS: tuple[str, ...] = (EMPLOYEE_NO, NAME, DEPARTMENT, POST_CATEGORY, LEVEL)

# Attribute of RosterRow / RosterExportRow holding each column.
ATTRIBUTE_OF_HEADER: dict[str, str] = {
    EMPLOYEE_NO: "employee_no",
    NAME: "name",
    GENDER: "gender",
    DEPARTMENT: "department",
    POST_CATEGORY: "post_category",
    LEVEL: "level",
    TITLE: "title",
    POST_NAME: "post_name",
    SUPERVISOR_NO: "supervisor_no",
    HIRED_ON: "hired_on",
    PHONE: "phone",
    STATUS: "status",
}

GENDERS: tuple[str, ...] = ("男", "女")


@dataclass(frozen=True, kw_only=True)
class RosterRow:
    """One valid data row of an imported roster; `row` is its spreadsheet row number."""

    row: int
    employee_no: str
    name: str
    gender: str | None
    department: str
    post_category: PostCategory
    level: Level
    title: str
    post_name: str
    supervisor_no: str | None
    hired_on: date | None
    phone: str | None  # normalised to the 11 digits, without +86
    status: StaffStatus


@dataclass(frozen=True, kw_only=True)
class RosterExportRow:
    """One staff member to export; the columns of RosterRow without the row number."""

    employee_no: str
    name: str
    department: str
    post_category: PostCategory
    level: Level
    gender: str | None = None
    title: str = ""
    post_name: str = ""
    supervisor_no: str | None = None
    hired_on: date | None = None
    phone: str | None = None
    status: StaffStatus = StaffStatus.active


# One reason the import is refused (row None for the file as a whole), and the outcome of parsing:
# the shared import types, named for the roster.
RosterError = SheetError
RosterResult = ImportResult[RosterRow]

# Other names HR offices give the same columns; the file format above stays what an export writes.
ROSTER_ALIASES: dict[str, str] = {
    "职工编号": EMPLOYEE_NO,
    "职工号": EMPLOYEE_NO,
    "员工编号": EMPLOYEE_NO,
    "人员编号": EMPLOYEE_NO,
    "所在部门": DEPARTMENT,
    "科室": DEPARTMENT,
    "所在科室": DEPARTMENT,
    "手机": PHONE,
    "手机号码": PHONE,
    "入职时间": HIRED_ON,
}
# 序号 numbers the rows of nearly every Chinese roster; it carries nothing to import.
ROSTER_SPEC = HeaderSpec(columns=ROSTER_HEADERS, required=REQUIRED_HEADERS, aliases=ROSTER_ALIASES,
                         ignored=frozenset({"序号"}))
