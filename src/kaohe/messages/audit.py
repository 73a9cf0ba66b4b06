"""Messages of the audit log (none of its own yet: its pages use the shared texts)."""

MESSAGES: dict[str, str] = {}
