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
from typing import Any, Callable, Dict, List, Optional, Tuple

from .failures import HarnessError
from .import_guard import GUARD_ADVICE, no_process_start, started_process_at_import
from .placement import LOOSE_MODULE_NAME, Placement, add_root, place, restore
from .recording import CALL, callable_for, interpreter_problem, read_recording, recorded_calls, source_hash

DEFAULT_INPUTS = "range(10)"


class Target:
    def __init__(
        self,
        file: str,
        module: types.ModuleType,
        placement: Placement,
        function_name: str,
        function: Callable,
        items: List[Any],
        starmap: Any,
    ) -> None:
        self.file = file
        self.module = module
        self.placement = placement
        self.function_name = function_name
        self.function = function
        self.items = items
        # False: fn(item); True: fn(*item) (--starmap); recording.CALL: recorded (args, kwargs), spread by `function`.
        self.starmap = starmap
        #: What the report says about recorded inputs (file, calls, skipped, stale); None for an expression.
        self.recording: Optional[Dict[str, Any]] = None


def import_module(file: str, placement: Optional[Placement] = None) -> Tuple[types.ModuleType, Placement]:
    """Imports file as the project does (placement.py), with process starts refused; failures are import-failed.

    Pool and cluster workers pass the harness's placement, so that they import the same name from the same entries.
    """
    path = os.path.abspath(file)
    shown = os.path.basename(path)
    if not os.path.isfile(path):
        raise HarnessError("import-failed", "Cannot import %s: no such file (%s)." % (shown, path))
    if placement is None:
        placement = add_root(place(path))
    else:
        restore(placement)
    loaded = sys.modules.get(placement.module)
    if loaded is not None and _same_file(getattr(loaded, "__file__", None), path):
        return loaded, placement  # the harness's own module in a forked worker, or a second cluster task
    _refuse_shadowed(placement, path, shown)
    try:
        with no_process_start():
            if placement.module == LOOSE_MODULE_NAME:
                module = _import_loose(path, shown)
            else:
                module = importlib.import_module(placement.module)
    except HarnessError:
        raise
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import are failures of the import too
        sys.modules.pop(LOOSE_MODULE_NAME, None)
        raise _import_failure(shown, error, placement) from None
    found = getattr(module, "__file__", None)
    if not _same_file(found, path):
        raise _shadowed(placement, placement.module, found, shown)
    return module, placement


def _refuse_shadowed(placement: Placement, path: str, shown: str) -> None:
    """A package name taken already (the standard library's, or the harness's) would import another file."""
    top = placement.module.split(".")[0]
    taken = sys.modules.get(top)
    if placement.module == LOOSE_MODULE_NAME or taken is None:
        return
    # A namespace package has no __file__, only the folders of its __path__.
    places = [getattr(taken, "__file__", None)] + list(getattr(taken, "__path__", None) or [])
    own = os.path.join(placement.root, top)
    if not any(place and os.path.realpath(place).startswith(own) for place in places):
        raise _shadowed(placement, top, places[0], shown)


def _shadowed(placement: Placement, name: str, found: Optional[str], shown: str) -> HarnessError:
    return HarnessError(
        "import-failed",
        "Cannot import %s as %s: the name %s is %s, which Python finds first; rename the package. %s"
        % (shown, placement.module, name, found or "a built-in module", tried(placement)),
    )


def _same_file(found: Optional[str], path: str) -> bool:
    return found is not None and os.path.realpath(found) == os.path.realpath(path)


def _import_loose(path: str, shown: str) -> types.ModuleType:
    # An explicit source loader: Python picks a loader by suffix and has none for .pyw outside Windows.
    loader = importlib.machinery.SourceFileLoader(LOOSE_MODULE_NAME, path)
    spec = importlib.util.spec_from_file_location(LOOSE_MODULE_NAME, path, loader=loader)
    if spec is None or spec.loader is None:
        raise HarnessError("import-failed", "Cannot import %s: Python does not recognise it as a module." % shown)
    module = importlib.util.module_from_spec(spec)
    sys.modules[LOOSE_MODULE_NAME] = module
    spec.loader.exec_module(module)
    return module


def tried(placement: Placement) -> str:
    """What Amdahl tried, and how to add a folder to the import path: the end of every import-failed message."""
    module = "as a loose script" if placement.module == LOOSE_MODULE_NAME else "as the module %s" % placement.module
    entries = ", ".join(placement.added) if placement.added else "none"
    return (
        "Amdahl imported it %s, with these sys.path entries added: %s. To add a folder, set PYTHONPATH in the "
        "project's .env file (e.g. PYTHONPATH=src), list it in [tool.pytest.ini_options] pythonpath in "
        "pyproject.toml, or in the amdahl.pythonPathEntries setting (CLI: --python-path)." % (module, entries)
    )


def user_traceback(error: BaseException) -> str:
    """The traceback from the first frame outside the harness and importlib: what the user needs to read."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None and _is_machinery(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


_HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_machinery(filename: str) -> bool:
    return filename.startswith("<frozen") or os.path.abspath(filename).startswith(_HARNESS_DIR + os.sep)


def _import_failure(shown: str, error: BaseException, placement: Placement) -> HarnessError:
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
    # An import that cannot find a module is the one the import path can fix: say what it was.
    message = "Importing %s raised %s: %s" % (shown, type(error).__name__, _one_line(error))
    if isinstance(error, ImportError):
        message = "%s. %s" % (message.rstrip("."), tried(placement))
    return HarnessError("import-failed", message, detail=detail)


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


def load_target(
    file: str, function_name: str, inputs: Optional[str], starmap: bool, recording: Optional[str] = None
) -> Target:
    shown = os.path.basename(file)
    module, placement = import_module(file)
    function = resolve_function(module, function_name, shown)
    if recording is None:
        items = evaluate_inputs(module, inputs)
        return Target(os.path.abspath(file), module, placement, function_name, function, items, starmap)
    items, info = recorded_inputs(recording, function, function_name)
    target = Target(os.path.abspath(file), module, placement, function_name, callable_for(function, CALL), items, CALL)
    target.recording = info
    return target


def recorded_inputs(path: str, function: Callable, function_name: str) -> Tuple[List[Any], Dict[str, Any]]:
    """The recorded calls as (args, kwargs) items, and what the report says about them (file, skipped, stale)."""
    shown = os.path.basename(path)
    try:
        recording = read_recording(path)
    except ValueError as error:
        raise HarnessError("inputs-failed", "The recorded inputs cannot be used: %s." % error) from None
    header = recording.header
    if header.get("function") != function_name:
        raise HarnessError(
            "inputs-failed",
            "%s is a recording of %s, not of %s; record %s, or name its own recording."
            % (shown, header.get("function"), function_name, function_name),
        )
    problem = interpreter_problem(header)
    if problem:
        raise HarnessError("inputs-failed", "The recorded inputs in %s cannot be used: %s." % (shown, problem))
    items, skipped = recorded_calls(recording)
    if not items:
        raise HarnessError(
            "inputs-failed",
            "%s holds no call that can be used (%d skipped: %s); record again."
            % (shown, len(skipped), "; ".join("call %d: %s" % (s["call"], s["reason"]) for s in skipped[:3]) or "none"),
        )
    info = {
        "file": path,
        "calls": len(items),
        "skipped": skipped,
        "stale": header.get("sourceHash") != source_hash(function),
        "recordedAt": str(header.get("createdAt", "")),
    }
    return items, info
