"""The private channels to the runner: commands in from stdin, answers out on fd 3, both moved out of user reach."""
from __future__ import annotations

import io
import json
import os
import sys
import threading
from typing import Any, Iterator, Optional

# High enough that user code opening files never lands on them, low enough for any RLIMIT_NOFILE.
_PREFERRED_FD = 900


def _move_to_high_fd(fd: int) -> int:
    """dup()s fd to a high, close-on-exec descriptor and closes the original."""
    try:
        high = _dup_at_least(fd, _PREFERRED_FD)
    except OSError:
        high = os.dup(fd)
    os.set_inheritable(high, False)
    os.close(fd)
    return high


def _dup_at_least(fd: int, lowest: int) -> int:
    import fcntl

    # PyPy's fcntl has no F_DUPFD_CLOEXEC; the caller clears inheritance right after either way.
    command = getattr(fcntl, "F_DUPFD_CLOEXEC", fcntl.F_DUPFD)
    return fcntl.fcntl(fd, command, lowest)


class Channel:
    """JSON lines to the runner; thread-safe because thread-pool warm-ups announce tasks from worker threads."""

    def __init__(self, answer_fd: int, command_fd: int) -> None:
        self._answer_fd = answer_fd
        self._command_fd = command_fd
        self._lock = threading.Lock()
        self._commands = io.open(command_fd, "rb", buffering=65536, closefd=False)
        # Forked pool workers (and any os.fork in user code) must never write answers or read commands.
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._close_in_child)

    @classmethod
    def open(cls) -> "Channel":
        answer_fd = _move_to_high_fd(3)
        command_fd = _move_to_high_fd(0)
        # User code that reads stdin gets end-of-file instead of the runner's commands.
        devnull = os.open(os.devnull, os.O_RDONLY)
        if devnull != 0:
            os.dup2(devnull, 0)
            os.close(devnull)
        sys.stdin = io.TextIOWrapper(io.open(0, "rb", closefd=False), encoding="utf-8")
        return cls(answer_fd, command_fd)

    def send(self, message: dict) -> None:
        data = (json.dumps(message, separators=(",", ":"), default=_jsonable) + "\n").encode("utf-8")
        with self._lock:
            view = memoryview(data)
            while view:
                written = os.write(self._answer_fd, view)
                view = view[written:]

    def commands(self) -> Iterator[bytes]:
        while True:
            line = self._commands.readline()
            if not line:
                return
            if line.strip():
                yield line

    def _close_in_child(self) -> None:
        for fd in (self._answer_fd, self._command_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self._answer_fd = -1
        self._command_fd = -1


def _jsonable(value: Any) -> Optional[str]:
    # Engine info (threadpoolctl, numpy config) may hold paths, tuples or objects: keep them readable.
    return str(value)


def log(text: str) -> None:
    """Harness diagnostics: stderr, prefixed so the runner can tell them from the user's output."""
    try:
        sys.stderr.write("[amdahl-harness] %s\n" % text)
        sys.stderr.flush()
    except Exception:
        pass
