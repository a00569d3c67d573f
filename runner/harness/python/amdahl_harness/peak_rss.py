"""Peak resident memory of a process (VmHWM in /proc/<pid>/status), read before its pool is closed."""
from __future__ import annotations

from typing import Optional


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
