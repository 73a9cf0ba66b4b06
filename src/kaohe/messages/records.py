"""Messages of daily records: entry, review, the month loop, the task book, the ledger and the signals."""

MESSAGES: dict[str, str] = {
    "records.no_staff_record": "您的账号没有关联人员档案，无法记录工作。",
    "records.staff_unknown": "工号 {no} 不存在，或您无权为其记录。",
    "records.time_needs_zone": "开始和结束时间须带时区。",
    "records.end_before_start": "结束时间不能早于开始时间。",
    "records.end_in_future": "结束时间不能晚于现在：请在工作完成后记录。",
    "records.task_not_theirs": "所选任务不属于该人员的年度任务书。",
    "records.not_found": "记录不存在，或您无权查看。",
    "records.only_author_edits": "只有记录人本人可以修改这条记录。",
    "records.confirmed_is_final": "记录已经分管领导确认，不能再修改。",
    "records.return_needs_reason": "退回时必须填写退回原因。",
    "records.review_missing": "记录 {id} 不存在。",
    "records.review_own": "「{title}」是您本人的记录或由您代为录入，不能自己确认。",
    "records.review_not_yours": "「{title}」的记录人 {name} 不是您分管的人员。",
    "records.review_not_pending": "「{title}」不在待审核状态。",
    "records.mark_out_of_scale": "质量评分 {mark} 不在 {year} 年度方案规定的 {low}–{high} 分之内。",
    "records.review_refused": "审核未完成：{count} 条记录不能由您处理，所选记录均未改动。",
    "records.evidence_empty": "附件是空文件。",
    "records.evidence_type": "附件类型不支持，只能上传：{allowed}。",
    "records.evidence_mismatch": "附件「{name}」的内容与扩展名不符。",
    "records.review_none_chosen": "请至少选择一条记录。",
    "records.evidence_quota": "附件存储已达每人 {quota} MB 的上限：已用 {used} MB，本文件 {size} MB。如需更多空间，请联系考核办。",
    "records.bad_month": "月份「{month}」格式应为 YYYY-MM。",
    "records.close_needs_summary": "月度小结至少需要 10 个字。",
    "records.close_too_early": "{month} 尚未结束，不能办结。",
    "records.already_closed": "{month} 已经办结。",
    "records.close_waiting": "还有 {count} 条记录等待分管领导审核，审核完成后才能办结本月。",
    "records.remind_returned": "有被退回的记录需要修改后重新提交",
    "records.remind_review": "有记录等待审核确认",
    "records.remind_close": "{month} 月度汇总尚未办结（{name}）",
    "records.tasks_forbidden": "您无权为该人员设置任务书。",
    "records.task_code_taken": "{year} 年任务编号 {code} 已存在。",
    "records.progress_unknown_task": "第 {n} 项：{year} 年任务编号 {code} 不存在，或您无权更新。",
    "records.progress_refused": "进度未更新：发现 {count} 处错误，所有任务均未改动。",
    "records.progress_headers": "进度文件缺少表头：{missing}。",
    "records.progress_bad_row": "第 {row} 行：年度、任务编号或进度格式不正确。",
    "records.progress_empty": "进度文件没有数据行。",
    "records.progress_done": "已更新 {count} 项任务的进度。",
    "records.import_done": "已导入 {count} 条历史记录。",
    "records.import_failed": "导入未完成：发现 {count} 处错误，没有导入任何记录。",
    "records.saved": "记录已保存，等待分管领导审核。",
    "records.saved_late": "记录已保存。注意：距工作结束已超过 {hours} 小时，本条记录标记为补录。",
    "records.reviewed_confirm": "已确认 {count} 条记录。",
    "records.reviewed_return": "已退回 {count} 条记录。",
    "records.audit_create": "记录工作「{title}」（{name}）",
    "records.audit_update": "修改记录「{title}」为第 {version} 版",
    "records.audit_confirm": "确认记录「{title}」",
    "records.audit_return": "退回记录「{title}」",
    "records.audit_evidence": "上传附件「{name}」",
    "records.audit_close": "办结 {name} {month} 的月度汇总",
    "records.audit_task_create": "为 {name} 添加任务「{title}」",
    "records.audit_task_update": "修改任务「{title}」",
    "records.audit_progress": "更新任务「{title}」进度为 {progress}%",
    "records.audit_import": "导入历史记录 {count} 条",
    "records.status.submitted": "待审核",
    "records.status.confirmed": "已确认",
    "records.status.returned": "已退回",
    "records.stage.individual": "待本人修改",
    "records.stage.leader": "待分管领导审核",
    "records.stage.department": "待部门办结",
    "records.stage.empty": "本月无记录",
    "records.bad_quarter": "季度「{quarter}」格式应为 2026-Q4。",
    # The pure records core: the ledger, the quality signals and the record score.
    # (The ledger's messages are in messages/ledger.py.)
    # Quality signals for leaders and inspectors (R2–R4).
    "records.signals.duplicate": (
        "记录 {second} 与记录 {first} 高度相似（相似度 {similarity:.0%}），请核实是否复制粘贴。"
    ),
    "records.signals.duplicate_colleague": (
        "记录 {second}（{second_author}）与同事的记录 {first}（{first_author}）高度相似"
        "（相似度 {similarity:.0%}），请核实是否复制粘贴。"
    ),
    "records.signals.burst": (
        "{author} 在截止时间 {deadline} 前 {hours} 小时内集中录入 {count} 条记录"
        "（占其全部记录的 {share:.0%}），疑似突击补录。"
    ),
    "records.signals.too_short": "记录 {record} 正文仅 {chars} 字，少于 {min_chars} 字，内容可能过于简略。",
    "records.signals.late": (
        "记录 {record} 在工作结束 {hours:.1f} 小时后才录入，超过 {limit} 小时的时限。"
    ),
}
