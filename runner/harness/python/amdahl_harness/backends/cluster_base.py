"""What the cluster backends (dask, ipyparallel, joblib) share: workers reached through an engine rather than
forked by the harness, so each is warmed up by a probe sent to it, its clock offset estimated, and its timings
moved onto the harness's clock before they are reported."""
from __future__ import annotations

import importlib
import os
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ..failures import HarnessError
from ..worker import InitFailure
from .base import Backend
from .cluster_clock import estimate_offset, shift_answers
from . import cluster_worker
from .. import clocks

# The folder that holds the amdahl_harness package: workers need it on sys.path to load cluster_worker.
HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PATH_SETUP = "import sys\nif %r not in sys.path:\n    sys.path.insert(0, %r)\n" % (HARNESS_ROOT, HARNESS_ROOT)
# Waiting on an engine is done in steps, so a worker that leaves is noticed instead of waited on for ever.
WAIT_STEP_SECONDS = 0.25
PROBE_SECONDS = 0.02
LOCAL_BOOT_ID = cluster_worker.boot_id()


def missing_package(module: str, pip_name: str, debian_name: Optional[str]) -> Optional[str]:
    """None when the engine's package imports, else how to install it (hello.missingBackends says it)."""
    try:
        importlib.import_module(module)
    except ImportError as error:
        # No final period: the runner ends the sentence it puts this in.
        missing = "No module named %r (%s): install it with `pip install %s`" % (module, type(error).__name__, pip_name)
        if debian_name is None:
            return missing + " into this interpreter (or a virtual environment: python3 -m venv <dir>)"
        return missing + ", or on Debian `apt-get install %s` (for /usr/bin/python3)" % debian_name
    return None


class ClusterBackend(Backend):
    """Subclasses provide the engine calls: _handles() (the k workers used), _probe(handle, seconds) and
    _clock(handle) -> (monotonic, pid); offsets are kept by worker name."""

    def __init__(self, config: Dict[str, Any], target: Any, channel: Any) -> None:
        super().__init__(config, target, channel)
        self.offsets: Dict[str, float] = {}
        # A worker of an existing cluster may have loaded the target for an earlier configuration: its W0, W1
        # belong to that one, not to this start-up, and are left out.
        self.opening = clocks.monotonic()
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

    def _worker_peaks(self) -> Iterable[Tuple[str, Optional[int]]]:
        """(worker name, peak RSS) as each worker reads its own (cluster_worker.own_peak_rss)."""
        raise NotImplementedError

    def close(self) -> Dict[str, Any]:
        """Reads each worker's peak RSS, then ends the pool (a cluster started here is stopped)."""
        peaks: Dict[str, int] = {}
        try:
            for name, peak in self._worker_peaks():
                if peak is not None:
                    peaks[name] = int(peak)
        except Exception:
            pass  # a worker that cannot say leaves the others' figures
        close_start = clocks.monotonic()
        self.terminate()
        return {"closeStart": close_start, "closeEnd": clocks.monotonic(), "peakRssBytes": peaks}

    def shutdown(self, seconds: float) -> None:
        self.terminate()


__all__ = [
    "ClusterBackend",
    "cluster_worker",
    "missing_package",
    "HARNESS_ROOT",
    "PATH_SETUP",
    "WAIT_STEP_SECONDS",
]
