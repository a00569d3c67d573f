"""Telling that a pool worker process died, and saying how and on which input (the slot array of worker.py)."""
from __future__ import annotations

import signal
from typing import Any, List, Optional, Sequence

from ..failures import HarnessError, describe_call
from ..target import Target
from ..worker import running_input


def dead(processes: Sequence[Any]) -> List[Any]:
    return [process for process in processes if process.exitcode is not None]


def how_it_ended(exitcode: Optional[int]) -> str:
    if exitcode is None:
        return "ended"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "signal %d" % -exitcode
        return "was killed by %s (signal %d, exit code %d)" % (name, -exitcode, exitcode)
    return "exited with code %d" % exitcode


def worker_died(backend: Any, process: Any, slots: Any) -> HarnessError:
    """backend: the Backend whose worker died (its name, id, target and memory watch)."""
    target: Target = backend.target
    index = running_input(slots, process.pid)
    ended = how_it_ended(process.exitcode)
    cause = "os._exit, a crash or a signal inside the function"
    if process.exitcode == -signal.SIGKILL:
        memory = backend.memory_watch.oom_cause(process.pid)
        if memory is not None:
            cause = "most likely the kernel's OOM killer, out of memory: %s" % memory
    if index is not None:
        running = " while running %s (input %d)" % (
            describe_call(target.function_name, target.items[index], target.starmap),
            index,
        )
    else:
        running = " between tasks"
    return HarnessError(
        "worker-died",
        "A worker process (pid %d) of the %s pool %s %s%s: %s; the pool was terminated."
        % (process.pid, backend.name, backend.id, ended, running, cause),
        input_index=index,
    )


def choose(processes: Sequence[Any]) -> Optional[Any]:
    """The worker that died first of its own accord: executors SIGTERM the others after a death."""
    ended = dead(processes)
    own = [p for p in ended if p.exitcode != -signal.SIGTERM]
    chosen = own or ended
    return chosen[0] if chosen else None
