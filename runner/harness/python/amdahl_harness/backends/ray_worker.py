"""What runs inside Ray's worker processes for the ray backend: the remote functions and the actor class, thin
wrappers over cluster_worker (the target loaded once per process from its file, one timed call per input).

Ray ships these by reference (module and name), so a worker needs this package on its sys.path: the backend puts
it there through the job's runtime environment (PYTHONPATH). Each process names itself "<node ip> pid <pid>", so
the harness can move its timings by its node's clock offset.
"""
from __future__ import annotations

import os
from typing import Any, List, Tuple

from . import cluster_worker

_named = False


def _name_here() -> None:
    global _named
    if _named:
        return
    try:
        import ray

        node = ray.util.get_node_ip_address()
    except Exception:
        node = "?"
    cluster_worker.set_name("%s pid %d" % (node, os.getpid()))
    _named = True


def probe(seconds: float, file: str, function_name: str) -> Any:
    """Warm-up: loads the target, holds a slot a moment; (name, pid, W0, W1) on this process's clock."""
    _name_here()
    return cluster_worker.probe(seconds, file, function_name)


def run_chunk(tasks: List[Tuple[int, Any]], file: str, function_name: str, starmap: bool) -> List[Any]:
    """One Ray task: a chunk of inputs, each a timed call (result, (worker, input, W3, W4, cpu)) or a failure."""
    _name_here()
    return cluster_worker.run_tasks(tasks, file, function_name, starmap)


def noop(value: Any) -> Any:
    """A task that does nothing: Ray's own cost per task, measured at open."""
    return value


def clock() -> Tuple[float, str]:
    return cluster_worker.clock()


def own_peak_rss() -> Any:
    _name_here()
    return (cluster_worker._name, cluster_worker.own_peak_rss())


def diagnose_result(index: int, item: Any, file: str, function_name: str, starmap: bool) -> Any:
    return cluster_worker.diagnose_result(index, item, file, function_name, starmap)


class TargetActor:
    """One actor of the pool: it loads the target once, when it is built (W0, W1), and then runs chunks."""

    def __init__(self, file: str, function_name: str) -> None:
        _name_here()
        cluster_worker.function_of(file, function_name)

    def probe(self, seconds: float, file: str, function_name: str) -> Any:
        return probe(seconds, file, function_name)

    def run_chunk(self, tasks: List[Tuple[int, Any]], file: str, function_name: str, starmap: bool) -> List[Any]:
        return run_chunk(tasks, file, function_name, starmap)

    def noop(self, value: Any) -> Any:
        return value

    def clock(self) -> Tuple[float, str]:
        return cluster_worker.clock()

    def own_peak_rss(self) -> Any:
        return own_peak_rss()

    def diagnose_result(self, index: int, item: Any, file: str, function_name: str, starmap: bool) -> Any:
        return cluster_worker.diagnose_result(index, item, file, function_name, starmap)
