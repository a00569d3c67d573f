"""Loads the target: imports the user's file as a module (never as __main__), resolves the function, evaluates inputs.

The same import runs in pool workers (worker.py), so pickles of the function and of user classes name a module
that exists on both sides under fork, spawn and forkserver.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import inspect
import os
import sys
import traceback
import types
from typing import Any, Callable, List, Optional

from .failures import HarnessError
from .import_guard import GUARD_ADVICE, no_process_start, started_process_at_import

MODULE_NAME = "__amdahl_target__"
DEFAULT_INPUTS = "range(10)"


class Target:
    def __init__(
        self, file: str, module: types.ModuleType, function_name: str, function: Callable, items: List[Any], starmap: bool
    ) -> None:
        self.file = file
        self.module = module
        self.function_name = function_name
        self.function = function
        self.items = items
        self.starmap = starmap


def import_module(file: str, module_name: str = MODULE_NAME) -> types.ModuleType:
    """Imports file as module_name with process starts refused; failures are import-failed HarnessErrors."""
    path = os.path.abspath(file)
    shown = os.path.basename(path)
    if not os.path.isfile(path):
        raise HarnessError("import-failed", "Cannot import %s: no such file (%s)." % (shown, path))
    directory = os.path.dirname(path)
    if not sys.path or sys.path[0] != directory:
        sys.path.insert(0, directory)
    # An explicit source loader: Python picks a loader by suffix and has none for .pyw outside Windows.
    loader = importlib.machinery.SourceFileLoader(module_name, path)
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    if spec is None or spec.loader is None:
        raise HarnessError("import-failed", "Cannot import %s: Python does not recognise it as a module." % shown)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        with no_process_start():
            spec.loader.exec_module(module)
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import are failures of the import too
        del sys.modules[module_name]
        raise _import_failure(shown, error) from None
    return module


def user_traceback(error: BaseException) -> str:
    """The traceback from the first frame outside the harness and importlib: what the user needs to read."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None and _is_machinery(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


_HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_machinery(filename: str) -> bool:
    return filename.startswith("<frozen") or os.path.abspath(filename).startswith(_HARNESS_DIR + os.sep)


def _import_failure(shown: str, error: BaseException) -> HarnessError:
    detail = user_traceback(error)
    if isinstance(error, SyntaxError):
        where = "%s:%s" % (error.filename or shown, error.lineno)
        return HarnessError(
            "import-failed",
            "Cannot import %s: %s at %s (line %s): %s."
            % (shown, type(error).__name__, where, error.lineno, error.msg),
            detail="".join(traceback.format_exception_only(type(error), error)),
        )
    started = started_process_at_import(error)
    if started is not None:
        return HarnessError(
            "import-failed",
            "Cannot import %s: it starts a process while being imported; %s." % (shown, GUARD_ADVICE),
            detail=detail,
        )
    return HarnessError(
        "import-failed",
        "Importing %s raised %s: %s" % (shown, type(error).__name__, _one_line(error)),
        detail=detail,
    )


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else "(no message)"


def resolve_function(module: types.ModuleType, name: str, shown: str) -> Callable:
    """A top-level function a pool can use, or function-not-found / unsupported-function saying why not."""
    pool_reason = (
        "a process pool pickles a function by reference (its module and qualified name), so it must be a "
        "function defined with def at the top level of the file"
    )
    if "." in name:
        found = _lookup_path(module, name)
        if found is None:
            raise _missing(module, name, shown)
        owner = name.rsplit(".", 1)[0]
        raise HarnessError(
            "function-not-found",
            "%s is an attribute of %s, not a top-level function of %s; %s: wrap the call in one, "
            "e.g. `def run(x): ...`." % (name, owner, shown, pool_reason),
        )
    if name not in vars(module):
        raise _missing(module, name, shown)
    function = vars(module)[name]
    if isinstance(function, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        return function
    if not isinstance(function, types.FunctionType):
        what = "a class" if isinstance(function, type) else "a %s object" % type(function).__name__
        raise HarnessError(
            "function-not-found", "%s in %s is %s, not a function; %s." % (name, shown, what, pool_reason)
        )
    if function.__name__ == "<lambda>":
        raise HarnessError(
            "function-not-found",
            "%s in %s is a lambda, and a lambda's qualified name is '<lambda>'; %s." % (name, shown, pool_reason),
        )
    if function.__qualname__ != function.__name__ or "<locals>" in function.__qualname__:
        raise HarnessError(
            "function-not-found",
            "%s in %s is the nested function %s; %s." % (name, shown, function.__qualname__, pool_reason),
        )
    _refuse_unsupported(function, name)
    return function


def _refuse_unsupported(function: Callable, name: str) -> None:
    if inspect.isasyncgenfunction(function):
        raise HarnessError(
            "unsupported-function",
            "%s is an async generator function: calling it only creates an async generator. Wrap it in a "
            "top-level function that runs it, e.g. `def run(x): return asyncio.run(collect(%s(x)))` with "
            "`async def collect(g): return [v async for v in g]`." % (name, name),
        )
    if inspect.iscoroutinefunction(function):
        raise HarnessError(
            "unsupported-function",
            "%s is a coroutine function (async def): calling it only creates a coroutine. Wrap it in a "
            "top-level function that runs it, e.g. `def run(x): return asyncio.run(%s(x))`." % (name, name),
        )
    if inspect.isgeneratorfunction(function):
        raise HarnessError(
            "unsupported-function",
            "%s is a generator function: calling it only creates a generator, and a generator cannot be "
            "pickled back from a worker. Wrap it in a top-level function that consumes it, e.g. "
            "`def run(x): return list(%s(x))`." % (name, name),
        )


def _lookup_path(module: types.ModuleType, dotted: str) -> Optional[Any]:
    current: Any = module
    for part in dotted.split("."):
        try:
            current = getattr(current, part)
        except AttributeError:
            return None
    return current


def _missing(module: types.ModuleType, name: str, shown: str) -> HarnessError:
    functions = sorted(
        key
        for key, value in vars(module).items()
        if isinstance(value, types.FunctionType)
        and value.__module__ == module.__name__
        and value.__qualname__ == key
    )
    listing = ", ".join(functions) if functions else "none"
    return HarnessError(
        "function-not-found",
        "There is no top-level function %s in %s; the top-level functions there are: %s." % (name, shown, listing),
    )


def evaluate_inputs(module: types.ModuleType, expression: Optional[str]) -> List[Any]:
    """The input list: the expression evaluated in the module's namespace, then list()."""
    source = DEFAULT_INPUTS if expression is None else expression
    try:
        items = list(eval(source, vars(module)))
    except BaseException as error:
        raise HarnessError(
            "inputs-failed",
            "The inputs expression %r raised %s: %s" % (source, type(error).__name__, _one_line(error)),
            detail=user_traceback(error),
        ) from None
    if not items:
        raise HarnessError("inputs-failed", "The inputs expression %r gives an empty list: the input list is empty." % source)
    return items


def load_target(file: str, function_name: str, inputs: Optional[str], starmap: bool) -> Target:
    shown = os.path.basename(file)
    module = import_module(file)
    function = resolve_function(module, function_name, shown)
    items = evaluate_inputs(module, inputs)
    return Target(os.path.abspath(file), module, function_name, function, items, starmap)
