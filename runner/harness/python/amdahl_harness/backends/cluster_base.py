"""What the cluster backends (dask, ipyparallel, joblib) share: workers reached through an engine rather than
forked by the harness, so each is warmed up by a probe sent to it, its clock offset estimated, and its timings
moved onto the harness's clock before they are reported."""
from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Tuple

from ..failures import HarnessError, describe_call
from ..worker import InitFailure
from .base import Backend
from .cluster_clock import estimate_offset, shift_answers
from . import cluster_worker

# The folder that holds the amdahl_harness package: workers need it on sys.path to load cluster_worker.
HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH_SETUP = "import sys\nif %r not in sys.path:\n    sys.path.insert(0, %r)\n" % (HARNESS_ROOT, HARNESS_ROOT)
# Waiting on an engine is done in steps, so a worker that leaves is noticed instead of waited on for ever.
WAIT_STEP_SECONDS = 0.25
PROBE_SECONDS = 0.02
LOCAL_BOOT_ID = cluster_worker.boot_id()

def install_hint(module: str, pip_name: str, debian_name: str, error: BaseException) -> str:
    # No final period: the runner ends the sentence it puts this in.
    return "%s (%s): install it with `pip install %s`, or on Debian `apt-get install %s` (for /usr/bin/python3)" % (
        "No module named %r" % module,
        type(error).__name__,
        pip_name,
        debian_name,
    )

def engine_result_error(
    function_name: str, index: int, item: Any, starmap: bool, kind: str, problem: str, note: str
) -> HarnessError:
    """A result the engine could not send back, named with the engine's own way of serializing (note)."""
    return HarnessError(
        "not-serializable",
        "The result of %s (input %d) is a %s, which cannot be serialized (%s); %s."
        % (describe_call(function_name, item, starmap), index, kind, problem, note),
        input_index=index,
    )


class ClusterBackend(Backend):
    """Subclasses provide the engine calls: _handles() (the k workers used), _probe(handle, seconds) and
    _clock(handle) -> (monotonic, pid); offsets are kept by worker name."""

    def __init__(self, config: Dict[str, Any], target: Any, channel: Any) -> None:
        super().__init__(config, target, channel)
        self.offsets: Dict[str, float] = {}
        # A worker of an existing cluster may have loaded the target for an earlier configuration: its W0, W1
        # belong to that one, not to this start-up, and are left out.
        self.opening = time.monotonic()
        self.task_spec = (self.target.file, self.target.function_name, self.target.starmap)

    def _handles(self) -> List[Any]:
        raise NotImplementedError

    def _probe(self, handle: Any, seconds: float) -> Any:
        raise NotImplementedError

    def _clock(self, handle: Any) -> Tuple[float, str]:
        raise NotImplementedError

    def warm_workers(self) -> List[Dict[str, Any]]:
        """Each of the k workers loads the target (W0, W1 on its clock) and has its clock offset estimated."""
        starts: List[Dict[str, Any]] = []
        for handle in self._handles():
            answer = self._probe(handle, PROBE_SECONDS)
            if isinstance(answer, InitFailure):
                raise HarnessError(answer.code, answer.message, detail=answer.detail)
            name, pid, init_start, init_end = answer
            offset, _ = estimate_offset(lambda: self._clock(handle), LOCAL_BOOT_ID)
            self.offsets[name] = offset
            start: Dict[str, Any] = {"worker": name, "pid": pid, "clockOffset": offset}
            if init_start + offset >= self.opening:
                start.update({"initStart": init_start + offset, "initEnd": init_end + offset})
            starts.append(start)
        return starts

    def shifted(self, answers: List[Any]) -> List[Any]:
        return shift_answers(answers, self.offsets)

    def probe_round(self, seconds: float) -> List[Any]:
        return [self._probe(handle, seconds) for handle in self._handles()]

    def shutdown(self, seconds: float) -> None:
        self.terminate()



__all__ = [
    "ClusterBackend",
    "cluster_worker",
    "engine_result_error",
    "install_hint",
    "HARNESS_ROOT",
    "PATH_SETUP",
    "WAIT_STEP_SECONDS",
]
