"""The command loop: hello, then one answer per command line until exit or end of input (protocol/harness.ts)."""
from __future__ import annotations

import gc
import json
import os
import sys
import traceback
from typing import Any, Dict

from .channel import Channel, log
from . import lifetime
from .failures import HarnessError
from .preload import broken_imports
from .session import Session
from .task_batches import send_answer


def error_answer(op: Any, command: Dict[str, Any], error: HarnessError) -> Dict[str, Any]:
    answer: Dict[str, Any] = {
        "type": "error",
        "op": op if isinstance(op, str) else "unknown",
        "code": error.code,
        "message": error.message,
        "recoverable": error.recoverable,
    }
    pool_id = command.get("id") or (command.get("config") or {}).get("id")
    if isinstance(pool_id, str):
        answer["id"] = pool_id
    if error.detail:
        answer["detail"] = error.detail
    if error.input_index is not None:
        answer["input"] = error.input_index
    return answer


def unexpected(op: Any, session: Session, error: BaseException) -> HarnessError:
    """An exception no op expected: the user's module breaking imports if it did, else a harness failure."""
    how = broken_imports() if isinstance(error, ImportError) and session.target is not None else None
    if how is not None:
        return HarnessError(
            "import-failed",
            "Importing %s %s, so Python could not import what the harness needs on %s: %s: %s. Amdahl cannot "
            "profile a module that breaks the interpreter's imports when it is imported."
            % (os.path.basename(session.target.file), how, op, type(error).__name__, error),
            detail=traceback.format_exc(),
            recoverable=False,
        )
    return HarnessError(
        "internal",
        "The Python harness failed on %s: %s: %s" % (op, type(error).__name__, error),
        detail=traceback.format_exc(),
    )


def _flush_user_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def main() -> None:
    lifetime.install()
    try:
        channel = Channel.open()
    except OSError as error:
        log("file descriptor 3 must be the answer pipe to the runner (%s); see protocol/harness.ts" % error)
        sys.exit(2)
    session = Session(channel)
    from .environment import hello

    channel.send(hello())
    for line in channel.commands():
        command: Dict[str, Any] = {}
        op: Any = None
        try:
            try:
                parsed = json.loads(line.decode("utf-8"))
            except ValueError as error:
                raise HarnessError("bad-command", "A command line is not JSON: %s" % error) from None
            if not isinstance(parsed, dict):
                raise HarnessError("bad-command", "A command must be a JSON object, not %s." % type(parsed).__name__)
            command = parsed
            op = command.get("op")
            answer = session.handle(command)
        except HarnessError as error:
            answer = error_answer(op, command, error)
        except BaseException as error:  # the harness always answers; a bug here is data too
            answer = error_answer(op, command, unexpected(op, session, error))
        _flush_user_output()
        send_answer(channel, answer)
        if answer.get("type") == "bye":
            break
    else:
        log("end of input: closing")
        session.shutdown()
    _flush_user_output()
    # Free terminated pools now, so their semaphores are released rather than reported as leaked.
    for _ in range(3):  # PyPy runs finalizers of objects freed by one collection in the next
        gc.collect()
    # Processes the user's code started and left running end with the harness (lifetime.py).
    lifetime.kill_descendants()
    # Threads the user's code left behind (a stuck thread pool) must not keep the harness alive.
    os._exit(0)
