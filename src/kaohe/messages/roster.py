"""Messages of the roster feature: staff roster import and export."""

MESSAGES: dict[str, str] = {
    # Where an error is, reading the file and its cells: the shared sheets.* messages.
    # Any field.
    "roster.field.too_long": "不能超过 {limit} 个字",
    "roster.field.choice": "{field}「{value}」无效，可选：{allowed}",
    # Particular fields.
    "roster.employee_no.format": (
        "工号「{value}」格式不正确：只能包含字母、数字和“-”，以字母或数字开头，长度 1–32 位"
    ),
    "roster.employee_no.duplicate": "工号「{value}」与第 {first} 行重复",
    "roster.name.length": "姓名「{value}」长度应为 2–20 个字",
    "roster.department.unknown": "部门「{value}」不存在",
    "roster.hired_on.invalid": (
        "入职日期「{value}」无法识别，请使用 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日 格式"
    ),
    "roster.phone.invalid": "手机号「{value}」不是有效的 11 位手机号码",
    "roster.supervisor.format": "分管领导工号「{value}」格式不正确",
    "roster.supervisor.self": "分管领导不能是本人",
    "roster.supervisor.unknown": "分管领导工号「{value}」不存在（既不在本文件中，也不在系统中）",
    "roster.supervisor.cycle": "分管关系形成循环：{chain}",
}
