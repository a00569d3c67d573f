"""Which threads of this process work while a pass runs: a library's own pool (BLAS, OpenMP) or threads the task
starts itself. Read from /proc/self/task (Linux) by a sampler thread; used on the serial warm-up pass only, since
the sampler takes the GIL now and then."""
from __future__ import annotations

import os
import threading
from typing import Any, Dict, Optional

from . import clocks
from .threadpools import library_names, loaded_libraries

SAMPLE_SECONDS = 0.005
# A thread counts as working when it ran for this share of the pass (an idle thread ticks over now and then).
WORKING_SHARE = 0.05


def _thread_cpu(tid: str) -> Optional[float]:
    """CPU seconds of one thread: schedstat's nanoseconds where the kernel keeps them, else stat's ticks."""
    try:
        with open("/proc/self/task/%s/schedstat" % tid, "rb") as stat:
            return int(stat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/self/task/%s/stat" % tid, "rb") as stat:
            text = stat.read()
        fields = text[text.rindex(b")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


def _reading() -> Dict[str, float]:
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return {}
    found: Dict[str, float] = {}
    for tid in tids:
        cpu = _thread_cpu(tid)
        if cpu is not None:
            found[tid] = cpu
    return found


class ThreadCensus:
    """with ThreadCensus() as census: run the pass; then census.result() for the pass message's `threads`."""

    def __init__(self) -> None:
        self._before: Dict[str, float] = {}
        self._last: Dict[str, float] = {}
        self._stop = threading.Event()
        self._sampler: Optional[threading.Thread] = None
        self._own = ""
        self._started = 0.0
        self._seconds = 0.0

    def __enter__(self) -> "ThreadCensus":
        if not os.path.isdir("/proc/self/task"):
            return self
        self._before = _reading()
        self._sampler = threading.Thread(target=self._sample, name="amdahl-thread-census", daemon=True)
        self._sampler.start()
        self._started = clocks.monotonic()
        return self

    def _sample(self) -> None:
        self._own = str(threading.get_native_id())
        while not self._stop.wait(SAMPLE_SECONDS):
            self._last.update(_reading())

    def __exit__(self, *exc: Any) -> None:
        if self._sampler is None:
            return
        self._seconds = clocks.monotonic() - self._started
        self._stop.set()
        self._sampler.join()
        self._last.update(_reading())

    def result(self) -> Optional[Dict[str, Any]]:
        """{working, started, libraries}: threads that ran for 5% of the pass or more (the task's own included),
        threads that appeared during it, and the thread pool libraries loaded; None off Linux."""
        if self._sampler is None:
            return None
        least = max(WORKING_SHARE * self._seconds, 1e-4)
        working = 0
        started = 0
        for tid, cpu in self._last.items():
            if tid == self._own:
                continue
            if tid not in self._before:
                started += 1
            if cpu - self._before.get(tid, 0.0) >= least:
                working += 1
        return {"working": max(1, working), "started": started, "libraries": library_names(loaded_libraries())}
