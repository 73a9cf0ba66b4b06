"""How long reading one file may take, and the operator's budget a web upload is read within.

`Deadline` is wall-clock time from `time.monotonic()`: not the clock of the domain (no "today" is
read here), only a stopwatch, so a sheet that would take minutes is refused after a few seconds.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Protocol

from kaohe.messages import t
from kaohe.sheets.model import MB, Limits, SheetRefused


class Deadline:
    """The moment reading must stop; `check()` raises SheetRefused ("too_slow") once it is past."""

    __slots__ = ("_end", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self._end:
            raise SheetRefused(t("sheets.file.too_slow", seconds=f"{self.seconds:g}"), reason="too_slow")


class UploadSettings(Protocol):
    """What `UploadBudget.of` reads of kaohe.config.Settings (not imported: this package is pure)."""

    upload_parsers: int
    upload_unpacked_mb: int
    upload_parse_seconds: int


@dataclass(frozen=True)
class UploadBudget:
    """What the operator allows an upload (KAOHE_UPLOAD_*): parser threads per process, the unpacked
    size of an .xlsx and the seconds of reading one file. Every sheet read in `parse_off_loop` is
    read within it, whatever `Limits` its import passes, since the operator knows the machine."""

    parsers: int = 2
    unpacked_bytes: int = 100 * MB
    parse_seconds: float = 10.0

    @classmethod
    def of(cls, settings: UploadSettings) -> "UploadBudget":
        return cls(parsers=settings.upload_parsers, unpacked_bytes=settings.upload_unpacked_mb * MB,
                   parse_seconds=settings.upload_parse_seconds)


_BUDGET: ContextVar[UploadBudget | None] = ContextVar("kaohe_upload_budget", default=None)


@contextmanager
def within(budget: UploadBudget) -> Iterator[None]:
    """Read every sheet inside the block within `budget`."""
    token = _BUDGET.set(budget)
    try:
        yield
    finally:
        _BUDGET.reset(token)


def budgeted(limits: Limits) -> Limits:
    """`limits` with the current upload budget's unpacked size and parse time, if there is one."""
    budget = _BUDGET.get()
    if budget is None:
        return limits
    return replace(limits, max_unpacked_bytes=budget.unpacked_bytes, max_parse_seconds=budget.parse_seconds)
