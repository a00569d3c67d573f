"""Which threads of this process work while a pass runs: a library's own pool (BLAS, OpenMP) or threads the task
starts itself. Read from /proc/self/task (Linux) by a sampler thread; used on the serial warm-up pass only, since
the sampler takes the GIL now and then."""
from __future__ import annotations

import os
import threading
from typing import Any, Dict, List, Optional, Tuple

from . import clocks
from .threadpools import library_names, loaded_libraries

SAMPLE_SECONDS = 0.005
# A thread counts as working when it ran for this share of the time it was seen alive during the pass (an idle
# thread that wakes now and then stays far below; a thread a busy machine leaves waiting for a core stays above).
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
    """with ThreadCensus() as census: run the pass; then census.result() for the pass message's `threads`.

    Each thread's first and last sighting (time, CPU seconds) during the pass: a thread that existed before starts
    at the pass start with its CPU then; one that appeared starts one sample before it was first seen, at no CPU.
    """

    def __init__(self) -> None:
        self._before: Dict[str, float] = {}
        self._first: Dict[str, Tuple[float, float]] = {}
        self._last: Dict[str, Tuple[float, float]] = {}
        self._stop = threading.Event()
        self._sampler: Optional[threading.Thread] = None
        self._own = ""
        self._caller = ""

    def __enter__(self) -> "ThreadCensus":
        if not os.path.isdir("/proc/self/task"):
            return self
        now = clocks.monotonic()
        self._caller = str(threading.get_native_id())
        self._before = _reading()
        for tid, cpu in self._before.items():
            self._first[tid] = (now, cpu)
        self._sampler = threading.Thread(target=self._sample, name="amdahl-thread-census", daemon=True)
        self._sampler.start()
        return self

    def _record(self) -> None:
        now = clocks.monotonic()
        for tid, cpu in _reading().items():
            if tid not in self._first:
                self._first[tid] = (now - SAMPLE_SECONDS, 0.0)
            self._last[tid] = (now, cpu)

    def _sample(self) -> None:
        self._own = str(threading.get_native_id())
        while not self._stop.wait(SAMPLE_SECONDS):
            self._record()

    def __exit__(self, *exc: Any) -> None:
        if self._sampler is None:
            return
        self._stop.set()
        self._sampler.join()
        self._record()

    def result(self) -> Optional[Dict[str, Any]]:
        """{working, started, libraries}: the most threads working at once (the task's own included), threads that
        appeared during the pass, and the thread pool libraries loaded where threads that were there before the
        pass, besides the task's own, did work in it (a library's pool); None off Linux."""
        if self._sampler is None:
            return None
        spans: List[Tuple[float, float]] = []
        started = 0
        pool_working = False
        for tid, (last_at, last_cpu) in self._last.items():
            if tid == self._own:
                continue
            if tid not in self._before:
                started += 1
            first_at, first_cpu = self._first[tid]
            alive = max(last_at - first_at, SAMPLE_SECONDS)
            if last_cpu - first_cpu >= WORKING_SHARE * alive:
                spans.append((first_at, last_at))
                pool_working = pool_working or (tid in self._before and tid != self._caller)
        libraries = library_names(loaded_libraries()) if pool_working else []
        return {"working": max(1, _most_at_once(spans)), "started": started, "libraries": libraries}


def _most_at_once(spans: List[Tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans], key=lambda e: (e[0], -e[1]))
    most = current = 0
    for _, change in events:
        current += change
        most = max(most, current)
    return most
