"""parse_off_loop: the work runs in a worker thread, at most `parsers` at once, within the budget."""

import threading
import time

import anyio
import pytest

from kaohe.sheets import Limits, SheetRefused, UploadBudget, parse_off_loop, read_sheet
from kaohe.sheets.budget import budgeted


def test_it_runs_the_work_in_another_thread_and_returns_its_result():
    loop_thread = threading.get_ident()

    async def main() -> int:
        return await parse_off_loop(UploadBudget(), threading.get_ident)

    assert anyio.run(main) != loop_thread


def test_it_reads_within_the_budget_in_the_thread_and_not_outside_it():
    budget = UploadBudget(unpacked_bytes=7 * 1024 * 1024, parse_seconds=3)

    async def main() -> Limits:
        return await parse_off_loop(budget, budgeted, Limits())

    inside = anyio.run(main)
    assert (inside.max_unpacked_bytes, inside.max_parse_seconds) == (7 * 1024 * 1024, 3)
    assert budgeted(Limits()) == Limits()


def test_it_raises_the_work_s_refusal_where_it_is_awaited():
    async def main() -> None:
        await parse_off_loop(UploadBudget(), read_sheet, b"x", "a.pdf")

    with pytest.raises(SheetRefused) as caught:
        anyio.run(main)
    assert caught.value.reason == "unsupported"


def test_it_runs_at_most_parsers_at_once_and_keeps_the_loop_free():
    running = peak = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.2)  # a parse holding its thread
        with lock:
            running -= 1

    async def main() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await anyio.sleep(0.01)
                ticks += 1

        async with anyio.create_task_group() as group:
            group.start_soon(ticker)
            async with anyio.create_task_group() as parses:
                for _ in range(4):
                    parses.start_soon(parse_off_loop, UploadBudget(parsers=2), work)
            group.cancel_scope.cancel()
        return ticks

    ticks = anyio.run(main)
    assert peak == 2
    assert ticks >= 10  # the loop went on while the four parses took about 0.4 s
