"""Labels of the closed vocabularies: "enum.<vocabulary>.<value>", read by `kaohe.org.enums.label`.

<vocabulary> is the enum class's name in snake case (DepartmentKind → department_kind).
"""

MESSAGES: dict[str, str] = {
    # kaohe.org.enums.DepartmentKind
    "enum.department_kind.general": "综合管理",
    "enum.department_kind.frontline": "业务一线",
    "enum.department_kind.tech_support": "技术支撑",
    "enum.department_kind.logistics": "后勤保障",
    # kaohe.org.enums.PostCategory
    "enum.post_category.management": "管理岗",
    "enum.post_category.technical": "专业技术岗",
    "enum.post_category.service": "工勤技能岗",
    # kaohe.org.enums.Level
    "enum.level.junior": "初级",
    "enum.level.intermediate": "中级",
    "enum.level.senior": "高级",
    # kaohe.org.enums.StaffStatus
    "enum.staff_status.active": "在职",
    "enum.staff_status.inactive": "停用",
    # kaohe.auth.roles.Role
    "enum.role.staff": "干事",
    "enum.role.leader": "分管领导",
    "enum.role.dept_head": "部门负责人",
    "enum.role.liaison": "部门联络员",
    "enum.role.hr": "考核办公室",
    "enum.role.committee": "考核委员会委员",
    "enum.role.inspector": "纪检监督",
    "enum.role.staff_rep": "职工代表",
    "enum.role.admin": "系统管理员",
    # kaohe.auth.roles.Scope
    "enum.scope.self": "本人",
    "enum.scope.supervised": "分管人员",
    "enum.scope.department": "本部门",
    "enum.scope.unit": "全单位",
}
