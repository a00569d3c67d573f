"""ray: not measurable here. Ray cannot be installed on the machines this project is built and tested on, so the
harness has no Ray backend; asked for, it says so plainly in hello.missingBackends instead of failing later."""
from __future__ import annotations

from typing import Optional


def unavailable_reason() -> Optional[str]:
    # No final period: the runner ends the sentence it puts this in.
    try:
        import ray  # noqa: F401
    except ImportError as error:
        return (
            "Ray is not importable (%s: %s), and this harness has no Ray backend: Ray cannot be installed on the "
            "machines Amdahl is tested on, so none was written; use dask or ipyparallel for a cluster"
            % (type(error).__name__, error)
        )
    return (
        "Ray is installed, but this harness has no Ray backend: none could be tested here; use dask or ipyparallel "
        "for a cluster"
    )


# No Backend class: backends.backend_class then answers open with backend-unavailable.
BACKEND = None
