"""What every backend does the same way: warm the workers up, run the warm-up pass, and turn raw task answers
into a pass message (protocol/harness.ts PassMessage) or the task-raised error of the first failing input."""
from __future__ import annotations

import itertools
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..channel import Channel, log
from ..failures import HarnessError, describe_call
from ..memory import MemoryWatch
from ..result_hash import result_hash
from ..serialization import PROCESS, Serializer, result_error
from ..target import Target
from ..worker import InitFailure, TaskFailure, failure_of
from .. import clocks

PROBE_ROUNDS = 40
PROBE_SECONDS = 60.0
# How many inputs are run again, at most, to find the one whose result cannot be serialized.
DIAGNOSE_LIMIT = 64


class Backend:
    """One open configuration (backend, k, start method). Subclasses fill in the pool-specific steps."""

    name = "?"
    # True where the workers are threads of the harness process itself: memory is then the process's growth.
    shared_process = False

    def __init__(self, config: Dict[str, Any], target: Target, channel: Channel) -> None:
        self.id: str = config["id"]
        self.workers: int = int(config["workers"])
        self.start_method: Optional[str] = config.get("startMethod")
        self.options: Dict[str, Any] = config.get("options") or {}
        # Threads each worker's BLAS/OpenMP libraries may run (None: as the user's environment has it).
        self.library_threads: Optional[int] = config.get("libraryThreads")
        # Inputs sent to a worker at a time where the runner asked for one (--chunksize); None: the backend's own.
        self.chunksize: Optional[int] = config.get("chunksize")
        self.target = target
        self.channel = channel
        # The order the inputs are submitted in (--order longest-first); None: as given.
        self.order: Optional[List[int]] = _permutation(config.get("order"), len(target.items), self.id)
        items = target.items
        self.tasks = list(enumerate(items)) if self.order is None else [(i, items[i]) for i in self.order]
        if self.workers < 1:
            raise HarnessError("bad-command", "%s: workers must be a positive integer, not %r." % (self.id, self.workers))
        if self.chunksize is not None and (type(self.chunksize) is not int or self.chunksize < 1):
            raise HarnessError("bad-command", "%s: chunksize must be a positive integer, not %r." % (self.id, self.chunksize))

    # ------------------------------------------------------------------ subclass steps

    def construct(self) -> Dict[str, Any]:
        """Creates the pool between P0 and P1; returns opened-message fields (constructStart, constructEnd, ...)."""
        raise NotImplementedError

    def probe_round(self, seconds: float) -> List[Any]:
        """Runs k probes that each sleep `seconds`; returns their answers (worker, pid, W0, W1) or InitFailure."""
        raise NotImplementedError

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        raise NotImplementedError

    def run_untimed(self, sample: int) -> Dict[str, Any]:
        """A counted pass without per-task timing: the wall time of the whole map only. Engines whose own
        dispatch dwarfs two clock reads per task keep their timed pass (the message says "timing": "tasks")."""
        message, _ = self.run_pass(sample, warmup=False)
        return message

    def close(self) -> Dict[str, Any]:
        """Closes the pool between P5 and P6, peak RSS read first; returns closed-message fields."""
        raise NotImplementedError

    def terminate(self) -> None:
        """Ends the pool at once (after a failure)."""

    def worker_processes(self) -> Dict[str, int]:
        """The pool's local worker processes by worker name, whose own CPU each pass reads; {} for none."""
        return {}

    def shutdown(self, seconds: float) -> None:
        """Ends the pool when the harness exits: gracefully within `seconds` if it can (workers flush their
        output on a normal exit, not on SIGTERM), else at once."""
        self.terminate()

    # ------------------------------------------------------------------ shared

    def open(self) -> Tuple[Dict[str, Any], List[Any]]:
        """The opened message with its warm-up pass, and the warm-up results (kept for calibration)."""
        self.memory_watch = MemoryWatch()
        opened = self.construct()
        try:
            opened["workers"] = self.warm_workers()
            self.memory_watch.before_pass()
            warmup, results = self.run_pass(-1, warmup=True)
            self.memory_watch.after_pass()
        except BaseException:
            self.terminate()
            raise
        opened.update({"type": "opened", "id": self.id, "warmup": warmup})
        return opened, results

    def warm_workers(self) -> List[Dict[str, Any]]:
        """Probes until all k workers have answered (bounded), so each is up and has imported the module."""
        seen: Dict[str, Any] = {}
        seconds = 0.02
        deadline = clocks.monotonic() + PROBE_SECONDS
        for _ in range(PROBE_ROUNDS):
            for answer in self.probe_round(seconds):
                if isinstance(answer, InitFailure):
                    raise HarnessError(answer.code, answer.message, detail=answer.detail)
                seen.setdefault(answer[0], answer)
            if len(seen) >= self.workers or clocks.monotonic() > deadline:
                break
            seconds = min(seconds * 1.5, 0.5)
        if len(seen) < self.workers:
            log("%s: only %d of %d workers answered the warm-up probes" % (self.id, len(seen), self.workers))
        return [_worker_start(answer) for answer in sorted(seen.values(), key=lambda a: (a[2], a[0]))]

    def pass_message(
        self,
        sample: int,
        map_start: float,
        results_in: float,
        answers: Sequence[Any],
        result_times: Optional[List[List[Any]]] = None,
        chunksize: Optional[int] = None,
        engine_stats: Optional[Dict[str, Any]] = None,
    ) -> Tuple[Dict[str, Any], List[Any]]:
        results: List[Any] = []
        tasks: List[Dict[str, Any]] = []
        append_result = results.append
        append_task = tasks.append
        for answer in answers:
            if type(answer) is not tuple:
                raise self.failure(answer)
            result, (worker, index, start, end, cpu) = answer
            append_result(result)
            append_task({"worker": worker, "input": index, "start": start, "end": end, "cpu": cpu})
        message = self.untimed_message(sample, map_start, results_in, results)
        message["tasks"] = tasks
        del message["timing"]
        if result_times is not None:
            order = self.order
            message["resultTimes"] = result_times if order is None else [[order[i], t] for i, t in result_times]
        if chunksize is not None:
            message["chunksize"] = chunksize
        if engine_stats is not None:
            message["engineStats"] = engine_stats
        return message, results

    def untimed_message(
        self, sample: int, map_start: float, results_in: float, results: List[Any], chunksize: Optional[int] = None
    ) -> Dict[str, Any]:
        """The pass message of an uninstrumented pass: no tasks, the hash of the results in input order (they come
        in submission order, which --order may have changed)."""
        if self.order is not None:
            ordered: List[Any] = [None] * len(results)
            for position, index in enumerate(self.order):
                ordered[index] = results[position]
            results = ordered
        message: Dict[str, Any] = {
            "type": "pass",
            "id": self.id,
            "sample": sample,
            "mapStart": map_start,
            "resultsIn": results_in,
            "tasks": [],
            "resultHash": result_hash(results),
            "timing": "none",
        }
        if chunksize is not None:
            message["chunksize"] = chunksize
        return message

    def untimed_failure(self, error: BaseException) -> HarnessError:
        """A task raised in a pass without per-task bookkeeping: which input is not known, say so."""
        failure = failure_of(0, error, "?")
        text = "%s: %s" % (failure.exception_type, failure.message) if failure.message else failure.exception_type
        return HarnessError(
            "task-raised",
            "%s raised %s in a counted pass on the %s backend (run without per-task timing, so the input is not "
            "known; the warm-up pass ran every input without raising)." % (self.target.function_name, text, self.name),
            detail=failure.traceback,
        )

    def failure(self, answer: Any) -> HarnessError:
        if isinstance(answer, InitFailure):
            return HarnessError(answer.code, answer.message, detail=answer.detail)
        if isinstance(answer, TaskFailure):
            call = describe_call(self.target.function_name, self.target.items[answer.index], self.target.starmap)
            text = "%s: %s" % (answer.exception_type, answer.message) if answer.message else answer.exception_type
            return HarnessError(
                "task-raised",
                "%s raised %s (input %d, on %s, %s backend)." % (call, text, answer.index, answer.worker, self.name),
                detail=answer.traceback,
                input_index=answer.index,
            )
        return HarnessError("internal", "%s: unexpected task answer %r" % (self.id, type(answer).__name__))

    def diagnose_results(
        self,
        indices: Iterable[int],
        diagnose: Callable[[int, Any], Any],
        serializer: Serializer = PROCESS,
    ) -> Optional[HarnessError]:
        """Names the first input whose result cannot cross back: diagnose(index, item) runs it again where the
        pool runs it and answers (input, type, problem) or None. A rerun that fails itself is passed over."""
        items = self.target.items
        for index in itertools.islice(indices, DIAGNOSE_LIMIT):
            try:
                answer = diagnose(index, items[index])
            except Exception:
                continue
            if answer is not None:
                _, kind, problem = answer
                target = self.target
                return result_error(target.function_name, index, items[index], target.starmap, kind, problem, serializer)
        return None

    def first_failure(self, answers: Sequence[Any]) -> Optional[HarnessError]:
        for answer in answers:
            if type(answer) is not tuple:
                return self.failure(answer)
        return None


def _permutation(order: Any, count: int, pool_id: str) -> Optional[List[int]]:
    """The order the runner sent, checked to be a permutation of the input indices; None when there is none."""
    if order is None:
        return None
    if not isinstance(order, list) or sorted(order) != list(range(count)):
        raise HarnessError("bad-command", "%s: order must be a permutation of the %d input indices." % (pool_id, count))
    return order


def _worker_start(answer: Sequence[Any]) -> Dict[str, Any]:
    worker, pid, started, ready = answer
    return {"worker": worker, "pid": pid, "initStart": started, "initEnd": ready}


def announce(channel: Channel, pool_id: str, index: int) -> None:
    """task-start: lets the runner name the input if this process dies during a warm-up pass."""
    channel.send({"type": "task-start", "id": pool_id, "input": index})
