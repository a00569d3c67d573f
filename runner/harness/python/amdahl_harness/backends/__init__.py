"""The backend registry: name -> module. A new engine (joblib, dask, ipyparallel, ray) is one module here that defines
BACKEND (a base.Backend subclass) and unavailable_reason() (None, or why its package is missing). The names are
the Python rows of protocol/backends.ts; test/unit/backends-table.test.ts asks this module for them."""
from __future__ import annotations

import importlib
from typing import Any, Dict, List, Tuple

REGISTRY: Dict[str, str] = {
    "serial": "serial",
    "process": "process",
    "thread": "thread",
    "futures-process": "futures_process",
    # Engines: each imports its package lazily and says in hello.missingBackends when it cannot.
    "joblib": "joblib",
    "dask": "dask",
    "ipyparallel": "ipyparallel",
    "ray": "ray",
}


def _module(name: str) -> Any:
    return importlib.import_module("%s.%s" % (__name__, REGISTRY[name]))


def availability() -> Tuple[List[str], Dict[str, str]]:
    available: List[str] = []
    missing: Dict[str, str] = {}
    for name in REGISTRY:
        try:
            reason = _module(name).unavailable_reason()
        except Exception as error:  # a broken engine module must not take the harness down
            reason = "%s: %s" % (type(error).__name__, error)
        if reason is None:
            available.append(name)
        else:
            missing[name] = reason
    return available, missing


def backend_class(name: str) -> Any:
    """The Backend subclass for name, or None when this harness has no such backend."""
    if name not in REGISTRY:
        return None
    return _module(name).BACKEND
