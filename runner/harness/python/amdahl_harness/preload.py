"""Imports, before the user's module, every module the harness and its pools import later on demand.

A module may empty sys.path or break the import machinery when it is imported; the pools must still open. What
the harness could not preload (a platform without it) is imported when needed, and if the user's module broke
imports by then, broken_imports() says how, for the error.
"""
from __future__ import annotations

import builtins
import importlib
import sys
from typing import List, Optional

_NEEDED = (
    "array",
    "ctypes",
    "fcntl",
    "mmap",
    "pickle",
    "platform",
    "traceback",
    "concurrent.futures",
    "concurrent.futures.process",
    "concurrent.futures.thread",
    "multiprocessing.connection",
    "multiprocessing.context",
    "multiprocessing.forkserver",
    "multiprocessing.heap",
    "multiprocessing.managers",
    "multiprocessing.pool",
    "multiprocessing.popen_fork",
    "multiprocessing.popen_forkserver",
    "multiprocessing.popen_spawn_posix",
    "multiprocessing.queues",
    "multiprocessing.reduction",
    "multiprocessing.resource_tracker",
    "multiprocessing.sharedctypes",
    "multiprocessing.spawn",
    "multiprocessing.synchronize",
    "multiprocessing.util",
    "amdahl_harness.backends.cluster_worker",
    "amdahl_harness.serialization",
    "amdahl_harness.target",
    "amdahl_harness.thread_census",
    "amdahl_harness.threadpools",
    "amdahl_harness.worker",
)

_path_before: Optional[List[str]] = None
_import_before = builtins.__import__


def preload() -> None:
    """Imports what the harness needs later, and notes sys.path as it was before the user's module."""
    global _path_before
    for name in _NEEDED:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # not on this platform: the backend that needs it says so when it opens
    from .backends import REGISTRY, _module

    for backend in REGISTRY:
        _module(backend)
    _path_before = list(sys.path)
    _keep_children_path()


def _keep_children_path() -> None:
    """Spawned and forkserver workers start with the sys.path from before the user's module, plus what it added.

    They import the harness first and the user's module after, so a module that empties sys.path still loads."""
    import multiprocessing.spawn as spawn

    prepare = spawn.get_preparation_data

    def preparation_data(name: str) -> dict:
        data = prepare(name)
        before = _path_before or []
        data["sys_path"] = before + [entry for entry in data.get("sys_path", []) if entry not in before]
        return data

    spawn.get_preparation_data = preparation_data


def broken_imports() -> Optional[str]:
    """How the user's module changed the interpreter's imports since preload(), or None if it did not."""
    if builtins.__import__ is not _import_before:
        return "replaced the import function (builtins.__import__)"
    if _path_before is None or sys.path == _path_before:
        return None
    if not sys.path:
        return "emptied sys.path"
    missing = [entry for entry in _path_before if entry not in sys.path]
    if missing:
        return "removed %d entr%s from sys.path (%s)" % (
            len(missing),
            "y" if len(missing) == 1 else "ies",
            ", ".join(missing[:3]),
        )
    return None
