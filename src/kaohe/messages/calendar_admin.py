"""Messages of calendar administration (service, pages and CLI)."""

MESSAGES: dict[str, str] = {
    "calendar.audit_seed": "从内置日历载入 {years} 年的节假日安排",
    "calendar.audit_import": "导入 {year} 年日历：法定安排 {official} 天，单位停工 {closures} 天",
    "calendar.audit_set_day": "设置 {day} 为{kind}",
    "calendar.audit_remove_day": "将 {day} 恢复为普通日",
    "calendar.year_out_of_range": "年份 {year} 不在 2000–2100 之间。",
    "calendar.import_failed": "日历导入未完成：发现 {count} 处错误，日历未作任何改动。",
    "calendar.import_needs_official": "{year} 年尚无法定节假日安排，文件中须包含「放假」或「调休上班」的日期。",
    "calendar.workday_on_weekday": "{day} 是工作日，不能登记为调休上班。",
    "calendar.import_done": "已导入 {year} 年日历：法定安排 {official} 天，单位停工 {closures} 天。",
    "calendar.day_saved": "已保存 {day}。",
    "calendar.bad_date": "日期格式应为 YYYY-MM-DD。",
    "calendar.seeded": "已载入 {years} 年。",
    "calendar.nothing_seeded": "内置日历的年份均已载入。",
}
