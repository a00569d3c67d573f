"""BLAS/OpenMP thread pools seen after the import: threadpoolctl's info, else the *_NUM_THREADS variables and
numpy's build config, so the runner can warn about oversubscription (docs/method.md section 4)."""
from __future__ import annotations

import contextlib
import io
import os
import sys
from typing import Any, Dict, List

_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def threadpools() -> List[Dict[str, Any]]:
    try:
        import threadpoolctl  # type: ignore[import-not-found]
    except Exception:
        threadpoolctl = None
    if threadpoolctl is not None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                info = threadpoolctl.threadpool_info()
            return [dict(entry, source="threadpoolctl") for entry in info]
        except Exception:
            pass
    found: List[Dict[str, Any]] = []
    variables = {name: os.environ[name] for name in _VARIABLES if name in os.environ}
    if variables:
        found.append({"source": "environment", "variables": variables})
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        found.append({"source": "numpy", "numpyVersion": getattr(numpy, "__version__", None), "config": _numpy_config(numpy)})
    return found


def _numpy_config(numpy: Any) -> Any:
    # show_config prints unless asked for dicts (numpy >= 1.25); never let it reach the user's stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            return numpy.show_config(mode="dicts")
        except Exception:
            pass
    config = getattr(numpy, "__config__", None)
    found = {}
    for key in ("blas_opt_info", "lapack_opt_info", "openblas_info", "blas_mkl_info"):
        value = getattr(config, key, None)
        if value:
            found[key] = value
    return found or None
