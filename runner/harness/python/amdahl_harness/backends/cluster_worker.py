"""What runs inside cluster engine workers (dask, ipyparallel, joblib's loky): the target loaded once per worker
process from its file, timed calls, the warm-up probe and the worker's clock.

Engines ship these functions by reference (module and name), so a worker needs this package on its sys.path (the
backends put it there first) and the target file at the same path: true on one machine or a shared file system.
"""
from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Tuple

from ..worker import InitFailure, timed_task
from ..recording import callable_for
from .. import clocks

_monotonic = clocks.monotonic

# (file, function name) -> the function, or the InitFailure its import raised; and when that import ran (W0, W1).
_loaded: Dict[Tuple[str, str], Any] = {}
_init: Dict[Tuple[str, str], Tuple[float, float]] = {}
# How this worker is named in timings: "pid N" unless the engine gives a better name (set_name).
_name = "pid %d" % os.getpid()


def set_name(name: str) -> str:
    global _name
    _name = name
    return name


def set_name_from_dask(dask_worker: Any = None) -> str:
    """Run by Client.run, which passes the Worker object to a parameter named dask_worker."""
    return set_name(str(dask_worker.address) if dask_worker is not None else _name)


def boot_id() -> str:
    """The running kernel's boot id: processes that share it share CLOCK_MONOTONIC, so their offset is exactly 0."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as source:
            return source.read().strip()
    except OSError:
        return ""


def clock() -> Tuple[float, str]:
    """This worker's monotonic clock and boot id, for the round-trip-midpoint offset estimate."""
    return (_monotonic(), boot_id())


def function_of(file: str, function_name: str) -> Any:
    key = (file, function_name)
    found = _loaded.get(key)
    if found is None:
        started = _monotonic()
        try:
            from ..target import import_module

            # The name comes from the file and the inherited AMDAHL_PYTHONPATH, as in the harness.
            module, _ = import_module(file)
            found = getattr(module, function_name)
        except BaseException as error:  # every failure travels back as data
            found = _init_failure(error)
        _loaded[key] = found
        _init[key] = (started, _monotonic())
    return found


def _init_failure(error: BaseException) -> InitFailure:
    from ..failures import HarnessError

    if isinstance(error, HarnessError):
        return InitFailure(error.code, "In a cluster worker (%s): %s" % (_name, error.message), error.detail)
    import traceback

    return InitFailure(
        "import-failed",
        "In a cluster worker (%s), loading the target raised %s: %s" % (_name, type(error).__name__, error),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    )


def probe(seconds: float, file: str, function_name: str) -> Any:
    """Warm-up: loads the target, holds the worker a moment; (name, pid, W0, W1) on this worker's clock."""
    function = function_of(file, function_name)
    time.sleep(seconds)
    if isinstance(function, InitFailure):
        return function
    started, ready = _init[(file, function_name)]
    return (_name, os.getpid(), started, ready)


def run_task(index: int, item: Any, file: str, function_name: str, starmap: bool) -> Any:
    """One timed call: (result, (worker, input, W3, W4, cpu)) on this worker's clock, or a failure as data."""
    function = function_of(file, function_name)
    if isinstance(function, InitFailure):
        return function
    return timed_task(callable_for(function, starmap), item, starmap, index, _name)


def run_tasks(tasks: List[Tuple[int, Any]], file: str, function_name: str, starmap: bool) -> List[Any]:
    return [run_task(index, item, file, function_name, starmap) for index, item in tasks]


def diagnose_result(index: int, item: Any, file: str, function_name: str, starmap: bool) -> Any:
    """Runs one task again and pickles its result: (input, type, error) when it cannot cross back, else None."""
    import pickle

    from ..serialization import result_problem

    function = callable_for(function_of(file, function_name), starmap)
    return result_problem(index, function, item, starmap, pickle.dumps)


def own_peak_rss() -> Any:
    """This worker's peak RSS in bytes (None where the platform does not say)."""
    from ..memory import peak_rss_bytes

    return peak_rss_bytes(os.getpid())
