"""Messages of the calendar feature: the calendar itself, imports, and its administration."""

MESSAGES: dict[str, str] = {
    # Kinds of special day, as shown to users.
    "calendar.kind.holiday": "法定节假日",
    "calendar.kind.workday": "调休上班",
    "calendar.kind.closure": "单位停工",
    # Weekdays, indexed by date.weekday().
    "calendar.weekday.0": "星期一",
    "calendar.weekday.1": "星期二",
    "calendar.weekday.2": "星期三",
    "calendar.weekday.3": "星期四",
    "calendar.weekday.4": "星期五",
    "calendar.weekday.5": "星期六",
    "calendar.weekday.6": "星期日",
    # The calendar refusing to guess.
    "calendar.year_not_loaded": (
        "{year} 年的节假日安排尚未导入，无法判断 {day} 是否为工作日。"
        "请人事部门先导入国务院办公厅公布的 {year} 年放假安排。"
    ),
    "calendar.package_year_unknown": (
        "内置日历没有 {year} 年的节假日数据（内置数据覆盖 {first}–{last} 年），"
        "请导入国务院办公厅公布的 {year} 年放假安排。"
    ),
    "calendar.package_empty": "内置日历没有任何年份的节假日数据，请导入当年的放假安排。",
    # Importing a year's arrangement and the unit's closures.
    "calendar.import.bad_extension": "只支持 .csv 或 .xlsx 文件，「{filename}」不是这两种格式。",
    "calendar.import.empty": "文件是空的。第 1 行应为表头：日期、类型、名称。",
    "calendar.import.missing_headers": "第 {row} 行缺少表头：{headers}。表头应为：日期、类型、名称。",
    "calendar.import.duplicate_header": "第 {row} 行表头「{header}」出现了不止一次。",
    "calendar.import.no_rows": "文件中没有数据行。",
    "calendar.import.too_many_rows": "文件超过 {limit} 行，一年的安排不会有这么多行，未继续读取。",
    "calendar.import.required": "第 {row} 行「{field}」：不能为空",
    "calendar.import.bad_date": "第 {row} 行「{field}」：{value} 不是有效日期",
    "calendar.import.wrong_year": "第 {row} 行「{field}」：{value} 不在 {year} 年内",
    "calendar.import.duplicate_date": "第 {row} 行「{field}」：{value} 与第 {first_row} 行重复",
    "calendar.import.bad_kind": "第 {row} 行「{field}」：{value} 不是有效类型，应为 {allowed} 之一",
    "calendar.import.workday_on_weekday": (
        "第 {row} 行「{field}」：{day} 是{weekday}，本来就是工作日，不能登记为{kind}"
    ),
    "calendar.import.name_too_long": "第 {row} 行「{field}」：不能超过 {limit} 个字，现有 {length} 个字",
    "calendar.import.more_errors": "另有 {count} 处错误未列出，请先改正以上错误。",
    # Calendar administration: the service, the pages and the CLI.
    "calendar.audit_seed": "从内置日历载入 {years} 年的节假日安排",
    "calendar.audit_import": "导入 {year} 年日历：法定安排 {official} 天，单位停工 {closures} 天",
    "calendar.audit_set_day": "设置 {day} 为{kind}",
    "calendar.audit_remove_day": "将 {day} 恢复为普通日",
    "calendar.year_out_of_range": "年份 {year} 不在 2000–2100 之间。",
    "calendar.import_failed": "日历导入未完成：发现 {count} 处错误，日历未作任何改动。",
    "calendar.import_needs_official": "{year} 年尚无法定节假日安排，文件中须包含「放假」或「调休上班」的日期。",
    "calendar.workday_on_weekday": "{day} 是工作日，不能登记为调休上班。",
    "calendar.import_done": "已导入 {year} 年日历：法定安排 {official} 天，单位停工 {closures} 天。",
    "calendar.bad_date": "日期格式应为 YYYY-MM-DD。",
    "calendar.seeded": "已载入 {years} 年。",
    "calendar.nothing_seeded": "内置日历的年份均已载入。",
}
