"""The harness's own references to the clocks, taken when the harness is imported, before any user code.

A target may replace time.monotonic or time.perf_counter (at import or in a task); every timing the harness
takes goes through these references, so the timeout and the measurements hold. tampered() says whether the
target replaced any of them, so the report can say so.
"""
from __future__ import annotations

import importlib
import time
import types
from typing import Any, List

monotonic = time.monotonic
perf_counter = time.perf_counter
thread_time = time.thread_time
process_time = time.process_time

_ORIGINALS = {
    "monotonic": monotonic,
    "perf_counter": perf_counter,
    "thread_time": thread_time,
    "process_time": process_time,
}


def replaced() -> List[str]:
    """The names of the time module's clocks that no longer are the functions the harness started with."""
    return sorted(name for name, clock in _ORIGINALS.items() if getattr(time, name, None) is not clock)


# Standard-library modules the pools use that read time.monotonic at each call (timed waits, joins): a replaced
# clock would make their timeouts never expire.
_TIMED_STDLIB = (
    "multiprocessing.connection",
    "multiprocessing.managers",
    "multiprocessing.queues",
    "multiprocessing.synchronize",
    "concurrent.futures._base",
)


class _HarnessTime(types.ModuleType):
    """The time module as the harness took it: its own clocks, everything else from the real module."""

    def __getattr__(self, name: str) -> Any:
        return _ORIGINALS[name] if name in _ORIGINALS else getattr(time, name)


def shield_stdlib() -> None:
    """Gives the pools' standard-library modules the harness's clocks; called before user code is imported."""
    own = _HarnessTime("time")
    for name in _TIMED_STDLIB:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(module, "time", None) is time:
            module.time = own  # type: ignore[attr-defined]
