"""serial: the baseline, a plain loop in the harness process; no pool, one worker "main"."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple

from ..thread_census import ThreadCensus
from ..worker import timed_task
from .base import Backend, announce
from .. import clocks, machine_load


def unavailable_reason() -> Optional[str]:
    return None


class SerialBackend(Backend):
    name = "serial"
    shared_process = True

    def construct(self) -> Dict[str, Any]:
        now = clocks.monotonic()
        return {"constructStart": now, "constructEnd": now}

    def warm_workers(self) -> List[Dict[str, Any]]:
        return [{"worker": "main", "pid": os.getpid()}]

    def probe_round(self, seconds: float) -> List[Any]:
        return []

    def run_pass(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        if not warmup:
            return self._loop(sample, warmup)
        # The warm-up says how many cores the loop keeps busy and which threads work in it, so the runner can
        # plan a configuration with the libraries' threads limited before the counted passes.
        before = machine_load.reading()
        with ThreadCensus() as census:
            message, results = self._loop(sample, warmup)
        message["load"] = machine_load.load_between(before, machine_load.reading())
        threads = census.result()
        if threads is not None:
            message["threads"] = threads
        return message, results

    def _loop(self, sample: int, warmup: bool) -> Tuple[Dict[str, Any], List[Any]]:
        function = self.target.function
        starmap = self.target.starmap
        channel = self.channel if warmup else None
        answers: List[Any] = []
        append = answers.append
        map_start = clocks.monotonic()
        for index, item in self.tasks:
            if channel is not None:
                announce(channel, self.id, index)
            answer = timed_task(function, item, starmap, index, "main")
            append(answer)
            if type(answer) is not tuple:
                break  # a plain loop stops at the first exception, as the user's own would
        results_in = clocks.monotonic()
        return self.pass_message(sample, map_start, results_in, answers)

    def run_untimed(self, sample: int) -> Dict[str, Any]:
        # The loop a user writes: a list comprehension, nothing else inside the timed window.
        function = self.target.function
        items = self.target.items
        monotonic = clocks.monotonic
        try:
            if self.target.starmap:
                map_start = monotonic()
                results = [function(*item) for item in items]
            else:
                map_start = monotonic()
                results = [function(item) for item in items]
            results_in = monotonic()
        except BaseException as error:
            raise self.untimed_failure(error) from None
        return self.untimed_message(sample, map_start, results_in, results)

    def close(self) -> Dict[str, Any]:
        now = clocks.monotonic()
        return {"closeStart": now, "closeEnd": now}


BACKEND = SerialBackend
