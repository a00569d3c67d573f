"""ray: Ray remote functions over chunks of the inputs (options.rayMode "tasks", the default), or a pool of k actors
each built once (rayMode "actors"), on a local Ray runtime started here or on an existing cluster
(options.rayAddress: its head's host:port, or "auto"), which is used and never stopped.

Ray allows one runtime per driver process, and the runner keeps every pool of a profile open until the end, so the
ray pools of one harness share one runtime: the first pool's construct starts it (ray.init(address="local",
num_cpus=max(k, usable cores)), timed inside that pool's P0..P1 and reported to every pool as runtimeStartSeconds)
and the last pool's close stops it. A pool is held to k slots by Ray's own scheduler: each of its tasks asks for
C/k of the runtime's C CPUs, so at most k run at once wherever Ray places them (the same on a cluster). Ray picks
the worker process of each task, so task timings are reported per slot (a slot is one of the k places a task can
run). Actors are the pool's k workers themselves. Per-task times come from inside the workers, moved by each
node's clock offset; Ray's per-task cost (no-op tasks) and its object store (ray.put/ray.get of a sample of the
arguments and results) are measured at open and reported in engineStats."""
from __future__ import annotations

import logging
import math
import os
import socket
from collections import deque
from typing import Any, Deque, Dict, List, Optional, Set, Tuple

from ..cores import usable_cores
from ..failures import HarnessError
from ..serialization import Serializer, first_unpicklable_argument
from .cluster_base import HARNESS_ROOT, LOCAL_BOOT_ID, ClusterBackend, missing_package
from .cluster_clock import estimate_offset, shift_answers
from .process import default_chunksize
from . import ray_worker
from .. import clocks

CONNECT_SECONDS = 10.0
PROBE_SECONDS = 0.2
# How long the probes may take to reach k worker processes.
PROBE_DEADLINE_SECONDS = 120.0
# No-op tasks timed at open: Ray's own cost per task on this pool.
OVERHEAD_TASKS = 40
# Arguments and results put into the object store and read back at open.
PUT_SAMPLE = 20
MODES = ("tasks", "actors")
# A local runtime keeps its idle worker processes this long (Ray's default is one second).
IDLE_WORKER_MS = 24 * 3600 * 1000
NOTE = "Ray serializes every argument of a remote call and every result (through its object store beyond 100 KiB)"


def unavailable_reason() -> Optional[str]:
    return missing_package("ray", "ray", None)


def _serializer() -> Serializer:
    from ray import cloudpickle

    return Serializer(cloudpickle.dumps, "serialized", NOTE)


# ---------------------------------------------------------------------------------------------- the runtime


class _Runtime:
    """The one Ray runtime of this harness process, shared by its open ray pools (users)."""

    def __init__(self, address: Optional[str], workers: int) -> None:
        import ray

        self.address = address
        self.users: Set[str] = set()
        self.start = clocks.monotonic()
        if address:
            _check_reachable(address)
        # No usage reports from a profiler (and no network on many build machines).
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        common = {"logging_level": logging.ERROR, "runtime_env": {"env_vars": _worker_environment()}}
        try:
            if address:
                ray.init(address=address, **common)
            else:
                cpus = max(workers, usable_cores())
                # Ray ends worker processes idle for a second; the passes of the other configurations between
                # two of this one's would then pay a worker's start (half a second) that a running program does not.
                system = {"idle_worker_killing_time_threshold_ms": IDLE_WORKER_MS}
                ray.init(address="local", num_cpus=cpus, include_dashboard=False, _system_config=system, **common)
        except Exception as error:
            _shutdown()
            raise _start_failure(address, error) from None
        self.end = clocks.monotonic()
        try:
            self.cpus = float(ray.cluster_resources().get("CPU", 0.0))
            nodes = [node for node in ray.nodes() if node.get("Alive")]
            self.largest_node = max(float(node["Resources"].get("CPU", 0.0)) for node in nodes)
            self.node_offsets = {node["NodeManagerAddress"]: _node_offset(node["NodeID"]) for node in nodes}
        except BaseException:
            _shutdown()
            raise

    def describe(self) -> str:
        return "the Ray cluster at %s" % self.address if self.address else "the local Ray runtime"


_runtime: Optional[_Runtime] = None


def _acquire(pool_id: str, address: Optional[str], workers: int) -> _Runtime:
    global _runtime
    if _runtime is None:
        _runtime = _Runtime(address, workers)
    elif _runtime.address != address:
        raise HarnessError(
            "bad-command",
            "%s: this harness runs Ray on %s already; one process can use one Ray runtime."
            % (pool_id, _runtime.describe()),
        )
    _runtime.users.add(pool_id)
    return _runtime


def _release(pool_id: str) -> None:
    """The pool is done with the runtime; the last one out stops it (an existing cluster is only left)."""
    global _runtime
    if _runtime is None:
        return
    _runtime.users.discard(pool_id)
    if not _runtime.users:
        _runtime = None
        _shutdown()


def _shutdown() -> None:
    try:
        import ray

        ray.shutdown()
    except Exception:
        pass


def _worker_environment() -> Dict[str, str]:
    """What Ray's worker processes need to load this package and the target: PYTHONPATH and the target's entries."""
    entries = [HARNESS_ROOT] + [entry for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    env = {"PYTHONPATH": os.pathsep.join(entries)}
    if "AMDAHL_PYTHONPATH" in os.environ:
        env["AMDAHL_PYTHONPATH"] = os.environ["AMDAHL_PYTHONPATH"]
    return env


def _check_reachable(address: str) -> None:
    """A head's host:port that nothing answers on is said at once (ray.init would retry for a long time)."""
    host, _, port = address.rpartition(":")
    if address == "auto" or "://" in address or not port.isdigit():
        return
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as error:
        raise HarnessError(
            "cluster-unreachable",
            "The Ray cluster at %s cannot be reached within %g s (%s: %s); is `ray start --head` running there, "
            "and is the address right (its head's host:port, or auto)?"
            % (address, CONNECT_SECONDS, type(error).__name__, error),
        ) from None


def _start_failure(address: Optional[str], error: Exception) -> HarnessError:
    text = "%s: %s" % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else "")
    if address:
        return HarnessError(
            "cluster-unreachable",
            "Ray could not connect to the cluster at %s (%s); is `ray start --head` running, and is the address "
            "right (its head's host:port, or auto)?" % (address, text),
        )
    return HarnessError("backend-unavailable", "Ray could not start a local runtime here (%s)." % text)


def _node_offset(node_id: str) -> float:
    """The node's clock offset from this harness, by round trips to a task pinned to it."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    clock = ray.remote(ray_worker.clock).options(
        num_cpus=0, scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False)
    )
    offset, _ = estimate_offset(lambda: tuple(ray.get(clock.remote(), timeout=120)), LOCAL_BOOT_ID)
    return offset


def _node_of(worker: str) -> str:
    """The node ip of a worker named "<ip> pid <pid>" (ray_worker)."""
    return worker.rsplit(" pid ", 1)[0]


# ---------------------------------------------------------------------------------------------- the backend


class RayBackend(ClusterBackend):
    name = "ray"

    def construct(self) -> Dict[str, Any]:
        import ray

        self.mode = str(self.options.get("rayMode") or "tasks")
        if self.mode not in MODES:
            raise HarnessError("bad-command", "%s: rayMode must be %s, not %r." % (self.id, " or ".join(MODES), self.mode))
        address = self.options.get("rayAddress")
        self._actors: List[Any] = []
        self._actor_names: Dict[str, str] = {}
        self.engine: Dict[str, Any] = {}
        construct_start = clocks.monotonic()
        self.runtime = _acquire(self.id, str(address) if address else None, self.workers)
        try:
            self.share = self._slot_share()
            file, function_name, _ = self.task_spec
            if self.mode == "actors":
                actor = ray.remote(ray_worker.TargetActor).options(max_restarts=0, max_task_retries=0)
                self._actors = [actor.remote(file, function_name) for _ in range(self.workers)]
            self._run = ray.remote(ray_worker.run_chunk).options(num_cpus=self.share, max_retries=0)
            size = self._chunksize = default_chunksize(len(self.tasks), self.workers)
            self._chunks = [self.tasks[first : first + size] for first in range(0, len(self.tasks), size)]
        except BaseException:
            self.terminate()
            raise
        return {"constructStart": construct_start, "constructEnd": clocks.monotonic()}

    def _slot_share(self) -> float:
        """CPUs per task so that k fit in the runtime at once: C/k, floored to Ray's precision (1e-4)."""
        runtime = self.runtime
        share = math.floor(runtime.cpus / self.workers * 1e4) / 1e4
        if self.mode == "tasks" and share > runtime.largest_node:
            raise HarnessError(
                "cluster-too-small",
                "%s has %g CPUs, its largest node %g: holding tasks to %d slot(s) takes %g CPUs per task, more than "
                "any node has; measure at least %d workers there."
                % (runtime.describe().capitalize(), runtime.cpus, runtime.largest_node, self.workers, share,
                   math.ceil(runtime.cpus / runtime.largest_node)),
            )
        return max(share, 1e-4)

    # ------------------------------------------------------------------ start-up

    def warm_workers(self) -> List[Dict[str, Any]]:
        """Actors: each loads the target when built (W0, W1). Tasks: as many probes at once as there are CPUs
        (at least k), so every process that may run a task has loaded the target; k slots are reported."""
        import ray

        file, function_name, _ = self.task_spec
        if self.mode == "actors":
            refs = [actor.probe.remote(PROBE_SECONDS, file, function_name) for actor in self._actors]
            answers = self._probed(refs)
        else:
            answers = self._probe_processes()
        if self.mode == "actors":
            names = ["actor %d" % (i + 1) for i in range(self.workers)]
            self._actor_names = {answer[0]: name for answer, name in zip(answers, names)}
            chosen = list(zip(names, answers))
        else:
            # A slot is not a process: each slot shows one of the processes that loaded the target, the last ones.
            distinct = {answer[0]: answer for answer in answers}
            latest = sorted(distinct.values(), key=lambda a: a[3])[-self.workers :]
            latest += [None] * (self.workers - len(latest))
            chosen = [("slot %d" % (i + 1), answer) for i, answer in enumerate(latest)]
        return [self._worker_start(name, answer) for name, answer in chosen]

    def _probe_processes(self) -> List[Any]:
        """Rounds of probes, as many at once as the runtime has CPUs (at least k), with growing naps, until k
        processes have answered: Ray starts its worker processes as tasks arrive, and one that is still starting
        would take its first tasks late."""
        import ray

        file, function_name, _ = self.task_spec
        count = max(self.workers, int(math.ceil(self.runtime.cpus)))
        probe = ray.remote(ray_worker.probe).options(num_cpus=min(1.0, self.share), max_retries=0)
        seen: Dict[str, Any] = {}
        seconds = PROBE_SECONDS
        deadline = clocks.monotonic() + PROBE_DEADLINE_SECONDS
        while len(seen) < self.workers and clocks.monotonic() < deadline:
            for answer in self._probed([probe.remote(seconds, file, function_name) for _ in range(count)]):
                seen.setdefault(answer[0], answer)
            seconds = min(seconds * 1.5, 1.0)
        return list(seen.values())

    def _probed(self, refs: List[Any]) -> List[Any]:
        answers = self._get_all(refs, "starting the pool")
        for answer in answers:
            if not isinstance(answer, tuple):
                raise self.failure(answer)
        return answers

    def _worker_start(self, name: str, answer: Optional[Tuple[Any, ...]]) -> Dict[str, Any]:
        if answer is None:
            return {"worker": name}
        process, pid, init_start, init_end = answer
        offset = self.runtime.node_offsets.get(_node_of(process), 0.0)
        start: Dict[str, Any] = {"worker": name, "pid": pid, "clockOffset": offset}
        if init_start + offset >= self.opening:
            start.update({"initStart": init_start + offset, "initEnd": init_end + offset})
        return start

    def open(self) -> Tuple[Dict[str, Any], List[Any]]:
        opened, results = super().open()
        try:
            self.engine = self._measure_engine(results)
        except BaseException:
            self.terminate()
            raise
        return opened, results

    def _measure_engine(self, results: List[Any]) -> Dict[str, Any]:
        """Ray's cost per task (no-op tasks on this pool's k slots) and its object store (put, get) per value."""
        import ray

        refs_of = self._noop_refs()
        start = clocks.monotonic()
        ray.get(refs_of(OVERHEAD_TASKS))
        overhead = (clocks.monotonic() - start) * self.workers / OVERHEAD_TASKS
        stats: Dict[str, Any] = {"perTaskOverheadSeconds": overhead}
        step = max(1, len(self.target.items) // PUT_SAMPLE)
        for kind, values in (("argument", self.target.items[::step]), ("result", results[::step])):
            put, get = _put_get(values[:PUT_SAMPLE])
            stats["%sPutSeconds" % kind] = put
            stats["%sGetSeconds" % kind] = get
        return stats

    def _noop_refs(self) -> Any:
        import ray

        if self.mode == "actors":
            actors = self._actors
            return lambda count: [actors[i % len(actors)].noop.remote(i) for i in range(count)]
        noop = ray.remote(ray_worker.noop).options(num_cpus=self.share, max_retries=0)
        return lambda count: [noop.remote(i) for i in range(count)]

    # ------------------------------------------------------------------ passes

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        map_start = clocks.monotonic()
        chunk_answers = self._run_chunks()
        results_in = clocks.monotonic()
        answers = self._placed([answer for chunk in chunk_answers for answer in chunk])
        return self.pass_message(
            sample, map_start, results_in, answers, chunksize=self._chunksize, engine_stats=self._stats()
        )

    def _run_chunks(self) -> List[Any]:
        """Every chunk's answers, in chunk order. Tasks: all submitted at once, Ray schedules them on k slots.
        Actors: each chunk goes to the next idle actor, as ray.util.ActorPool does."""
        file, function_name, starmap = self.task_spec
        chunks = self._chunks
        answers: List[Any] = [None] * len(chunks)
        pending: Dict[Any, Tuple[int, Any]] = {}
        queue: Deque[int] = deque(range(len(chunks)))
        idle = list(self._actors)

        def feed(actor: Any = None) -> None:
            if actor is not None:
                idle.append(actor)
            try:
                while queue and (self.mode == "tasks" or idle):
                    i = queue.popleft()
                    if self.mode == "tasks":
                        pending[self._run.remote(chunks[i], file, function_name, starmap)] = (i, None)
                    else:
                        worker = idle.pop()
                        pending[worker.run_chunk.remote(chunks[i], file, function_name, starmap)] = (i, worker)
            except Exception as error:
                raise self._argument_failure(error) from None

        feed()
        self._drain(pending, answers, feed)
        return answers

    def _drain(self, pending: Dict[Any, Tuple[int, Any]], answers: List[Any], done: Any) -> None:
        """Waits for the pending chunks, one at a time as they finish; done(actor) frees its actor."""
        import ray

        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                i, actor = pending.pop(ref)
                try:
                    answers[i] = ray.get(ref)
                except Exception as error:
                    raise self._engine_failure(error, self._chunks[i], actor) from None
                if actor is not None:
                    done(actor)

    def _get_all(self, refs: List[Any], during: str) -> List[Any]:
        import ray

        try:
            return ray.get(refs)  # type: ignore[no-any-return]
        except Exception as error:
            raise self._engine_failure(error, [], None, during) from None

    def _placed(self, answers: List[Any]) -> List[Any]:
        """Worker timings moved onto the harness's clock (per node), each named as the report shows it: the
        actor, or the slot (of k) the task ran in."""
        offsets = {}
        for answer in answers:
            if type(answer) is tuple:
                worker = answer[1][0]
                offsets[worker] = self.runtime.node_offsets.get(_node_of(worker), 0.0)
        shifted = shift_answers(answers, offsets)
        if self.mode == "actors":
            names = self._actor_names
            return [_renamed(a, names.get(a[1][0], a[1][0])) if type(a) is tuple else a for a in shifted]
        return _slotted(shifted, self.workers)

    def _stats(self) -> Dict[str, Any]:
        runtime = self.runtime
        stats: Dict[str, Any] = {
            "mode": self.mode,
            "cluster": runtime.address or "local",
            "clusterCpus": runtime.cpus,
            "runtimeStartSeconds": runtime.end - runtime.start,
            "tasks": len(self._chunks),
        }
        if self.mode == "tasks":
            stats["cpusPerTask"] = self.share
        stats.update(self.engine)
        return stats

    # ------------------------------------------------------------------ failures

    def _engine_failure(self, error: Exception, chunk: List[Any], actor: Any, during: str = "the pass") -> HarnessError:
        """What Ray raised (the function's own exceptions come back as data): a worker that died, or a result
        it could not serialize."""
        import ray.exceptions as errors

        died = tuple(
            getattr(errors, name)
            for name in ("WorkerCrashedError", "RayActorError", "NodeDiedError", "OutOfMemoryError")
            if hasattr(errors, name)
        )
        text = "%s: %s" % (type(error).__name__, str(error).strip().splitlines()[0] if str(error).strip() else "")
        if isinstance(error, died):
            inputs = [index for index, _ in chunk]
            who = ("actor %s" % self._actor_label(actor)) if actor is not None else "worker process"
            held = " while it ran input(s) %s" % _short_list(inputs) if inputs else " during %s" % during
            self.terminate()
            return HarnessError(
                "worker-died",
                "A Ray %s of the %s pool %s died%s (killed, crashed or out of memory: %s); the pool was ended."
                % (who, self.name, self.id, held, text),
                input_index=inputs[0] if len(inputs) == 1 else None,
            )
        return self._result_failure(error, text, chunk)

    def _actor_label(self, actor: Any) -> str:
        try:
            return str(self._actors.index(actor) + 1)
        except ValueError:
            return "?"

    def _argument_failure(self, error: Exception) -> HarnessError:
        found = first_unpicklable_argument(self.target.items, _serializer())
        return found or HarnessError(
            "internal", "%s: submitting to Ray raised %s: %s" % (self.id, type(error).__name__, error)
        )

    def _result_failure(self, error: Exception, text: str, chunk: List[Any]) -> HarnessError:
        import ray

        diagnose = ray.remote(ray_worker.diagnose_result).options(num_cpus=self.share, max_retries=0)
        found = self.diagnose_results(
            [index for index, _ in chunk],
            lambda index, item: ray.get(diagnose.remote(index, item, *self.task_spec), timeout=60),
            _serializer(),
        )
        if found is not None:
            return found
        lowered = text.lower()
        return HarnessError(
            "not-serializable" if "pickl" in lowered or "serializ" in lowered else "internal",
            "The Ray pass failed with %s" % text,
            detail=str(error),
        )

    # ------------------------------------------------------------------ the end

    def _worker_peaks(self) -> List[Tuple[str, Optional[int]]]:
        """Actors' peak RSS by actor; the processes behind task slots change, so they have none."""
        import ray

        if self.mode != "actors":
            return []
        answers = ray.get([actor.own_peak_rss.remote() for actor in self._actors], timeout=60)
        return [(self._actor_names.get(name, name), peak) for name, peak in answers]

    def terminate(self) -> None:
        """Ends the pool's actors and leaves the runtime (the last pool out stops a local one)."""
        actors, self._actors = getattr(self, "_actors", []), []
        if actors:
            try:
                import ray

                for actor in actors:
                    ray.kill(actor)
            except Exception:
                pass
        _release(self.id)


def _put_get(values: List[Any]) -> Tuple[Optional[float], Optional[float]]:
    """Mean seconds of ray.put and of ray.get per value (None for no values)."""
    import ray

    if not values:
        return None, None
    put = get = 0.0
    for value in values:
        start = clocks.perf_counter()
        ref = ray.put(value)
        middle = clocks.perf_counter()
        ray.get(ref)
        put += middle - start
        get += clocks.perf_counter() - middle
        del ref
    return put / len(values), get / len(values)


def _renamed(answer: Any, name: str) -> Any:
    if type(answer) is not tuple:
        return answer
    result, (_, index, start, end, cpu) = answer
    return (result, (name, index, start, end, cpu))


def _slotted(answers: List[Any], slots: int) -> List[Any]:
    """Names each task by the slot it ran in: tasks in start order, each in a free slot (one whose last task ended
    before it started), the slot its own process used last where that one is free. At most k tasks run at once
    (each holds C/k CPUs), so k slots always suffice."""
    timed = sorted((i for i, a in enumerate(answers) if type(a) is tuple), key=lambda i: answers[i][1][2])
    ends = [-math.inf] * slots
    last: List[Optional[str]] = [None] * slots
    placed = list(answers)
    for i in timed:
        worker, start, end = answers[i][1][0], answers[i][1][2], answers[i][1][3]
        free = [s for s in range(slots) if ends[s] <= start + 1e-6]
        same = [s for s in free if last[s] == worker]
        slot = (same or free or [min(range(slots), key=ends.__getitem__)])[0]
        ends[slot], last[slot] = end, worker
        placed[i] = _renamed(answers[i], "slot %d" % (slot + 1))
    return placed


def _short_list(indices: List[int]) -> str:
    shown = ", ".join(str(i) for i in indices[:8])
    return shown + (", ..." if len(indices) > 8 else "")


BACKEND = RayBackend
