"""What timing one task costs here: the per-task clock reads and bookkeeping of the timed wrappers (worker.py),
measured on a function that does nothing, so the runner can judge whether per-task timing would distort a pass."""
from __future__ import annotations

from typing import Any
from . import clocks

ROUNDS = 5
CALLS = 2000


def _nothing(item: Any) -> Any:
    return item


def task_timing_seconds() -> float:
    """The smallest, over a few rounds, of (timed loop - plain loop) / calls; never negative."""
    monotonic = clocks.monotonic
    thread_time = clocks.thread_time
    items = list(range(CALLS))
    best = float("inf")
    for _ in range(ROUNDS):
        start = clocks.perf_counter()
        plain = [_nothing(item) for item in items]
        middle = clocks.perf_counter()
        timed = []
        append = timed.append
        for index, item in enumerate(items):
            cpu = thread_time()
            begin = monotonic()
            result = _nothing(item)
            end = monotonic()
            append((result, ("main", index, begin, end, thread_time() - cpu)))
        finish = clocks.perf_counter()
        best = min(best, ((finish - middle) - (middle - start)) / CALLS)
        del plain, timed
    return max(0.0, best)
