"""The hello message: the runtime, the cores, the GIL, the start methods and the backends this harness offers."""
from __future__ import annotations

import multiprocessing
import os
import platform
import socket
import sys
from typing import Any, Dict, Optional

from . import cores
from .backends import availability


def runtime_name() -> str:
    """ "CPython 3.11.7", "PyPy 7.3.11 (Python 3.9.16)"."""
    implementation = platform.python_implementation()
    version = platform.python_version()
    pypy = getattr(sys, "pypy_version_info", None)
    if pypy is not None:
        pypy_version = "%d.%d.%d" % (pypy.major, pypy.minor, pypy.micro)
        return "PyPy %s (Python %s)" % (pypy_version, version)
    return "%s %s" % (implementation, version)


def gil_enabled() -> bool:
    check = getattr(sys, "_is_gil_enabled", None)
    if check is not None:
        return bool(check())
    return True


def default_start_method() -> Optional[str]:
    chosen = multiprocessing.get_start_method(allow_none=True)
    if chosen is not None:
        return chosen
    # Asking get_start_method() without allow_none would fix the context for the user's code too.
    default = getattr(multiprocessing.context._default_context, "_default_context", None)
    name = getattr(default, "_name", None)
    return name if isinstance(name, str) else None


def hello() -> Dict[str, Any]:
    available, missing = availability()
    try:
        hostname: Optional[str] = socket.gethostname()
    except OSError:
        hostname = None
    message: Dict[str, Any] = {
        "type": "hello",
        "runtime": runtime_name(),
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "executable": sys.executable,
        "pid": os.getpid(),
        "logicalCores": cores.logical_cores(),
        "usableCores": cores.usable_cores(),
        "physicalCores": cores.physical_cores(),
        "cpuModel": cores.cpu_model(),
        "platform": platform.platform(),
        "gil": gil_enabled(),
        "startMethods": multiprocessing.get_all_start_methods(),
        "defaultStartMethod": default_start_method(),
        "backends": available,
        "missingBackends": missing,
    }
    if hostname:
        message["hostname"] = hostname
    return message
