"""Peak resident memory of a process (VmHWM in /proc/<pid>/status), read before its pool is closed."""
from __future__ import annotations

from typing import Dict, Iterable, Optional


def peak_rss_bytes(pid: int) -> Optional[int]:
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    parts = line.split()
                    return int(parts[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def peaks_by_worker(pids: Iterable[int]) -> Dict[str, int]:
    """The peak RSS of local worker processes, keyed by their worker name ("pid N"); a process the platform says
    nothing about is left out."""
    peaks = {}
    for pid in pids:
        peak = peak_rss_bytes(pid)
        if peak is not None:
            peaks["pid %d" % pid] = peak
    return peaks
