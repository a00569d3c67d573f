"""futures-process: concurrent.futures.ProcessPoolExecutor(k), pre-warmed so all k workers exist before counting
(it starts them lazily outside fork); its map (chunksize 1, or the chunksize asked for) used as a user would."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Dict, List, Optional, Tuple

from ..failures import HarnessError
from ..memory import worker_memory
from ..serialization import argument_error, pickling_error
from .. import worker
from .base import Backend
from .process import pool_setup
from .worker_death import choose, worker_died
from .. import clocks


def unavailable_reason() -> Optional[str]:
    return None


def _repair_debian_pypy(executor: ProcessPoolExecutor) -> None:
    # Debian's PyPy 3.9 stdlib renamed _adjust_process_count to _adjust_process_count_cpython but still calls the
    # old name when workers start lazily (spawn, forkserver): submit() raises AttributeError without this.
    if not hasattr(executor, "_adjust_process_count") and hasattr(executor, "_adjust_process_count_cpython"):
        executor._adjust_process_count = executor._adjust_process_count_cpython  # type: ignore[attr-defined]


class FuturesProcessBackend(Backend):
    name = "futures-process"

    def construct(self) -> Dict[str, Any]:
        context, self._slots, arguments = pool_setup(self)
        construct_start = clocks.monotonic()
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=worker.initialize, initargs=arguments
        )
        construct_end = clocks.monotonic()
        _repair_debian_pypy(self._executor)
        self._processes: Dict[int, Any] = {}
        return {"constructStart": construct_start, "constructEnd": construct_end, "startMethod": self.start_method}

    def _remember_processes(self) -> None:
        # The executor forgets its processes once broken; keep our own references to read exit codes.
        for pid, process in list((getattr(self._executor, "_processes", None) or {}).items()):
            self._processes.setdefault(pid, process)

    def _broken(self) -> HarnessError:
        self._remember_processes()
        processes = list(self._processes.values())
        # A broken executor terminates the other workers; once all are reaped the one that died first is the one
        # not killed by SIGTERM (reading exit codes while the executor reaps them races, so wait for the end).
        deadline = clocks.monotonic() + 2.0
        for process in processes:
            process.join(max(0.0, deadline - clocks.monotonic()))
        self.terminate()
        died = choose(processes)
        if died is None:
            return HarnessError(
                "worker-died",
                "The futures-process pool %s broke: a worker process ended abruptly." % self.id,
            )
        return worker_died(self, died, self._slots)

    def worker_processes(self) -> Dict[str, int]:
        return {"pid %d" % pid: pid for pid in self._processes}

    def probe_round(self, seconds: float) -> List[Any]:
        futures = [self._executor.submit(worker.probe, seconds) for _ in range(self.workers)]
        try:
            answers = [future.result() for future in futures]
        except BrokenProcessPool:
            raise self._broken() from None
        self._remember_processes()
        return answers

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        monotonic = clocks.monotonic
        answers: List[Any] = []
        result_times: List[List[Any]] = []
        index = 0
        map_start = monotonic()
        try:
            for answer in self._executor.map(worker.run_task, self.tasks, chunksize=self.chunksize or 1):
                result_times.append([index, monotonic()])
                answers.append(answer)
                index += 1
        except BrokenProcessPool:
            raise self._broken() from None
        except Exception as error:
            raise self._serialization_failure(self._input_at(index), error) from None
        results_in = monotonic()
        return self.pass_message(
            sample, map_start, results_in, answers, result_times=result_times, chunksize=self.chunksize or 1
        )

    def run_untimed(self, sample: int) -> Dict[str, Any]:
        results: List[Any] = []
        map_start = clocks.monotonic()
        try:
            for answer in self._executor.map(worker.run_plain, self.tasks, chunksize=self.chunksize or 1):
                results.append(answer)
        except BrokenProcessPool:
            raise self._broken() from None
        except Exception as error:
            raise self._serialization_failure(self._input_at(len(results)), error) from None
        results_in = clocks.monotonic()
        for answer in results:
            if isinstance(answer, (worker.InitFailure, worker.TaskFailure)):
                raise self.failure(answer)
        return self.untimed_message(sample, map_start, results_in, results, chunksize=self.chunksize or 1)

    def _input_at(self, position: int) -> int:
        """The input index submitted at `position` (--order may have changed the order)."""
        return self.tasks[position][0] if position < len(self.tasks) else position

    def _serialization_failure(self, index: int, error: Exception) -> HarnessError:
        # Our wrapper turns the function's own exceptions into data: what is raised here is a pickling failure,
        # of the argument (parent side) or of the result (worker side).
        item = self.target.items[index]
        problem = pickling_error(item)
        if problem is not None:
            return argument_error(index, item, problem)
        found = self.diagnose_results(
            [index], lambda index, item: self._executor.submit(worker.diagnose_result, (index, item)).result()
        )
        # Or the result pickles after all (or could not be checked): say what the executor raised.
        return found or HarnessError(
            "not-serializable" if "pickl" in str(error).lower() else "internal",
            "Input %d failed in the futures-process pool with %s: %s" % (index, type(error).__name__, error),
            input_index=index,
        )

    def close(self) -> Dict[str, Any]:
        self._remember_processes()
        memory = worker_memory(self._processes)
        close_start = clocks.monotonic()
        self._executor.shutdown(wait=True)
        return dict(memory, closeStart=close_start, closeEnd=clocks.monotonic())

    def shutdown(self, seconds: float) -> None:
        self._remember_processes()
        self._executor.shutdown(wait=False)
        deadline = clocks.monotonic() + seconds
        for process in self._processes.values():
            process.join(max(0.0, deadline - clocks.monotonic()))
        self.terminate()

    def terminate(self) -> None:
        executor = getattr(self, "_executor", None)
        if executor is None:
            return
        self._remember_processes()
        for process in self._processes.values():
            if process.exitcode is None:
                process.terminate()
        try:
            executor.shutdown(wait=True)
        except Exception:
            pass
        for process in self._processes.values():
            process.join(2.0)


BACKEND = FuturesProcessBackend
