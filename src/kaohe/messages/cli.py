"""Messages of the `kaohe` command line (every feature's commands)."""

MESSAGES: dict[str, str] = {
    "cli.help": "kaohe 干事考核平台命令行",
    "cli.error": "错误：{message}",
    "cli.aborted": "已取消，未做任何修改。",
    "cli.internal_error": "内部错误：命令未能完成，未做任何修改。详细信息已写入 {log}，请交给系统管理员。",
    "cli.database_unusable": ("无法使用数据库 {database}：请确认数据库可以连接，并已运行 kaohe init。"
                              "详细信息已写入 {log}。"),
    "cli.file_missing": "文件 {file} 不存在。",
    "cli.actor_name": "命令行",  # the display name the audit log shows for commands (kaohe.clikit.CLI_ACTOR)
    # root commands
    "cli.init_help": "创建或升级数据库结构，并载入内置法定节假日安排。",
    "cli.init_done": "数据库已就绪：{database}",
    "cli.init_calendar": "已载入 {first}–{last} 年法定节假日安排。",
    "cli.serve_help": "运行网页服务。",
    "cli.serve_host": "监听地址",
    "cli.serve_port": "端口",
    "cli.serve_workers": "工作进程数（生产环境可设为 CPU 核数 × 2）",
    "cli.serve_proxy_headers": "信任反向代理的 X-Forwarded-* 头",
    "cli.serve_started": "kaohe 运行于 http://{host}:{port} （{workers} 个进程，数据库 {database}）",
    "cli.import_help": "导入",
    "cli.export_help": "导出",
    # demo
    "cli.demo_help": "在空数据库中生成演示单位的数据（不启动服务）。",
    "cli.demo_staff": "生成指定人数的合成单位（用于性能测试）；0 表示标准演示单位",
    "cli.demo_seed": "随机种子（结果可复现）",
    "cli.demo_unit": "演示单位「{name}」：{departments} 个部门，{staff} 人。",
    "cli.demo_records": ("近一个季度的工作记录 {records} 条（审核 {reviews} 次），年度任务 {tasks} 项，"
                         "月度办结 {closes} 次。"),
    "cli.demo_quarters": "本年度已完成 {quarters} 个季度的评估（数据采集、多维评价 {ratings} 份、结果计算、书面反馈 {feedback} 份、审核），当前季度待季度结束后开始。",
    "cli.demo_accounts": "演示账号（密码均为 {password}）：",
    # accounts
    "cli.user_help": "账号管理",
    "cli.user_create_help": "新建账号。",
    "cli.user_role": "角色，可重复",
    "cli.user_staff_no": "关联人员的工号",
    "cli.user_password": "密码；不填则交互输入",
    "cli.user_password_prompt": "密码：",
    "cli.user_staff_no_unknown": "工号 {staff_no} 不存在。",
    "cli.user_created": "已创建账号 {username}。",
    "cli.user_reset_help": "为账号生成一次性临时密码，下次登录时须修改。",
    "cli.user_unknown": "账号 {username} 不存在。",
    "cli.user_temporary": "{username} 的临时密码：{password}（首次登录后须修改）",
    # roster
    "cli.import_staff_help": "导入人员名册（.xlsx 或 .csv），全部成功或全部不导入。",
    "cli.import_staff_done": "导入成功：新增 {created} 人，更新 {updated} 人。",
    "cli.export_staff_help": "导出人员名册（按文件扩展名为 .xlsx 或 .csv）。",
    "cli.export_staff_done": "已导出到 {file}。",
    # records
    "cli.import_records_help": "导入历史工作记录（.xlsx 或 .csv），全部成功或全部不导入。",
    "cli.import_records_done": "已导入 {count} 条历史记录。",
    # calendar
    "cli.calendar_help": "工作日历",
    "cli.calendar_seed_help": "从内置 chinesecalendar 数据载入法定节假日安排。",
    "cli.calendar_force": "覆盖已载入的年份",
    "cli.calendar_seeded": "已载入：{years}",
    "cli.calendar_all_seeded": "内置年份均已载入。",
    "cli.calendar_import_help": "导入某年的法定安排和单位停工日（日期, 类型, 名称）。",
    "cli.calendar_year": "年份",
    "cli.calendar_imported": "已导入 {year} 年：法定安排 {official} 天，单位停工 {closures} 天。",
    "cli.calendar_show_help": "列出某年的特殊日期。",
    "cli.calendar_not_loaded": "{year} 年的节假日安排尚未载入。",
    "cli.calendar_deadline_help": "从 START 起算 N 个工作日（或 N 小时）的期限。",
    "cli.calendar_start": "起始日期或时间，如 2026-09-30 或 2026-09-30T15:00",
    "cli.calendar_working_days": "工作日数",
    "cli.calendar_hours": "小时数",
    "cli.calendar_bad_start": "起始时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM。",
}
