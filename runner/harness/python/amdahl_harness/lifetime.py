"""Keeps the harness from outliving the runner, and the user's processes from outliving the harness.

- Linux: the harness is a child subreaper (PR_SET_CHILD_SUBREAPER), so a process the user's code starts and
  orphans (a double fork, a daemon) is reparented to the harness instead of init, and can be ended at exit.
- Linux: PR_SET_PDEATHSIG asks the kernel for SIGTERM when the runner dies; the handler ends everything.
- Everywhere: a watcher thread polls the parent pid, which reaches a harness whose main thread is busy in a task
  (a signal handler only runs between bytecodes of the main thread).
- At exit and on the parent's death, every descendant is SIGKILLed: the process tree under the harness and every
  process carrying this run's AMDAHL_RUN_ID (processes in a session of their own inherit it too). Pool workers
  are in the harness's process group, which goes with it. (They get no PDEATHSIG of their own: setting one in a
  replacement worker made Pool.terminate() deadlock.)
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Dict, List, Set

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_WATCH_SECONDS = 0.2
_RUN_ID_VARIABLE = "AMDAHL_RUN_ID"
_harness_pid = -1


def _prctl(option: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except Exception:  # no libc.prctl (musl without it, or a sandbox): the watcher thread still works
        return False


def install() -> None:
    """Called first thing in the harness, before any user code runs."""
    global _harness_pid
    _harness_pid = os.getpid()
    parent = os.getppid()
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    if _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM):
        signal.signal(signal.SIGTERM, _on_sigterm)
        # Forked pool workers (and the user's forks) must keep SIGTERM's default: Pool.terminate() sends it.
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_default_sigterm)
    # The runner may have died between fork and prctl: the kernel would then never send the signal.
    if os.getppid() != parent:
        end_everything(1)
    watcher = threading.Thread(target=_watch_parent, args=(parent,), name="amdahl-parent-watch", daemon=True)
    watcher.start()


def _on_sigterm(signum: int, frame: object) -> None:
    if os.getpid() == _harness_pid:
        end_everything(1)
    _default_sigterm()
    os.kill(os.getpid(), signal.SIGTERM)


def _default_sigterm() -> None:
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except (ValueError, OSError):  # not the main thread: the handler's own pid check still applies
        pass


def _watch_parent(parent: int) -> None:
    import time

    while True:
        time.sleep(_WATCH_SECONDS)
        if os.getppid() != parent:
            end_everything(1)


def end_everything(code: int) -> None:
    """Kills every descendant and this process's group (the harness leads its own), then exits at once."""
    if os.getpid() != _harness_pid:
        os._exit(code)
    kill_descendants()
    try:
        if os.getpgrp() == os.getpid():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.killpg(os.getpgrp(), signal.SIGKILL)
    except OSError:
        pass
    os._exit(code)


def kill_descendants() -> List[int]:
    """SIGKILLs the processes below this one and those marked with this run's id; returns their pids."""
    pids = _descendants() | _marked()
    pids.discard(os.getpid())
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return sorted(pids)


def _proc_pids() -> List[int]:
    try:
        return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []


def _descendants() -> Set[int]:
    children: Dict[int, List[int]] = {}
    for pid in _proc_pids():
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    found: Set[int] = set()
    stack = [os.getpid()]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _marked() -> Set[int]:
    run_id = os.environ.get(_RUN_ID_VARIABLE)
    if not run_id:
        return set()
    needle = ("%s=%s\0" % (_RUN_ID_VARIABLE, run_id)).encode()
    found: Set[int] = set()
    for pid in _proc_pids():
        try:
            with open("/proc/%d/environ" % pid, "rb") as f:
                if needle in f.read():
                    found.add(pid)
        except OSError:
            continue
    return found
