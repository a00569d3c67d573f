"""What runs inside pool worker processes: the initializer, the timed task wrapper, the warm-up probe.

Kept lean: per task the wrappers add two clock reads, two thread_time reads and a write to the shared slot array
(so a worker that dies can be tied to its input). Every failure travels back as data (TaskFailure).
"""
from __future__ import annotations

import os
import time
import traceback
from array import array
from typing import Any, List, Optional, Sequence, Tuple
from . import clocks

_monotonic = clocks.monotonic
_thread_time = clocks.thread_time

# Set by initialize(); module globals are the cheapest thing a task can read.
_function: Any = None
_starmap = False
_worker = "pid ?"
_slots: Any = None
_slot = -1
_init: Optional[Tuple[str, int, float, float]] = None
_init_failure: Optional["InitFailure"] = None


class TaskFailure:
    """A task raised: the worker's own traceback, not the pool's re-raise."""

    __slots__ = ("index", "exception_type", "message", "traceback", "worker")

    def __init__(self, index: int, exception_type: str, message: str, traceback_text: str, worker: str) -> None:
        self.index = index
        self.exception_type = exception_type
        self.message = message
        self.traceback = traceback_text
        self.worker = worker

    def __reduce__(self) -> Any:
        return (TaskFailure, (self.index, self.exception_type, self.message, self.traceback, self.worker))


class InitFailure:
    """The worker could not import the target: a HarnessError's fields, as data."""

    __slots__ = ("code", "message", "detail")

    def __init__(self, code: str, message: str, detail: Optional[str]) -> None:
        self.code = code
        self.message = message
        self.detail = detail

    def __reduce__(self) -> Any:
        return (InitFailure, (self.code, self.message, self.detail))


def failure_of(index: int, error: BaseException, worker: str) -> TaskFailure:
    # Skip the wrapper's own frame: the traceback starts in the user's function.
    tb = error.__traceback__
    try:
        text = "".join(traceback.format_exception(type(error), error, tb.tb_next if tb is not None else None))
        message = str(error).strip()
    except Exception:  # an exception whose __str__ raises still has to be reported
        text = "".join(traceback.format_tb(tb)) + type(error).__name__ + ": <unprintable>\n"
        message = "<unprintable>"
    return TaskFailure(index, type(error).__name__, message, text, worker)


def initialize(
    file: str,
    placement: Any,
    function_name: str,
    starmap: bool,
    slots: Any,
    counter: Any,
    library_threads: Optional[int] = None,
) -> None:
    """Pool initializer: claims a slot, imports the target (already there under fork), finds the function, and
    limits the BLAS/OpenMP libraries to `library_threads` threads when asked (before the import, for spawn).

    Under spawn and forkserver the target is imported under the harness's module name (placement), with the same
    sys.path entries, so that functions and classes pickled by reference name a module that exists on both sides.

    Never raises: a raising initializer makes Pool respawn workers forever, so failures are kept for the probe.
    """
    global _function, _starmap, _worker, _slots, _slot, _init, _init_failure
    started = _monotonic()
    pid = os.getpid()
    _worker = "pid %d" % pid
    _starmap = starmap
    with counter.get_lock():
        claimed = counter.value
        counter.value = claimed + 1
    _slot = 2 * (claimed % (len(slots) // 2))
    slots[_slot] = pid
    slots[_slot + 1] = -1
    _slots = slots
    try:
        from .target import import_module

        if library_threads is not None:
            from .threadpools import limit_library_threads

            limit_library_threads(library_threads)
        from .recording import callable_for

        module, _ = import_module(file, placement)
        _function = callable_for(getattr(module, function_name), starmap)
        if library_threads is not None:
            limit_library_threads(library_threads)  # libraries the import loaded
    except BaseException as error:
        from .failures import HarnessError

        if isinstance(error, HarnessError):
            _init_failure = InitFailure(error.code, "In a pool worker: " + error.message, error.detail)
        else:
            _init_failure = InitFailure(
                "import-failed",
                "In a pool worker, loading the target raised %s: %s" % (type(error).__name__, error),
                "".join(traceback.format_exception(type(error), error, error.__traceback__)),
            )
    _init = (_worker, pid, started, _monotonic())


def timed_call(function: Any, item: Any, starmap: bool, index: int, worker: str) -> Tuple[Any, float, float, float]:
    """The timed call of one task, the same in every backend: (result, W3, W4, cpu seconds of this thread).

    The result is a TaskFailure when the function raised; it still took that long.
    """
    cpu = _thread_time()
    start = _monotonic()
    try:
        result = function(*item) if starmap else function(item)
    except BaseException as error:  # SystemExit and KeyboardInterrupt in a task are the task's failure too
        result = failure_of(index, error, worker)
    end = _monotonic()
    return result, start, end, _thread_time() - cpu


def timed_task(function: Any, item: Any, starmap: bool, index: int, worker: str) -> Any:
    """One task as base.pass_message reads it: (result, (worker, input, W3, W4, cpu)), or its TaskFailure."""
    result, start, end, cpu = timed_call(function, item, starmap, index, worker)
    if type(result) is TaskFailure:
        return result
    return (result, (worker, index, start, end, cpu))


def run_task(task: Tuple[int, Any]) -> Any:
    """One task in a pool worker, with its input in the worker's slot while it runs."""
    index, item = task
    if _init_failure is not None:
        return _init_failure
    slot = _slot + 1
    _slots[slot] = index
    answer = timed_task(_function, item, _starmap, index, _worker)
    _slots[slot] = -1
    return answer


def run_chunk(chunk: Tuple[int, List[Any]]) -> Any:
    """A Pool chunk of consecutive inputs, timed per task: (first input, worker, results, [W3, W4, cpu] * n).

    One call per chunk, as Pool.map's own mapstar does, and the timings travel as one array of doubles: this keeps
    the added cost per task near a microsecond (a tuple per task doubled it, and quintupled it on PyPy).
    """
    first, items = chunk
    if _init_failure is not None:
        return _init_failure
    slots = _slots
    slot = _slot + 1
    function = _function
    starmap = _starmap
    worker = _worker
    call = timed_call
    results: List[Any] = []
    append = results.append
    times = array("d")
    add = times.append
    index = first
    for item in items:
        slots[slot] = index
        result, start, end, cpu = call(function, item, starmap, index, worker)
        add(start)
        add(end)
        add(cpu)
        append(result)
        index += 1
    slots[slot] = -1
    return (first, worker, results, times)


def run_plain(task: Tuple[int, Any]) -> Any:
    """One untimed call: the result, or a TaskFailure (futures-process's uninstrumented passes)."""
    index, item = task
    if _init_failure is not None:
        return _init_failure
    _slots[_slot + 1] = index
    try:
        result = _function(*item) if _starmap else _function(item)
    except BaseException as error:
        result = failure_of(index, error, _worker)
    _slots[_slot + 1] = -1
    return result


def run_chunk_untimed(chunk: Tuple[int, List[Any]]) -> Any:
    """A Pool chunk without per-task timing, as Pool.map's mapstar runs it: the results list, or the first
    failure. The slot names the chunk's first input, so a worker that dies is tied to its chunk."""
    first, items = chunk
    if _init_failure is not None:
        return _init_failure
    slots = _slots
    slot = _slot + 1
    slots[slot] = first
    function = _function
    results: List[Any] = []
    append = results.append
    try:
        if _starmap:
            for item in items:
                append(function(*item))
        else:
            for item in items:
                append(function(item))
    except BaseException as error:
        slots[slot] = -1
        return failure_of(first + len(results), error, _worker)
    slots[slot] = -1
    return results


def probe(seconds: float) -> Any:
    """Warm-up probe: holds the worker a moment so the next probe lands elsewhere; says who answered."""
    time.sleep(seconds)
    if _init_failure is not None:
        return _init_failure
    return _init


def diagnose_result(task: Tuple[int, Any]) -> Optional[Tuple[int, str, str]]:
    """Runs one task again and pickles its result: (input, type, error) when it cannot cross back."""
    from .serialization import PROCESS, result_problem

    index, item = task
    return result_problem(index, _function, item, _starmap, PROCESS.dumps)


def slot_array(context: Any, workers: int) -> Tuple[Any, Any]:
    """The shared (pid, running input) pairs, with room for workers a pool starts to replace dead ones."""
    slots = context.Array("q", 2 * (workers * 4 + 8), lock=False)
    for i in range(0, len(slots), 2):
        slots[i] = 0
        slots[i + 1] = -1
    return slots, context.Value("q", 0)


def running_input(slots: Sequence[int], pid: int) -> Optional[int]:
    for i in range(0, len(slots), 2):
        if slots[i] == pid and slots[i + 1] >= 0:
            return int(slots[i + 1])
    return None
