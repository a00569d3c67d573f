"""joblib: joblib.Parallel(n_jobs=k, backend="loky") with its automatic batching, held open across the passes as a
user's `with Parallel(...) as parallel:` block would be, and its loky workers shut down on close. Each input is
one delayed call timed in its worker; the batch size auto-batching settled on goes to engineStats (a batch_size
asked for, --chunksize, replaces auto-batching)."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ..failures import HarnessError
from ..memory import worker_memory
from ..serialization import Serializer, first_unpicklable_argument
from .base import Backend
from .cluster_base import missing_package
from . import cluster_worker
from .. import clocks

NOTE = "joblib's loky backend pickles every argument to send it to a worker and every result to send it back"


def unavailable_reason() -> Optional[str]:
    return missing_package("joblib", "joblib", "python3-joblib")


class JoblibBackend(Backend):
    name = "joblib"

    def construct(self) -> Dict[str, Any]:
        import joblib

        construct_start = clocks.monotonic()
        batch_size: Any = self.chunksize or "auto"
        self._parallel = joblib.Parallel(n_jobs=self.workers, backend="loky", batch_size=batch_size)
        self._parallel.__enter__()
        construct_end = clocks.monotonic()
        # loky starts its workers lazily; the warm-up probes bring all k up (W0, W1) before anything is counted.
        self._executor = getattr(self._parallel._backend, "_workers", None)
        self._pids: Dict[int, Any] = {}
        return {"constructStart": construct_start, "constructEnd": construct_end, "startMethod": "loky"}

    def _call(self, calls: List[Any], failure: Optional[Callable[[Exception], HarnessError]] = None) -> List[Any]:
        """Runs the calls on the pool; a dead worker is worker-died, any other failure goes through `failure`."""
        from joblib.externals.loky.process_executor import TerminatedWorkerError

        try:
            answers: List[Any] = self._parallel(calls)
        except TerminatedWorkerError as error:
            self.terminate()
            memory = self.memory_watch.oom_cause(-1) if "SIGKILL" in str(error) else None
            cause = (
                "most likely the kernel's OOM killer, out of memory: %s" % memory
                if memory is not None
                else "os._exit, a crash or a signal inside the function"
            )
            raise HarnessError(
                "worker-died",
                "A loky worker of the joblib pool %s ended abruptly (%s): %s; the pool was shut down."
                % (self.id, cause, _first_line(error)),
            ) from None
        except Exception as error:
            if failure is None:
                raise
            raise failure(error) from None
        self._remember_processes()
        return answers

    def _remember_processes(self) -> None:
        for pid, process in list((getattr(self._executor, "_processes", None) or {}).items()):
            self._pids.setdefault(pid, process)

    def probe_round(self, seconds: float) -> List[Any]:
        from joblib import delayed

        file, function_name, _ = self._spec()
        probes = [delayed(cluster_worker.probe)(seconds, file, function_name) for _ in range(self.workers)]
        # One probe per batch, whatever batch_size was asked for, so that each of the k probes can reach a worker.
        held = self._parallel.batch_size
        self._parallel.batch_size = 1
        try:
            return self._call(probes)
        finally:
            self._parallel.batch_size = held

    def _spec(self) -> Tuple[str, str, bool]:
        return (self.target.file, self.target.function_name, self.target.starmap)

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        from joblib import delayed

        file, function_name, starmap = self._spec()
        run_task = delayed(cluster_worker.run_task)
        calls = [run_task(index, item, file, function_name, starmap) for index, item in self.tasks]
        parallel = self._parallel
        map_start = clocks.monotonic()
        answers = self._call(calls, self._serialization_failure)
        results_in = clocks.monotonic()
        stats = {
            "batchSize": getattr(parallel._backend, "_effective_batch_size", None),
            # Each call of Parallel counts its own batches from 0.
            "batches": parallel.n_dispatched_batches,
        }
        return self.pass_message(sample, map_start, results_in, answers, chunksize=self.chunksize, engine_stats=stats)

    def _serialization_failure(self, error: Exception) -> HarnessError:
        # Our wrapper returns the function's own exceptions as data: what Parallel raises is loky's own failure,
        # an argument or a result it could not pickle. Name the first such input: results are pickled here, in
        # the harness, the way a loky worker would pickle them.
        from joblib.externals import cloudpickle

        serializer = Serializer(cloudpickle.dumps, "serialized", NOTE)
        spec = self._spec()
        found = first_unpicklable_argument(self.target.items, serializer) or self.diagnose_results(
            range(len(self.target.items)),
            lambda index, item: cluster_worker.diagnose_result(index, item, *spec),
            serializer,
        )
        return found or HarnessError(
            "not-serializable" if "pickl" in str(error).lower() else "internal",
            "The joblib pass failed with %s: %s" % (type(error).__name__, _first_line(error)),
        )

    @property
    def shared_process(self) -> bool:  # type: ignore[override]
        # joblib runs n_jobs=1 as a plain loop in the calling process.
        return self.workers == 1

    def close(self) -> Dict[str, Any]:
        self._remember_processes()
        memory = worker_memory(self._pids)
        close_start = clocks.monotonic()
        self._end(kill=False)
        return dict(memory, closeStart=close_start, closeEnd=clocks.monotonic())

    def terminate(self) -> None:
        self._end(kill=True)

    def _end(self, kill: bool) -> None:
        """Leaves the Parallel block and shuts the loky executor down: joblib keeps it for reuse otherwise."""
        parallel, self._parallel = getattr(self, "_parallel", None), None
        if parallel is not None:
            try:
                parallel.__exit__(None, None, None)
            except Exception:
                pass
        executor, self._executor = getattr(self, "_executor", None), None
        if executor is not None:
            try:
                # terminate (not shutdown) also removes the memmapping temp folder, which loky's resource
                # tracker would otherwise report as leaked on stderr at exit.
                executor.terminate(kill_workers=kill)
            except Exception:
                pass
        for process in getattr(self, "_pids", {}).values():
            try:
                process.join(2.0)
                if process.exitcode is None:
                    process.kill()
                    process.join(1.0)
            except Exception:
                pass


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


BACKEND = JoblibBackend
