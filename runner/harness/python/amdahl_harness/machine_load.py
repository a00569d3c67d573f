"""CPU accounting around a counted pass: the whole machine's busy CPU time (Linux /proc/stat) and this harness's
own, process-wide (every thread, plus live and exited descendants such as pool workers), so the runner can tell
what other programs took. Read outside the timed window; cheap (one /proc scan)."""
from __future__ import annotations

import os
import resource
from typing import Any, Dict, List, Optional
from . import clocks

try:
    _TICK = float(os.sysconf("SC_CLK_TCK"))
except (ValueError, OSError, AttributeError):
    _TICK = 100.0


def system_busy_seconds() -> Optional[float]:
    """Summed busy time of every CPU (user, nice, system, irq, softirq, steal); None off Linux."""
    try:
        with open("/proc/stat", "rb") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != b"cpu":
        return None
    values = [int(v) for v in fields[1:9]] + [0] * 8
    user, nice, system, _idle, _iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / _TICK


def _descendants(root: int) -> List[int]:
    children: Dict[int, List[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as stat:
                text = stat.read()
        except OSError:
            continue
        ppid = int(text[text.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found: List[int] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _process_cpu(pid: int) -> float:
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            text = stat.read()
    except OSError:
        return 0.0
    fields = text[text.rindex(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def own_cpu_seconds() -> float:
    """CPU seconds of this process (all threads), its exited children, and its live descendants (Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
    if os.path.isdir("/proc/self"):
        total += sum(_process_cpu(pid) for pid in _descendants(os.getpid()))
    return total


def harness_cpu_seconds() -> float:
    """CPU seconds of this process alone, every thread (a library's own pool included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def reading(workers: Optional[Dict[str, int]] = None) -> Dict[str, Any]:
    """`workers` names the pool's worker processes by pid, whose own CPU is read one by one (Linux)."""
    return {
        "at": clocks.monotonic(),
        "system": system_busy_seconds(),
        "own": own_cpu_seconds(),
        "harness": harness_cpu_seconds(),
        "workers": {name: _process_cpu(pid) for name, pid in (workers or {}).items()} if os.path.isdir("/proc/self") else {},
    }


def load_between(before: Dict[str, Any], after: Dict[str, Any]) -> Dict[str, Any]:
    """The pass message's `load`: wall seconds between the readings, the machine's CPU, the profile's own (harness
    and every descendant), the harness process's alone, and each pool worker process's."""
    system = None
    if before["system"] is not None and after["system"] is not None:
        system = after["system"] - before["system"]
    load: Dict[str, Any] = {
        "seconds": after["at"] - before["at"],
        "systemCpuSeconds": system,
        "ownCpuSeconds": after["own"] - before["own"],
        "harnessCpuSeconds": after["harness"] - before["harness"],
    }
    workers = {name: after["workers"][name] - cpu for name, cpu in before["workers"].items() if name in after["workers"]}
    if workers:
        load["workerCpuSeconds"] = workers
    return load
