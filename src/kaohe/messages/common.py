"""Messages shared by every feature."""

MESSAGES: dict[str, str] = {
    "common.app_name": "考核",
    "common.app_title": "干事考核平台",
    "common.forbidden": "您没有权限执行此操作。",
    "common.not_found": "页面或数据不存在。",
    "common.method_not_allowed": "不支持该请求方式。",
    "common.error": "请求无法完成。",
    "common.busy": "系统繁忙，请 {seconds} 秒后重试。",
    "common.server_error": "系统出现异常，请稍后重试；如果问题持续，请联系系统管理员。",
    "common.invalid_input": "提交的内容有误，请检查后重试。",
    "common.saved": "已保存。",
    "common.file_too_large": "文件超过 {mb} MB 的上限。",
    "common.file_missing": "请选择要上传的文件。",
}
