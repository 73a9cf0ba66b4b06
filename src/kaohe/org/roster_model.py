"""Plain data of the staff roster import and export: the columns, a row, an error, a result.

Standard library and the org enums only, so the reader, the checks and the writer can all share it.
"""

from dataclasses import dataclass, field
from datetime import date

from kaohe.org.enums import Level, PostCategory, StaffStatus

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


@dataclass(frozen=True, kw_only=True)
class RosterError:
    """One reason the import is refused; `row` is None for the file as a whole."""

    row: int | None
    field: str | None  # the Chinese column header, or None
    message: str  # complete Chinese sentence, naming the row and the field


@dataclass
class RosterResult:
    """The outcome of parsing a roster: rows only when there is no error at all."""

    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
