"""Messages of the bulk import of past daily work records (日常动态记录)."""

MESSAGES: dict[str, str] = {
    # Where an error is, reading the file and its cells: the shared sheets.* messages.
    "records_import.row.duplicate": "与第 {first} 行重复（工号、工作事项和开始时间都相同）",
    # Any field.
    "records_import.field.too_long": "不能超过 {limit} 个字（当前 {length} 个字）",
    # Particular fields.
    "records_import.employee_no.unknown": "工号「{value}」在系统中不存在",
    "records_import.title.length": "工作事项应为 {low}–{high} 个字（当前 {length} 个字）",
    "records_import.stage_result.too_short": (
        "阶段成果至少 {limit} 个字，请写明这项工作取得的具体成果（当前 {length} 个字）"
    ),
    "records_import.datetime.invalid": (
        "「{value}」无法识别为日期时间，请使用 2026-07-01 09:00、2026/7/1 9:00 或 2026-07-01 格式"
    ),
    "records_import.datetime.future": "{value} 晚于当前时间，不能导入尚未发生的记录",
    "records_import.ended.before_started": "结束时间 {ended} 早于开始时间 {started}",
    "records_import.entered.before_ended": "录入时间 {entered} 早于结束时间 {ended}",
    "records_import.task.unknown": "任务编号「{value}」在任务书中不存在",
    "records_import.task.other_owner": "任务编号「{value}」是工号 {owner} 的任务，不能记在工号 {employee} 名下",
    "records_import.status.choice": "状态「{value}」无效，可选：{allowed}",
}
