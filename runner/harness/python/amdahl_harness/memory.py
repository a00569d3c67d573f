"""Memory of pool workers and of the harness process (Linux /proc; elsewhere the platform says nothing and the
fields are left out), read outside the timed path: worker peaks when a pool closes, the harness's own peak over
one pool's life, and what tells that a worker the kernel killed ran out of memory."""
from __future__ import annotations

import os
from typing import Any, Dict, Iterable, Optional

# A worker killed while the pool's last sampled memory was at least this share of what was available is
# reported as likely out of memory.
NEAR_LIMIT = 0.8
# The kernel's "unlimited" cgroup v1 limit (page-aligned LONG_MAX) and above: no limit.
_UNLIMITED = 1 << 62


def _status_kib(pid: int, field: str) -> Optional[int]:
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_bytes(pid: int) -> Optional[int]:
    """Peak resident memory (VmHWM) of a live process."""
    return _status_kib(pid, "VmHWM:")


def rss_bytes(pid: int) -> Optional[int]:
    """Resident memory now, from /proc/<pid>/statm (one short read, cheap enough to sample while a pass runs)."""
    try:
        with open("/proc/%d/statm" % pid) as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def private_and_rss(pid: int) -> Optional[Any]:
    """(private bytes, resident bytes) from /proc/<pid>/smaps_rollup: private pages are mapped by this process
    alone, so pages shared copy-on-write after a fork (or a shared library's) are not among them."""
    fields: Dict[str, int] = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as rollup:
            for line in rollup:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Private_Clean", "Private_Dirty", "Private_Hugetlb"):
                    fields[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    if "Rss" not in fields:
        return None
    return fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0) + fields.get("Private_Hugetlb", 0), fields["Rss"]


def unique_peak_bytes(pid: int, peak: Optional[int]) -> Optional[int]:
    """A worker's peak unique memory: its peak RSS less the pages it shares now (the module's data inherited
    through fork, shared libraries), which it shared at its peak too: sharing only ends when a page is written."""
    found = private_and_rss(pid)
    if found is None or peak is None:
        return None
    private, rss = found
    return max(private, peak - (rss - private))


def worker_memory(pids: Iterable[int]) -> Dict[str, Dict[str, int]]:
    """The closed message's peakRssBytes and uniqueBytes of local worker processes, keyed by worker name
    ("pid N"); a process the platform says nothing about is left out."""
    peaks: Dict[str, int] = {}
    uniques: Dict[str, int] = {}
    for pid in pids:
        peak = peak_rss_bytes(pid)
        if peak is None:
            continue
        peaks["pid %d" % pid] = peak
        unique = unique_peak_bytes(pid, peak)
        if unique is not None:
            uniques["pid %d" % pid] = unique
    fields: Dict[str, Dict[str, int]] = {"peakRssBytes": peaks}
    if uniques:
        fields["uniqueBytes"] = uniques
    return fields


def _reset_own_peak() -> bool:
    """Linux resets a process's VmHWM to its RSS on "5" written to clear_refs (Linux 4.0 and later)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def _cgroup_dirs() -> Dict[str, str]:
    """This process's memory cgroup folder: {"v2": path} or {"v1": path}, where mounted at the usual place."""
    found: Dict[str, str] = {}
    try:
        with open("/proc/self/cgroup") as groups:
            for line in groups:
                _, controllers, path = line.rstrip("\n").split(":", 2)
                if controllers == "" and os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
                    found["v2"] = "/sys/fs/cgroup" + path
                elif "memory" in controllers.split(","):
                    found["v1"] = "/sys/fs/cgroup/memory" + path
    except (OSError, ValueError):
        pass
    return found


def _read_int(path: str) -> Optional[int]:
    try:
        with open(path) as handle:
            text = handle.read().strip()
        return None if text == "max" else int(text)
    except (OSError, ValueError):
        return None


def _keyed(path: str, key: str) -> Optional[int]:
    try:
        with open(path) as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 2 and parts[0] == key:
                    return int(parts[1])
    except (OSError, ValueError):
        pass
    return None


def cgroup_oom_kills() -> Optional[int]:
    """How many processes the OOM killer has killed in this process's memory cgroup (None: not readable)."""
    dirs = _cgroup_dirs()
    if "v2" in dirs:
        kills = _keyed(os.path.join(dirs["v2"], "memory.events"), "oom_kill")
        if kills is not None:
            return kills
    if "v1" in dirs:
        return _keyed(os.path.join(dirs["v1"], "memory.oom_control"), "oom_kill")
    return None


def available_bytes() -> Optional[int]:
    """Memory available to this process now: MemAvailable, or less where its cgroup's limit leaves less."""
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    dirs = _cgroup_dirs()
    limit = usage = None
    if "v2" in dirs:
        limit = _read_int(os.path.join(dirs["v2"], "memory.max"))
        usage = _read_int(os.path.join(dirs["v2"], "memory.current"))
    elif "v1" in dirs:
        limit = _keyed(os.path.join(dirs["v1"], "memory.stat"), "hierarchical_memory_limit")
        usage = _read_int(os.path.join(dirs["v1"], "memory.usage_in_bytes"))
    if limit is not None and usage is not None and limit < _UNLIMITED:
        headroom = max(0, limit - usage)
        available = headroom if available is None else min(available, headroom)
    return available


class MemoryWatch:
    """The harness process's memory during one pool's passes, and the samples of its workers' memory that tell
    whether a worker the kernel killed ran out of memory.

    Pools are open side by side and their passes interleave, so the harness's own peak is taken per pass: reset
    just before it (outside the timed map) and read just after it, with the resident memory before it as the idle
    baseline. A pool's figures are the largest over its passes."""

    def __init__(self) -> None:
        self.oom_kills = cgroup_oom_kills()
        self.available = available_bytes()
        self.last: Dict[int, int] = {}
        self.parent_peak: Optional[int] = None
        self.growth: Optional[int] = None
        self._idle: Optional[int] = None

    def before_pass(self) -> None:
        self._idle = rss_bytes(os.getpid()) if _reset_own_peak() else None

    def after_pass(self) -> None:
        if self._idle is None:
            return
        peak = peak_rss_bytes(os.getpid())
        if peak is not None:
            self.parent_peak = max(self.parent_peak or 0, peak)
            self.growth = max(self.growth or 0, peak - self._idle)
        self._idle = None

    def sample(self, pids: Iterable[int]) -> None:
        """The workers' resident memory now (a pool that waits calls this between its checks, outside any task)."""
        for pid in pids:
            rss = rss_bytes(pid)
            # A process killed but not yet reaped reads as 0: keep what it held before.
            if rss:
                self.last[pid] = rss

    def own_fields(self, shared_process: bool) -> Dict[str, int]:
        """parentPeakRssBytes, and for pools whose workers are threads of this process, processGrowthBytes: its
        peak in a pass over its resident memory just before. Left out where the peak cannot be reset (not Linux)."""
        if self.parent_peak is None or self.growth is None:
            return {}
        fields = {"parentPeakRssBytes": self.parent_peak}
        if shared_process:
            fields["processGrowthBytes"] = self.growth
        return fields

    def oom_cause(self, pid: int) -> Optional[str]:
        """Why memory was the likely cause of a worker's SIGKILL, or None when nothing says so."""
        kills = cgroup_oom_kills()
        if kills is not None and self.oom_kills is not None and kills > self.oom_kills:
            return "the memory cgroup's OOM-kill counter rose from %d to %d" % (self.oom_kills, kills)
        total = sum(self.last.values())
        if self.available and total >= NEAR_LIMIT * self.available:
            own = self.last.get(pid)
            return "the pool's workers last held %s%s, near the %s available when it opened" % (
                megabytes(total),
                " (this worker %s)" % megabytes(own) if own is not None else "",
                megabytes(self.available),
            )
        return None


def megabytes(count: int) -> str:
    return "%.0f MB" % (count / 1e6)
