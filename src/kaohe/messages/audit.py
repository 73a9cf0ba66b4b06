"""Messages of the audit log."""

MESSAGES: dict[str, str] = {
    "audit.title": "审计日志",
}
