"""Reading uploads off the event loop: a parser thread per upload, a few per process at most.

openpyxl and the csv module are plain Python that holds the thread it runs in. In an `async def`
handler that thread is the event loop's, so one hostile file would stop every request of the
process. `parse_off_loop` runs the work in a worker thread instead, behind a `CapacityLimiter` of
`UploadBudget.parsers` tokens, so uploads queue for a parser while other requests keep answering,
and every sheet read there is read within the budget (see `kaohe.sheets.budget`).

The work may be a whole use case (read the file, then write its rows) given the request's session:
the handler awaits it, so the session is used by one thread at a time, never concurrently.
"""

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from weakref import WeakKeyDictionary

import anyio
import anyio.to_thread

from kaohe.sheets.budget import UploadBudget, within

P = ParamSpec("P")
R = TypeVar("R")

# One limiter per event loop: a process serves from one loop, tests start one per client, and an
# anyio limiter must not be shared between loops.
_LIMITERS: "WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]" = WeakKeyDictionary()


def parser_limiter(parsers: int) -> anyio.CapacityLimiter:
    """The running loop's limiter of parser threads, holding `parsers` tokens."""
    loop = asyncio.get_running_loop()
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = anyio.CapacityLimiter(parsers)
    elif limiter.total_tokens != parsers:
        limiter.total_tokens = parsers
    return limiter


async def parse_off_loop(budget: UploadBudget, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """`fn(*args, **kwargs)` in a parser thread, its sheets read within `budget`; its result or its
    exception (a SheetRefused, an Invalid) as if it had been called here."""

    def run() -> R:
        with within(budget):
            return fn(*args, **kwargs)

    return await anyio.to_thread.run_sync(run, limiter=parser_limiter(budget.parsers))
