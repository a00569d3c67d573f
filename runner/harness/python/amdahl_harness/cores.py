"""Core counts: logical (os.cpu_count), usable (affinity, then the cgroup CPU quota), physical (distinct cores)."""
from __future__ import annotations

import math
import os
from typing import List, Optional, Set, Tuple


def logical_cores() -> int:
    return os.cpu_count() or 1


def usable_cores() -> int:
    cores = _affinity_count() or logical_cores()
    quota = _cgroup_quota_cores()
    if quota is not None:
        cores = min(cores, max(1, int(math.ceil(quota))))
    return max(1, cores)


def _affinity_count() -> Optional[int]:
    if hasattr(os, "sched_getaffinity"):
        try:
            return len(os.sched_getaffinity(0))
        except OSError:
            pass
    # PyPy has no sched_getaffinity: the kernel says the same in /proc.
    listing = _status_field("/proc/self/status", "Cpus_allowed_list")
    if listing:
        return _count_cpu_list(listing)
    return None


def _count_cpu_list(text: str) -> int:
    count = 0
    for part in text.strip().split(","):
        if "-" in part:
            low, high = part.split("-", 1)
            count += int(high) - int(low) + 1
        elif part:
            count += 1
    return count


def _status_field(path: str, field: str) -> Optional[str]:
    try:
        with open(path) as status:
            for line in status:
                if line.startswith(field + ":"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _cgroup_quota_cores() -> Optional[float]:
    """The tightest CPU quota on this process's cgroup path, in cores (v2 cpu.max, else v1 cfs quota)."""
    limits: List[float] = []
    for relative in _cgroup_paths():
        for directory in _ancestors("/sys/fs/cgroup", relative):
            limit = _read_cpu_max(os.path.join(directory, "cpu.max"))
            if limit is not None:
                limits.append(limit)
    for root in ("/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu"):
        limit = _read_cfs(root)
        if limit is not None:
            limits.append(limit)
    return min(limits) if limits else None


def _cgroup_paths() -> List[str]:
    paths = []
    try:
        with open("/proc/self/cgroup") as cgroup:
            for line in cgroup:
                parts = line.strip().split(":", 2)
                if len(parts) == 3 and parts[0] == "0":
                    paths.append(parts[2])
    except OSError:
        pass
    return paths or ["/"]


def _ancestors(root: str, relative: str) -> List[str]:
    found = []
    current = relative.strip("/")
    while True:
        found.append(os.path.join(root, current) if current else root)
        if not current:
            return found
        current = os.path.dirname(current)


def _read_cpu_max(path: str) -> Optional[float]:
    try:
        with open(path) as file:
            quota, period = file.read().split()[:2]
    except (OSError, ValueError):
        return None
    if quota == "max":
        return None
    try:
        return int(quota) / int(period)
    except (ValueError, ZeroDivisionError):
        return None


def _read_cfs(root: str) -> Optional[float]:
    try:
        with open(os.path.join(root, "cpu.cfs_quota_us")) as file:
            quota = int(file.read())
        with open(os.path.join(root, "cpu.cfs_period_us")) as file:
            period = int(file.read())
    except (OSError, ValueError):
        return None
    if quota <= 0 or period <= 0:
        return None
    return quota / period


def physical_cores() -> Optional[int]:
    """Distinct (package, core) pairs from /proc/cpuinfo, else from sysfs topology; None when neither says."""
    pairs = _cpuinfo_cores()
    if not pairs:
        pairs = _sysfs_cores()
    return len(pairs) or None


def _cpuinfo_cores() -> Set[Tuple[str, str]]:
    pairs: Set[Tuple[str, str]] = set()
    physical = core = None
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in list(cpuinfo) + [""]:
                if not line.strip():
                    if core is not None:
                        pairs.add((physical or "0", core))
                    physical = core = None
                    continue
                key, _, value = line.partition(":")
                key = key.strip()
                if key == "physical id":
                    physical = value.strip()
                elif key == "core id":
                    core = value.strip()
    except OSError:
        pass
    return pairs


def _sysfs_cores() -> Set[Tuple[str, str]]:
    pairs: Set[Tuple[str, str]] = set()
    base = "/sys/devices/system/cpu"
    try:
        names = os.listdir(base)
    except OSError:
        return pairs
    for name in names:
        if not (name.startswith("cpu") and name[3:].isdigit()):
            continue
        topology = os.path.join(base, name, "topology")
        try:
            with open(os.path.join(topology, "physical_package_id")) as file:
                package = file.read().strip()
            with open(os.path.join(topology, "core_id")) as file:
                core = file.read().strip()
        except OSError:
            continue
        pairs.add((package, core))
    return pairs


def cpu_model() -> Optional[str]:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "cpu model", "Processor"):
                    return value.strip() or None
    except OSError:
        pass
    import platform

    return platform.processor() or None
