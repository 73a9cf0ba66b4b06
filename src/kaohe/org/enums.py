"""Closed vocabularies of the organisation, with their Chinese labels."""

from enum import StrEnum

from kaohe.auth.roles import Role, Scope


class DepartmentKind(StrEnum):
    general = "general"  # 综合管理
    frontline = "frontline"  # 业务一线
    tech_support = "tech_support"  # 技术支撑
    logistics = "logistics"  # 后勤保障


class PostCategory(StrEnum):
    management = "management"  # 管理岗
    technical = "technical"  # 专业技术岗
    service = "service"  # 工勤技能岗


class Level(StrEnum):
    junior = "junior"  # 初级
    intermediate = "intermediate"  # 中级
    senior = "senior"  # 高级


class StaffStatus(StrEnum):
    active = "active"  # 在职
    inactive = "inactive"  # 停用


LABELS: dict[StrEnum, str] = {
    DepartmentKind.general: "综合管理",
    DepartmentKind.frontline: "业务一线",
    DepartmentKind.tech_support: "技术支撑",
    DepartmentKind.logistics: "后勤保障",
    PostCategory.management: "管理岗",
    PostCategory.technical: "专业技术岗",
    PostCategory.service: "工勤技能岗",
    Level.junior: "初级",
    Level.intermediate: "中级",
    Level.senior: "高级",
    StaffStatus.active: "在职",
    StaffStatus.inactive: "停用",
    Role.staff: "干事",
    Role.leader: "分管领导",
    Role.dept_head: "部门负责人",
    Role.liaison: "部门联络员",
    Role.hr: "考核办公室",
    Role.committee: "考核委员会委员",
    Role.inspector: "纪检监督",
    Role.staff_rep: "职工代表",
    Role.admin: "系统管理员",
    Scope.self_: "本人",
    Scope.supervised: "分管人员",
    Scope.department: "本部门",
    Scope.unit: "全单位",
}


def label(value: StrEnum) -> str:
    """Chinese label of an enum member."""
    return LABELS[value]


def parse_label(enum: type[StrEnum], text: str) -> StrEnum | None:
    """The member whose value or Chinese label is `text`, or None."""
    text = text.strip()
    for member in enum:
        if text in (member.value, LABELS[member]):
            return member
    return None
