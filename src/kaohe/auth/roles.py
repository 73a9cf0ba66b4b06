"""Who a person is in the scheme (Role) and how far a permission reaches (Scope).

The vocabulary every feature shares: permissions, the organisation, the demo and the CLI use it.
Their Chinese labels come from `kaohe.org.enums.label`.
"""

from enum import StrEnum


class Role(StrEnum):
    staff = "staff"  # 干事
    leader = "leader"  # 分管领导
    dept_head = "dept_head"  # 部门负责人
    liaison = "liaison"  # 部门联络员
    hr = "hr"  # 考核办公室
    committee = "committee"  # 考核委员会委员
    inspector = "inspector"  # 纪检
    staff_rep = "staff_rep"  # 职工代表
    admin = "admin"  # 系统管理员


class Scope(StrEnum):
    self_ = "self"
    supervised = "supervised"
    department = "department"
    unit = "unit"
