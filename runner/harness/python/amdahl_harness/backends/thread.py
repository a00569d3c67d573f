"""thread: concurrent.futures.ThreadPoolExecutor(k), its map used as a user would; workers "thread 1".."thread k"
numbered in the order the executor starts them."""
from __future__ import annotations

import itertools
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple

from ..worker import TaskFailure, failure_of, timed_task
from .base import Backend, announce
from .. import clocks


def unavailable_reason() -> Optional[str]:
    return None


class ThreadBackend(Backend):
    name = "thread"
    shared_process = True

    def construct(self) -> Dict[str, Any]:
        self._local = threading.local()
        self._numbers = itertools.count(1)
        self._numbers_lock = threading.Lock()
        self._announce = False
        self._starts: Dict[str, Tuple[str, int, float, float]] = {}
        construct_start = clocks.monotonic()
        self._executor = ThreadPoolExecutor(self.workers, initializer=self._initialize)
        construct_end = clocks.monotonic()
        return {"constructStart": construct_start, "constructEnd": construct_end}

    def _initialize(self) -> None:
        started = clocks.monotonic()
        with self._numbers_lock:
            name = "thread %d" % next(self._numbers)
        self._local.name = name
        self._starts[name] = (name, os.getpid(), started, clocks.monotonic())

    def probe_round(self, seconds: float) -> List[Any]:
        def probe(_: int) -> Any:
            time.sleep(seconds)
            return self._starts[self._local.name]

        return list(self._executor.map(probe, range(self.workers)))

    def _run_task(self, task: Tuple[int, Any]) -> Any:
        index, item = task
        if self._announce:
            announce(self.channel, self.id, index)
        # A task's SystemExit is its failure, returned as data: it must not end the harness.
        return timed_task(self._function, item, self._starmap, index, self._local.name)

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        self._function = self.target.function
        self._starmap = self.target.starmap
        self._announce = warmup
        monotonic = clocks.monotonic
        answers: List[Any] = []
        result_times: List[List[Any]] = []
        map_start = monotonic()
        for index, answer in enumerate(self._executor.map(self._run_task, self.tasks)):
            result_times.append([index, monotonic()])
            answers.append(answer)
        results_in = monotonic()
        self._announce = False
        return self.pass_message(sample, map_start, results_in, answers, result_times=result_times)

    def _run_plain(self, task: Tuple[int, Any]) -> Any:
        index, item = task
        try:
            return self._function(*item) if self._starmap else self._function(item)
        except BaseException as error:
            return failure_of(index, error, self._local.name)

    def run_untimed(self, sample: int) -> Dict[str, Any]:
        self._function = self.target.function
        self._starmap = self.target.starmap
        monotonic = clocks.monotonic
        map_start = monotonic()
        results = list(self._executor.map(self._run_plain, self.tasks))
        results_in = monotonic()
        for result in results:
            if isinstance(result, TaskFailure):
                raise self.failure(result)
        return self.untimed_message(sample, map_start, results_in, results)

    def close(self) -> Dict[str, Any]:
        close_start = clocks.monotonic()
        self._executor.shutdown(wait=True)
        return {"closeStart": close_start, "closeEnd": clocks.monotonic()}

    def terminate(self) -> None:
        executor = getattr(self, "_executor", None)
        if executor is not None:
            executor.shutdown(wait=False)


BACKEND = ThreadBackend
