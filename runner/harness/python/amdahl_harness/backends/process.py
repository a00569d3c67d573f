"""process: multiprocessing Pool(k) with Pool.map's chunking (its default ceil(n/(4k)) or the chunksize asked for),
waited on in short steps so that a worker that dies (os._exit, a segfault, a kill) is noticed instead of hanging
the pass as Pool.map would."""
from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import re
from typing import Any, Dict, List, Optional, Tuple

from ..failures import HarnessError
from ..memory import worker_memory
from ..serialization import first_unpicklable_argument
from .. import worker
from .base import Backend
from .worker_death import choose, worker_died
from .. import clocks

# How often a waiting pass looks at the workers' exit codes; the result itself wakes the wait at once.
DEATH_CHECK_SECONDS = 0.05
# The repr of a chunk answer that could not be pickled starts with its first input and worker (worker.run_chunk).
_CHUNK_START = re.compile(r"\((\d+), 'pid \d+', \[")


def unavailable_reason() -> Optional[str]:
    return None


def start_context(start_method: Optional[str]) -> Any:
    try:
        return multiprocessing.get_context(start_method)
    except ValueError:
        raise HarnessError(
            "backend-unavailable",
            "The start method %r is not available here; this Python offers %s."
            % (start_method, ", ".join(multiprocessing.get_all_start_methods())),
        ) from None


def pool_setup(backend: Backend) -> Tuple[Any, Any, Tuple[Any, ...]]:
    """A local process pool's start context (the backend's start method is set to what it resolved to), the slots
    its workers fill with (pid, running input), and worker.initialize's arguments."""
    context = start_context(backend.start_method)
    backend.start_method = context.get_start_method()
    slots, counter = worker.slot_array(context, backend.workers)
    target = backend.target
    arguments = (target.file, target.placement, target.function_name, target.starmap, slots, counter)
    return context, slots, arguments + (backend.library_threads,)


def default_chunksize(items: int, workers: int) -> int:
    """What Pool.map computes: ceil(n / (4k))."""
    chunksize, extra = divmod(items, workers * 4)
    return chunksize + 1 if extra else chunksize


class ProcessBackend(Backend):
    name = "process"

    def construct(self) -> Dict[str, Any]:
        context, self._slots, arguments = pool_setup(self)
        construct_start = clocks.monotonic()
        self._pool = context.Pool(self.workers, initializer=worker.initialize, initargs=arguments)
        construct_end = clocks.monotonic()
        # Pool replaces dead workers silently; these first ones are the ones whose deaths we must notice.
        self._processes = list(self._pool._pool)  # type: ignore[attr-defined]
        # Pool.map's chunking (its own default, or the chunksize asked for), done here so that each chunk knows its
        # first input (see worker.run_chunk).
        self._chunksize = self.chunksize or default_chunksize(len(self.tasks), self.workers)
        # Chunks of consecutive submission positions: the inputs themselves with --order longest-first.
        items = [item for _, item in self.tasks]
        size = self._chunksize
        self._chunks = [(first, items[first : first + size]) for first in range(0, len(items), size)]
        return {"constructStart": construct_start, "constructEnd": construct_end, "startMethod": self.start_method}

    def _wait(self, result: Any) -> None:
        while not result.ready():
            result.wait(DEATH_CHECK_SECONDS)
            if result.ready():
                return
            self.memory_watch.sample(process.pid for process in self._processes)
            died = choose(self._processes)
            if died is not None:
                died.join(1.0)
                error = worker_died(self, died, self._slots)
                self.terminate()
                raise error

    def probe_round(self, seconds: float) -> List[Any]:
        result = self._pool.map_async(worker.probe, [seconds] * self.workers, chunksize=1)
        self._wait(result)
        return result.get()

    def _map_chunks(self, run: Any) -> Tuple[float, float, List[Any]]:
        """P2, P4 and the chunk answers of one pass of `run` over Pool.map's chunks."""
        map_start = clocks.monotonic()
        result = self._pool.map_async(run, self._chunks, chunksize=1)
        self._wait(result)
        results_in = clocks.monotonic()
        try:
            return map_start, results_in, result.get()
        except Exception as error:
            raise self._serialization_failure(error) from None

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        map_start, results_in, chunks = self._map_chunks(worker.run_chunk)
        answers = _per_task(chunks, self.order)
        return self.pass_message(sample, map_start, results_in, answers, chunksize=self._chunksize)

    def run_untimed(self, sample: int) -> Dict[str, Any]:
        map_start, results_in, chunks = self._map_chunks(worker.run_chunk_untimed)
        results: List[Any] = []
        for chunk in chunks:
            if isinstance(chunk, (worker.InitFailure, worker.TaskFailure)):
                raise self.failure(_input_of(chunk, self.order))
            results.extend(chunk)
        return self.untimed_message(sample, map_start, results_in, results, chunksize=self._chunksize)

    def _serialization_failure(self, error: Exception) -> HarnessError:
        """Pool raises pickling errors of arguments as they are, and of results as MaybeEncodingError."""
        if isinstance(error, multiprocessing.pool.MaybeEncodingError):
            found = self._diagnose_results(str(getattr(error, "value", "")))
            if found is not None:
                return found
            return HarnessError(
                "not-serializable",
                "A result of %s could not be pickled to send it back from a worker: %s"
                % (self.target.function_name, error),
            )
        argument = first_unpicklable_argument(self.target.items)
        if argument is not None:
            return argument
        return HarnessError("internal", "%s: the pool raised %s: %s" % (self.id, type(error).__name__, error))

    def _diagnose_results(self, chunk_repr: str) -> Optional[HarnessError]:
        # Run the failed chunk's inputs again one by one, pickling each result, to name the one that cannot cross.
        found = _CHUNK_START.search(chunk_repr)
        if found is None:
            return None
        first = int(found.group(1))
        positions = range(first, min(first + self._chunksize, len(self.target.items)))
        order = self.order
        return self.diagnose_results(
            positions if order is None else [order[p] for p in positions],
            lambda index, item: self._pool.apply(worker.diagnose_result, ((index, item),)),
        )

    def close(self) -> Dict[str, Any]:
        memory = worker_memory(process.pid for process in self._processes)
        close_start = clocks.monotonic()
        self._pool.close()
        self._pool.join()
        return dict(memory, closeStart=close_start, closeEnd=clocks.monotonic())

    def worker_processes(self) -> Dict[str, int]:
        return {"pid %d" % process.pid: process.pid for process in self._processes}

    def terminate(self) -> None:
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.terminate()

    def shutdown(self, seconds: float) -> None:
        self._pool.close()
        deadline = clocks.monotonic() + seconds
        for process in self._processes:
            process.join(max(0.0, deadline - clocks.monotonic()))
        if any(process.exitcode is None for process in self._processes):
            self._pool.terminate()
        else:
            self._pool.join()


def _per_task(chunks: List[Any], order: Optional[List[int]]) -> List[Any]:
    """Chunk answers as the per-task answers base.pass_message reads: (result, timing) or a failure. Chunks count
    submission positions; `order` (--order) turns a position into its input index."""
    answers: List[Any] = []
    append = answers.append
    for chunk in chunks:
        if isinstance(chunk, worker.InitFailure):
            append(chunk)
            continue
        first, name, results, times = chunk
        for offset, result in enumerate(results):
            if isinstance(result, worker.TaskFailure):
                append(_input_of(result, order))
            else:
                at = 3 * offset
                index = first + offset if order is None else order[first + offset]
                append((result, (name, index, times[at], times[at + 1], times[at + 2])))
    return answers


def _input_of(failure: Any, order: Optional[List[int]]) -> Any:
    """A task failure named by its input index rather than its submission position."""
    if order is not None and isinstance(failure, worker.TaskFailure):
        failure.index = order[failure.index]
    return failure


BACKEND = ProcessBackend
