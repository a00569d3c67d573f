"""HarnessError: a failure that becomes one `error` answer (protocol/harness.ts ErrorMessage), and how calls read."""
from __future__ import annotations

import reprlib
from typing import Any, Optional

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 6
_short.maxtuple = 6
_short.maxdict = 4


class HarnessError(Exception):
    """Raised by any op; the command loop turns it into an error answer carrying the op and pool id."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: Optional[str] = None,
        input_index: Optional[int] = None,
        recoverable: bool = True,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail
        self.input_index = input_index
        self.recoverable = recoverable


def short_repr(value: Any) -> str:
    try:
        return _short.repr(value)
    except Exception:
        return "<%s object>" % type(value).__name__


def describe_call(function_name: str, item: Any, starmap: Any) -> str:
    """How the failing call reads in a message: "complex_operation(3)", or "f(1, 2)" under starmap."""
    if starmap == "call":  # recording.CALL: (args, kwargs) as recorded
        args, kwargs = item
        arguments = ", ".join([short_repr(a) for a in args] + ["%s=%s" % (k, short_repr(v)) for k, v in kwargs.items()])
    elif starmap:
        try:
            arguments = ", ".join(short_repr(a) for a in item)
        except TypeError:
            arguments = "*" + short_repr(item)
    else:
        arguments = short_repr(item)
    return "%s(%s)" % (function_name, arguments)


def type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "builtins")
    if module in ("builtins", "__amdahl_target__"):
        return kind.__qualname__
    return "%s.%s" % (module, kind.__qualname__)
