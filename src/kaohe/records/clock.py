"""The unit's local time. Use cases take `now` as an argument; only views and the CLI read the clock."""

from datetime import UTC, datetime, timedelta, timezone

LOCAL = timezone(timedelta(hours=8), "CST")


def now() -> datetime:
    return datetime.now(UTC)
