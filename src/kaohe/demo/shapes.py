"""Plain records of a generated demo organisation (no database, standard library only)."""

from dataclasses import dataclass
from datetime import date

from kaohe.auth.roles import Role
from kaohe.org.enums import DepartmentKind, Level, PostCategory


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    kind: DepartmentKind
    is_pilot: bool
    rollout_batch: int
    leader_no: str | None  # the 分管领导 in charge of this department
    head_no: str | None = None  # the 部门负责人, one of the department's own staff
    liaison_no: str | None = None  # the 部门联络员, one of the department's own staff
    # Who signs the department's month off when the head's demo account plays another role (HR, the
    # inspector, the committee chair): the deputy who runs the department's daily work. None: the head.
    closer_no: str | None = None

    @property
    def month_closer_no(self) -> str | None:
        return self.closer_no or self.head_no


@dataclass(frozen=True)
class DemoStaff:
    employee_no: str
    name: str
    gender: str  # "男" or "女"
    department_code: str
    post_category: PostCategory
    level: Level
    title: str
    post_name: str
    supervisor_no: str | None
    hired_on: date
    phone: str


@dataclass(frozen=True)
class DemoAccount:
    username: str
    employee_no: str | None
    roles: tuple[Role, ...]
    description: str


@dataclass(frozen=True)
class DemoUnit:
    name: str
    code: str
    departments: list[DemoDepartment]
    staff: list[DemoStaff]
    accounts: list[DemoAccount]
