"""Messages of the organisation: departments and staff."""

MESSAGES: dict[str, str] = {
    "org.department_not_found": "部门不存在。",
    "org.department_exists": "部门名称「{name}」或编码「{code}」已存在。",
    "org.staff_not_found": "人员不存在，或您无权查看。",
    "org.staff_no_unknown": "「{field}」填写的工号 {no} 不存在。",
    "org.employee_no_taken": "工号 {no} 已存在。",
    "org.supervisor_self": "分管领导不能是本人。",
    "org.supervisor_loop": "分管关系不能形成循环。",
    "org.field_leader": "分管领导工号",
    "org.field_head": "部门负责人工号",
    "org.field_liaison": "联络员工号",
    "org.field_supervisor": "分管领导工号",
    "org.audit_department_create": "新增部门「{name}」",
    "org.audit_department_update": "修改部门「{name}」",
    "org.audit_staff_create": "新增人员 {name}（{no}）",
    "org.audit_staff_update": "修改人员 {name}（{no}）",
    "org.audit_staff_status": "变更人员 {name}（{no}）的在职状态",
    "org.audit_import": "导入人员名册：新增 {created} 人，更新 {updated} 人",
    "org.audit_export": "导出人员名册 {count} 人",
    "org.import_done": "导入成功：新增 {created} 人，更新 {updated} 人。",
    "org.import_failed": "导入未完成：发现 {count} 处错误，名册未作任何改动。请修改后重新上传。",
}
