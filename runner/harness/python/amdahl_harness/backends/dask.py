"""dask: Dask distributed, on an existing cluster (options.daskScheduler, the sweep restricted to k of its workers)
or on a LocalCluster(n_workers=k, threads_per_worker=1, processes=True) started here and always closed here.
Per-task compute, transfer and deserialization times come from the scheduler's task stream (engineStats)."""
from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..failures import HarnessError
from ..serialization import Serializer, first_unpicklable_argument
from .cluster_base import PATH_SETUP, ClusterBackend, cluster_worker, missing_package
from .. import clocks

CONNECT_SECONDS = 10.0
START_SECONDS = 120.0
# How often a waiting pass asks the scheduler whether its workers are still there.
MEMBERSHIP_CHECK_SECONDS = 0.5
NOTE = "Dask pickles every argument to send it to a worker and every result to send it back"


def _serializer() -> Serializer:
    import cloudpickle

    return Serializer(cloudpickle.dumps, "serialized", NOTE)


def unavailable_reason() -> Optional[str]:
    return missing_package("distributed", "distributed", "python3-distributed")


class DaskBackend(ClusterBackend):
    name = "dask"

    def construct(self) -> Dict[str, Any]:
        import distributed

        # Dask logs worker starts and stops at INFO on stderr, which the runner shows as the target's own output.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        address = self.options.get("daskScheduler")
        self._cluster: Any = None
        self._client: Any = None
        construct_start = clocks.monotonic()
        if address:
            try:
                self._client = distributed.Client(str(address), timeout=CONNECT_SECONDS, set_as_default=False)
            except Exception as error:
                raise HarnessError(
                    "cluster-unreachable",
                    "The Dask scheduler at %s cannot be reached within %g s (%s: %s); is `dask scheduler` running "
                    "there, and is the address right?" % (address, CONNECT_SECONDS, type(error).__name__, error),
                ) from None
        else:
            try:
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = distributed.Client(self._cluster, set_as_default=False)
                self._client.wait_for_workers(self.workers, timeout=START_SECONDS)
            except BaseException:
                self.terminate()
                raise
        construct_end = clocks.monotonic()
        try:
            self._addresses = self._choose_workers(address)
            self._client.run(exec, PATH_SETUP, workers=self._addresses)
            self._client.run(cluster_worker.set_name_from_dask, workers=self._addresses)
        except BaseException:
            self.terminate()
            raise
        return {"constructStart": construct_start, "constructEnd": construct_end}

    def _choose_workers(self, address: Optional[str]) -> List[str]:
        present = sorted(self._client.nthreads())
        if len(present) < self.workers:
            raise HarnessError(
                "cluster-too-small",
                "The Dask cluster at %s has %d worker(s); %d cannot be measured on it."
                % (address or "LocalCluster", len(present), self.workers),
            )
        return present[: self.workers]

    def _handles(self) -> List[Any]:
        return self._addresses

    def _probe(self, handle: Any, seconds: float) -> Any:
        future = self._client.submit(
            cluster_worker.probe, seconds, *self.task_spec[:2], workers=[handle], allow_other_workers=False, pure=False
        )
        self._wait([future])
        return future.result()

    def _clock(self, handle: Any) -> Tuple[float, str]:
        return self._client.run(cluster_worker.clock, workers=[handle])[handle]  # type: ignore[no-any-return]

    def _wait(self, futures: List[Any]) -> None:
        """Waits for every future; a worker of ours that leaves the cluster ends the wait with worker-died."""
        gone = self._client.sync(self._all_done_or_gone, futures)
        if not gone:
            return
        unfinished = [i for i, future in enumerate(futures) if not future.done()]
        # The scheduler counts, per task, the workers that died while it was assigned to them: one input with the
        # highest count beyond 1 is what kills them; else name what the worker held.
        counts = self._suspicious([futures[i].key for i in unfinished])
        top = max(counts.values(), default=0)
        culprits = [i for i in unfinished if counts.get(futures[i].key) == top] if top else []
        if len(culprits) == 1 and top > 1:
            named = "and input %d had killed each of the %d workers that ran it" % (culprits[0], top)
        elif culprits:
            named = "holding input(s) %s" % _short_list(culprits)
        else:
            named = "with input(s) %s unfinished" % _short_list(unfinished)
        raise HarnessError(
            "worker-died",
            "Dask worker %s left the cluster during the pass (killed, crashed or lost) %s; the pass was abandoned."
            % (", ".join(gone), named),
            input_index=culprits[0] if len(culprits) == 1 else None,
        )

    async def _all_done_or_gone(self, futures: List[Any]) -> List[str]:
        """On the client's event loop: waits once for all the futures, asking the scheduler every
        MEMBERSHIP_CHECK_SECONDS whether our workers are still there. The addresses gone, or none when every future
        finished (a wait retried in short steps from the harness's thread would build and cancel a waiter per
        future at each step)."""
        import asyncio

        import distributed

        everything = asyncio.ensure_future(distributed.client._wait(futures))
        try:
            while True:
                finished, _ = await asyncio.wait([everything], timeout=MEMBERSHIP_CHECK_SECONDS)
                if finished:
                    everything.result()
                    return []
                present = await self._client.scheduler.ncores()
                gone = [address for address in self._addresses if address not in present]
                if gone:
                    return gone
        finally:
            everything.cancel()

    def _suspicious(self, keys: List[str]) -> Dict[str, int]:
        """Keys the scheduler saw running on a worker when it died (TaskState.suspicious), best effort."""
        try:
            # A lambda travels by value (cloudpickle); the scheduler cannot import this package.
            return self._client.run_on_scheduler(  # type: ignore[no-any-return]
                lambda dask_scheduler, keys: {
                    key: dask_scheduler.tasks[key].suspicious
                    for key in keys
                    if key in dask_scheduler.tasks and dask_scheduler.tasks[key].suspicious
                },
                keys=keys,
            )
        except Exception:
            return {}

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        import distributed

        file, function_name, starmap = self.task_spec
        items = self.target.items
        try:
            with distributed.get_task_stream(client=self._client) as stream:
                map_start = clocks.monotonic()
                try:
                    # Positional arguments only: with keywords, Dask wraps every task in apply() and pickles it
                    # whole, which on a small machine slows the very dispatch being measured.
                    count = len(items)
                    futures = self._client.map(
                        cluster_worker.run_task,
                        range(count),
                        items,
                        [file] * count,
                        [function_name] * count,
                        [starmap] * count,
                        workers=self._addresses,
                        allow_other_workers=False,
                        pure=False,
                    )
                except Exception as error:
                    raise self._argument_failure(error) from None
                try:
                    self._wait(futures)
                    answers = self._gather(futures)
                except HarnessError:
                    raise
                except Exception as error:
                    # Arguments are serialized on the way to the scheduler, after map returned: a failure
                    # there cancels the futures.
                    raise self._argument_failure(error) from None
                results_in = clocks.monotonic()
        except HarnessError as error:
            if error.code == "worker-died":
                # The session forgets a pool whose worker died; end it here (after the task stream is read).
                self.terminate()
            raise
        keys = {future.key for future in futures}
        del futures
        stats = _stream_stats([record for record in stream.data if record.get("key") in keys])
        return self.pass_message(sample, map_start, results_in, self.shifted(answers), chunksize=1, engine_stats=stats)

    def _gather(self, futures: List[Any]) -> List[Any]:
        for index, future in enumerate(futures):
            if future.status == "error":
                raise self._task_error(index, future.exception())
        try:
            return self._client.gather(futures)  # type: ignore[no-any-return]
        except Exception as error:
            raise self._result_failure(error) from None

    def _task_error(self, index: int, error: BaseException) -> HarnessError:
        import distributed

        if isinstance(error, distributed.KilledWorker):
            return HarnessError(
                "worker-died",
                "Input %d killed every Dask worker that ran it (%s); the pool was closed." % (index, error),
                input_index=index,
            )
        return self._result_failure(error, index)

    def _argument_failure(self, error: Exception) -> HarnessError:
        found = first_unpicklable_argument(self.target.items, _serializer())
        return found or self._result_failure(error)

    def _result_failure(self, error: BaseException, index: Optional[int] = None) -> HarnessError:
        # Our wrapper returns the function's own exceptions as data: what the engine raises is its own failure,
        # most often a result it could not serialize. Find the input by running them again one by one.
        candidates = [index] if index is not None else range(len(self.target.items))
        found = self.diagnose_results(
            candidates,
            lambda candidate, item: self._client.submit(
                cluster_worker.diagnose_result, candidate, item, *self.task_spec, workers=self._addresses, pure=False
            ).result(timeout=60),
            _serializer(),
        )
        return found or HarnessError(
            "not-serializable" if "serializ" in str(error).lower() or "pickl" in str(error).lower() else "internal",
            "The Dask pass failed with %s: %s" % (type(error).__name__, error),
            input_index=index,
        )

    def _worker_peaks(self) -> Iterable[Tuple[str, Optional[int]]]:
        return self._client.run(cluster_worker.own_peak_rss, workers=self._addresses).items()  # type: ignore[no-any-return]

    def terminate(self) -> None:
        """Closes the client; a LocalCluster started here is closed too (an existing cluster is the user's)."""
        client, self._client = getattr(self, "_client", None), None
        cluster, self._cluster = getattr(self, "_cluster", None), None
        if client is not None:
            try:
                client.close(timeout=10)
            except Exception:
                pass
        if cluster is not None:
            try:
                cluster.close(timeout=20)
            except Exception:
                pass

def _stream_stats(records: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Task-stream seconds summed by action (compute, transfer, deserialize, disk-read, ...) over the pass."""
    totals: Dict[str, float] = {}
    for record in records:
        for span in record.get("startstops", ()):
            action = str(span.get("action"))
            totals[action] = totals.get(action, 0.0) + float(span["stop"]) - float(span["start"])
    stats: Dict[str, Any] = {"tasks": len(records)}
    for action, seconds in sorted(totals.items()):
        stats["%sSeconds" % _camel(action)] = seconds
    return stats

def _camel(action: str) -> str:
    head, *rest = action.replace("_", "-").split("-")
    return head + "".join(part.title() for part in rest)

def _short_list(indices: List[int]) -> str:
    shown = ", ".join(str(i) for i in indices[:8])
    return shown + (", ..." if len(indices) > 8 else "")

BACKEND = DaskBackend
