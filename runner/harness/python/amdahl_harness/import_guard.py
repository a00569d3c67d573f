"""Makes starting a process fail loudly while the user's module is being imported.

A module that starts processes at import would, under spawn and forkserver, start them again in every pool
worker that imports it, and those would import it again: refuse instead, with what to change.
"""
from __future__ import annotations

import contextlib
import multiprocessing.process
from typing import Iterator, Optional

GUARD_ADVICE = (
    'put the code that starts processes under `if __name__ == "__main__":` so that importing the module '
    "(as every pool worker does) does not start them"
)


class ProcessStartAtImport(RuntimeError):
    pass


def _refuse_start(self: multiprocessing.process.BaseProcess) -> None:
    raise ProcessStartAtImport(
        "the module tried to start a process (%s) while being imported; %s" % (self.name, GUARD_ADVICE)
    )


@contextlib.contextmanager
def no_process_start() -> Iterator[None]:
    original = multiprocessing.process.BaseProcess.start
    multiprocessing.process.BaseProcess.start = _refuse_start  # type: ignore[method-assign]
    try:
        yield
    finally:
        multiprocessing.process.BaseProcess.start = original  # type: ignore[method-assign]


def started_process_at_import(error: BaseException) -> Optional[ProcessStartAtImport]:
    """The ProcessStartAtImport behind an import failure, if that is what it was (it may be wrapped)."""
    seen = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ProcessStartAtImport):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
