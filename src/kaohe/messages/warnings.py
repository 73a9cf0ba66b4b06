"""Quarterly warnings (Q5): kinds, statuses, pages, refusals, the audit log's summaries and the CLI."""

MESSAGES = {
    "warnings.kind.satisfaction": "满意度连续偏低",
    "warnings.kind.task_progress": "任务进度滞后",
    "warnings.kind.score_drop": "季度得分下降",
    "warnings.status.pending": "待处理",
    "warnings.status.handled": "已处理",
    "warnings.status.withdrawn": "已撤销",
    "warnings.action.raise": "发出预警",
    "warnings.action.update": "更新数据",
    "warnings.action.withdraw": "撤销预警",
    "warnings.action.reraise": "重新预警",
    "warnings.action.handle": "标记已处理",
    "warnings.system": "系统",
    "warnings.why_raised": "{quarter}季度结果计算后触发",
    "warnings.why_updated": "重新计算后数据有变化",
    "warnings.why_withdrawn": "{quarter}重新计算后不再触发，预警撤销（记录保留）",
    "warnings.why_reraised": "{quarter}重新计算后再次触发",
    # what triggered it, in words
    "warnings.explain.satisfaction": "{indicator}连续 {count} 个季度低于 {threshold}：{values}。",
    "warnings.explain.task_progress": "{indicator}为 {value}，低于 {minimum}。",
    "warnings.explain.score_drop": "季度得分由 {before} 降至 {after}，下降 {drop} 分，超过 {margin} 分。",
    "warnings.explain.value": "{quarter} {value}",
    # refusals
    "warnings.not_found": "找不到这条预警，或您无权查看。",
    "warnings.note_required": "请填写处理情况（至少 2 个字），说明做了什么。",
    "warnings.note_too_long": "处理情况最多 {max} 个字。",
    "warnings.not_pending": "这条预警当前为「{status}」，只有待处理的预警可以标记已处理。",
    "warnings.not_own": "不能处理关于本人的预警，请由人事部门或分管领导处理。",
    "warnings.not_yours": "只有人事部门或{name}的分管领导可以处理这条预警。",
    "warnings.bad_kind": "预警类型「{text}」无法识别。",
    "warnings.bad_status": "处理状态「{text}」无法识别。",
    # todo
    "warnings.todo_pending": "{count} 条季度预警待处理",
    "warnings.todo_detail": "最早一条：{quarter}",
    # audit
    "warnings.audit_raise": "{quarter}向{name}发出「{kind}」预警",
    "warnings.audit_update": "{quarter}{name}的「{kind}」预警数据已更新",
    "warnings.audit_withdraw": "{quarter}{name}的「{kind}」预警重新计算后不再触发，已撤销",
    "warnings.audit_reraise": "{quarter}{name}的「{kind}」预警再次触发",
    "warnings.audit_handle": "{quarter}{name}的「{kind}」预警已处理",
    # CLI
    "warnings.cli.help": "季度预警：按考核方案的预警规则检查一个季度，列出预警。",
    "warnings.cli.evaluate_help": "按季度结果和采集的数据检查一个季度的预警（重复执行不会重复预警）。",
    "warnings.cli.list_help": "列出一个季度的预警：工号、姓名、部门、预警类型、状态、触发数据。",
    "warnings.cli.quarter": "季度，例如 2026Q3",
    "warnings.cli.evaluated": ("{quarter}预警已检查：新发出 {raised} 条，更新 {updated} 条，撤销 {withdrawn} 条，"
                               "再次触发 {reraised} 条；目前待处理 {pending} 条。"),
    "warnings.cli.none": "{quarter}没有预警。",
    "warnings.cli.row": "{no}\t{name}\t{department}\t{kind}\t{status}\t{explain}",
    "warnings.cli.header": "工号\t姓名\t部门\t预警类型\t状态\t触发数据",
}
