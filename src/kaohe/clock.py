"""The one clock: the current instant, and the unit's time zone from settings (`KAOHE_TIMEZONE`).

Use cases take `now` as an argument; only the edges (views, pages, the CLI, jobs) read the clock.
Times are stored in UTC; the unit's zone decides what "today", a month and a quarter are, and how
times are shown. It never depends on the server's own zone.
"""

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from kaohe.config import get_settings


def now() -> datetime:
    return datetime.now(UTC)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The unit's time zone (Asia/Shanghai unless the settings say otherwise)."""
    return _zone(get_settings().timezone)


def local(moment: datetime) -> datetime:
    """`moment` in the unit's zone."""
    return moment.astimezone(zone())


def today(moment: datetime | None = None) -> date:
    """The unit's calendar date at `moment` (now if not given)."""
    return local(moment or now()).date()
