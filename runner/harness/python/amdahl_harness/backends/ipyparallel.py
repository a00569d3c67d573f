"""ipyparallel: IPython Parallel, on a running ipcluster (options.ipyparallelConnection, a client connection file,
or options.ipyparallelProfile; the sweep uses k of its engines) or on ipp.Cluster(n=k) started here and always
stopped here. Each input is one task of a load-balanced map (chunksize 1); the engines' own
submitted/started/completed/received metadata goes to engineStats."""
from __future__ import annotations

import logging
import os
import signal
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..failures import HarnessError
from ..serialization import Serializer, first_unpicklable_argument
from .cluster_base import PATH_SETUP, WAIT_STEP_SECONDS, ClusterBackend, cluster_worker, missing_package
from .. import clocks

CONNECT_SECONDS = 10.0
START_SECONDS = 120.0
NOTE = "IPython Parallel pickles every argument to send it to an engine and every result to send it back"


def unavailable_reason() -> Optional[str]:
    return missing_package("ipyparallel", "ipyparallel", "python3-ipyparallel")


def _serializer() -> Serializer:
    from ipyparallel.serialize import serialize_object

    return Serializer(serialize_object, "serialized", NOTE)


class IpyparallelBackend(ClusterBackend):
    name = "ipyparallel"

    def construct(self) -> Dict[str, Any]:
        import ipyparallel

        self._cluster: Any = None
        self._client: Any = None
        connection = self.options.get("ipyparallelConnection")
        profile = self.options.get("ipyparallelProfile")
        construct_start = clocks.monotonic()
        try:
            if connection or profile:
                where = "connection file %s" % connection if connection else "profile %r" % profile
                try:
                    if connection:
                        self._client = ipyparallel.Client(str(connection), timeout=CONNECT_SECONDS)
                    else:
                        self._client = ipyparallel.Client(profile=str(profile), timeout=CONNECT_SECONDS)
                    self._client.wait_for_engines(self.workers, timeout=CONNECT_SECONDS)
                except Exception as error:
                    raise self._connect_failure(where, error) from None
            else:
                # ipp.Cluster logs engine starts at INFO on stderr, which the runner shows as the target's output.
                self._cluster = ipyparallel.Cluster(n=self.workers, log_level=logging.ERROR)
                self._client = self._cluster.start_and_connect_sync()
                self._client.wait_for_engines(self.workers, timeout=START_SECONDS)
            construct_end = clocks.monotonic()
            self._ids = sorted(self._client.ids)[: self.workers]
            view = self._client[self._ids]
            view.execute(PATH_SETUP, block=True)
            self._engine_pids: List[int] = list(view.apply_sync(os.getpid))
            for engine in self._ids:
                self._client[engine].apply_sync(cluster_worker.set_name, "engine %d" % engine)
            self._view = self._client.load_balanced_view(targets=self._ids)
        except BaseException:
            self.terminate()
            raise
        return {"constructStart": construct_start, "constructEnd": construct_end}

    def _connect_failure(self, where: str, error: Exception) -> HarnessError:
        text = "%s: %s" % (type(error).__name__, error)
        if self._client is not None and "engines" in str(error).lower():
            present = len(self._client.ids)
            return HarnessError(
                "cluster-too-small",
                "The ipcluster at %s has %d engine(s); %d cannot be measured on it." % (where, present, self.workers),
            )
        return HarnessError(
            "cluster-unreachable",
            "The ipcluster at %s cannot be reached within %g s (%s); is `ipcluster start` running?"
            % (where, CONNECT_SECONDS, text),
        )

    def _handles(self) -> List[Any]:
        return self._ids

    def _probe(self, handle: Any, seconds: float) -> Any:
        result = self._client[handle].apply_async(cluster_worker.probe, seconds, *self.task_spec[:2])
        self._wait(result)
        return result.get()

    def _clock(self, handle: Any) -> Tuple[float, str]:
        return self._client[handle].apply_sync(cluster_worker.clock)  # type: ignore[no-any-return]

    def _wait(self, result: Any) -> None:
        """Waits in steps; an engine of ours that unregisters (it died) ends the wait with worker-died."""
        while not result.ready():
            result.wait(WAIT_STEP_SECONDS)
            if result.ready():
                return
            gone = [engine for engine in self._ids if engine not in self._client.ids]
            if gone:
                self.terminate()
                raise HarnessError(
                    "worker-died",
                    "IPython Parallel engine(s) %s stopped during the pass (killed, crashed or lost); the pass was "
                    "abandoned." % ", ".join(str(engine) for engine in gone),
                )

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        file, function_name, starmap = self.task_spec
        items = self.target.items
        count = len(items)
        map_start = clocks.monotonic()
        try:
            result = self._view.map_async(
                cluster_worker.run_task, range(count), items, [file] * count, [function_name] * count, [starmap] * count
            )
        except Exception as error:
            raise self._argument_failure(error) from None
        self._wait(result)
        try:
            answers = result.get()
        except Exception as error:
            raise self._engine_failure(error) from None
        results_in = clocks.monotonic()
        stats = _metadata_stats(result.metadata)
        return self.pass_message(sample, map_start, results_in, self.shifted(answers), chunksize=1, engine_stats=stats)

    def _argument_failure(self, error: Exception) -> HarnessError:
        found = first_unpicklable_argument(self.target.items, _serializer())
        return found or HarnessError("internal", "%s: map raised %s: %s" % (self.id, type(error).__name__, error))

    def _engine_failure(self, error: Exception) -> HarnessError:
        # Our wrapper returns the function's own exceptions as data: what the engine raises is its own failure,
        # an engine that died or a result it could not serialize.
        text = "%s: %s" % (type(error).__name__, error)
        if "EngineError" in text or "died" in text.lower():
            self.terminate()
            return HarnessError("worker-died", "An IPython Parallel engine died during the pass (%s)." % text)
        found = self.diagnose_results(
            range(len(self.target.items)),
            lambda index, item: self._view.apply_sync(cluster_worker.diagnose_result, index, item, *self.task_spec),
            _serializer(),
        )
        if found is not None:
            return found
        return HarnessError(
            "not-serializable" if "pickl" in text.lower() or "serializ" in text.lower() else "internal",
            "The IPython Parallel pass failed with %s" % text,
        )

    def _worker_peaks(self) -> Iterable[Tuple[str, Optional[int]]]:
        for engine in self._ids:
            yield "engine %d" % engine, self._client[engine].apply_sync(cluster_worker.own_peak_rss)

    def terminate(self) -> None:
        """Closes the client; a cluster started here is stopped (a running ipcluster is the user's)."""
        client, self._client = getattr(self, "_client", None), None
        cluster, self._cluster = getattr(self, "_cluster", None), None
        if client is not None:
            try:
                client.close()
            except Exception:
                pass
        if cluster is not None:
            # Each engine starts a nanny process that outlives a stopped cluster by some 15 s: a profiler must
            # leave nothing running, so those of the engines started here are ended after the stop.
            nannies = _children(getattr(self, "_engine_pids", []))
            try:
                cluster.stop_cluster_sync()
            except Exception:
                pass
            _end_processes(nannies)


def _children(pids: List[int]) -> List[int]:
    """Live child processes of pids (Linux /proc; none found elsewhere)."""
    wanted = set(pids)
    found: List[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as source:
                fields = source.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) in wanted:
            found.append(int(entry))
    return found


def _end_processes(pids: List[int]) -> None:
    """SIGTERM, then SIGKILL after 2 s, the processes still there."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 0.0)):
        alive = [pid for pid in pids if _alive(pid)]
        for pid in alive:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = clocks.monotonic() + wait
        while alive and clocks.monotonic() < deadline:
            time.sleep(0.05)
            alive = [pid for pid in alive if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        with open("/proc/%d/stat" % pid) as source:
            return source.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _metadata_stats(metadata: List[Any]) -> Dict[str, Any]:
    """Mean seconds from submission to start (dispatch and queue) and from completion to receipt (the way
    back), from the engines' per-task metadata (wall clocks of client and engine)."""
    queued: List[float] = []
    returned: List[float] = []
    for entry in metadata:
        submitted, started = entry.get("submitted"), entry.get("started")
        completed, received = entry.get("completed"), entry.get("received")
        if submitted is not None and started is not None:
            queued.append((started - submitted).total_seconds())
        if completed is not None and received is not None:
            returned.append((received - completed).total_seconds())
    stats: Dict[str, Any] = {"tasks": len(metadata)}
    if queued:
        stats["meanSubmitToStartSeconds"] = sum(queued) / len(queued)
    if returned:
        stats["meanCompleteToReceiveSeconds"] = sum(returned) / len(returned)
    return stats


BACKEND = IpyparallelBackend
