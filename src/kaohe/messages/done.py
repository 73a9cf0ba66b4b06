"""What a page says after an action succeeded (kaohe.web.forms.done: the redirect names the key)."""

MESSAGES = {
    "done.record_updated": "记录已保存；内容有修改的，已生成新版本并重新提交审核。",
    "done.reviewed_confirm": "已确认这条记录。",
    "done.reviewed_return": "已退回这条记录，本人会收到待办提醒。",
    "done.month_closed": "本月已办结，小结和数据已写入账本。",
    "done.task_saved": "任务已加入任务书。",
    "done.evidence_uploaded": "附件已上传。",
    "done.day_saved": "日历已保存。",
    "done.department_saved": "部门已保存。",
    "done.draft_created": "已新建草稿，可以开始编辑。",
    "done.user_created": "账号已创建。",
    "done.roles_saved": "角色已保存。",
    "done.password_reset": "密码已重置，原密码和 API 令牌已失效。",
    "done.user_activated": "账号已启用。",
    "done.user_deactivated": "账号已停用。",
    "done.token_revoked": "令牌已吊销。",
}
