"""Messages of the bulk import of past daily work records (日常动态记录)."""

MESSAGES: dict[str, str] = {
    # Where an error is: a data row, a field of a data row, or the header row.
    "records_import.at_row": "第 {row} 行：{detail}",
    "records_import.at_row_field": "第 {row} 行「{field}」：{detail}",
    "records_import.at_header": "第 1 行（表头）：{detail}",
    # The file as a whole (reading errors come from the shared table reader).
    "records_import.file.empty": "文件为空",
    "records_import.file.no_data": "文件中没有数据行",
    "records_import.file.too_many_rows": "数据超过 {limit} 行的上限，请拆分后再导入",
    # The header row.
    "records_import.header.missing": "缺少必填列：{names}",
    "records_import.header.unknown": "无法识别的列：{names}（可用的列：{allowed}）",
    "records_import.header.duplicate": "列名重复：{names}",
    "records_import.row.unnamed_columns": "第 {columns} 列没有表头，但填写了数据",
    "records_import.row.duplicate": "与第 {first} 行重复（工号、工作事项和开始时间都相同）",
    # Any field.
    "records_import.field.required": "不能为空",
    "records_import.field.injection": "内容不能以 = + - @ 开头（疑似公式注入）",
    "records_import.field.control_chars": "不能包含换行、制表符等控制字符",
    "records_import.field.control_chars_multiline": "不能包含换行和制表符以外的控制字符",
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
