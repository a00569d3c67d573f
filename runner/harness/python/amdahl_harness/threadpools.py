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


# Shared libraries that run thread pools of their own, by the name a reader knows them by: what this process
# has loaded names the pools where threadpoolctl is not there to ask.
_LIBRARIES = (
    ("openblas", "OpenBLAS"),
    ("mkl_rt", "MKL"),
    ("libmkl", "MKL"),
    ("libblis", "BLIS"),
    ("libgomp", "OpenMP (GNU)"),
    ("libiomp", "OpenMP (Intel)"),
    ("libomp", "OpenMP (LLVM)"),
    ("libtbb", "TBB"),
)

# How each library is told its thread count at run time (a forked worker inherits a library already loaded, so
# the environment variables come too late for it): (library marker, setter, getter).
_SETTERS = (
    ("openblas", "openblas_set_num_threads", "openblas_get_num_threads"),
    ("mkl_rt", "MKL_Set_Num_Threads", "MKL_Get_Max_Threads"),
    ("libblis", "bli_thread_set_num_threads", "bli_thread_get_num_threads"),
    ("libgomp", "omp_set_num_threads", "omp_get_max_threads"),
    ("libiomp", "omp_set_num_threads", "omp_get_max_threads"),
    ("libomp", "omp_set_num_threads", "omp_get_max_threads"),
)

LIMIT_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "BLIS_NUM_THREADS")

# Kept so the limits threadpoolctl applied stay applied (it restores them when the object is collected).
_limits: Any = None


def loaded_libraries() -> List[str]:
    """Paths of the loaded shared libraries known to run thread pools (Linux /proc/self/maps; [] elsewhere)."""
    found: List[str] = []
    try:
        with open("/proc/self/maps", "r") as maps:
            for line in maps:
                path = line.rsplit(None, 1)[-1] if "/" in line else ""
                name = os.path.basename(path)
                if path not in found and ".so" in name and any(marker in name for marker, _ in _LIBRARIES):
                    found.append(path)
    except OSError:
        pass
    return found


def library_names(paths: List[str]) -> List[str]:
    names: List[str] = []
    for path in paths:
        base = os.path.basename(path)
        for marker, name in _LIBRARIES:
            if marker in base and name not in names:
                names.append(name)
                break
    return names


def limit_library_threads(count: int) -> None:
    """Limits every thread pool library to `count` threads in this process, and in what it imports or starts later:
    the environment variables for libraries not loaded yet, then threadpoolctl or each loaded library's setter."""
    global _limits
    for name in LIMIT_VARIABLES:
        os.environ[name] = str(count)
    try:
        import threadpoolctl  # type: ignore[import-not-found]

        _limits = threadpoolctl.threadpool_limits(count)
        return
    except Exception:
        pass
    for path, setter, _ in _library_functions():
        try:
            import ctypes

            getattr(ctypes.CDLL(path), setter)(count)
        except (OSError, AttributeError):
            continue


def library_threads() -> Dict[str, int]:
    """Each loaded library's own count of its threads, read from it: {"path": threads}."""
    import ctypes

    counts: Dict[str, int] = {}
    for path, _, getter in _library_functions():
        try:
            counts[path] = int(getattr(ctypes.CDLL(path), getter)())
        except (OSError, AttributeError):
            continue
    return counts


def _library_functions() -> List[Any]:
    found = []
    for path in loaded_libraries():
        base = os.path.basename(path)
        for marker, setter, getter in _SETTERS:
            if marker in base:
                found.append((path, setter, getter))
                break
    return found
