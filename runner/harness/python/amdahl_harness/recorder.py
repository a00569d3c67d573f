"""`amdahl record`'s side inside the user's own program: wraps the target function when its module is imported and
writes the arguments of its first calls to a recording (recording.py).

Started by record_site/sitecustomize.py from AMDAHL_RECORD (JSON: file, function, session, maxCalls, maxBytes, root).
The wrapper records, then calls the function with the same arguments and gives back what it returns or raises;
nothing the recorder does can raise into the program. One process records: the first whose call claims the
session's recording file; the others (pool workers, forked children) only call through. Events for the command
line go to events-<pid>.jsonl in the session folder, one JSON object per line.
"""
from __future__ import annotations

import atexit
import functools
import importlib.abc
import json
import os
import pickle
import sys
import threading
import time
import types
from typing import Any, Callable, Dict, List, Optional

from .recording import FORMAT, FORMAT_VERSION, interpreter, source_hash, write_record


class Recorder:
    def __init__(self, config: Dict[str, Any]) -> None:
        self.file = os.path.realpath(config["file"])
        self.function = str(config["function"])
        self.session = str(config["session"])
        self.max_calls = int(config["maxCalls"])
        self.max_bytes = int(config["maxBytes"])
        self.root = os.path.realpath(config.get("root") or os.getcwd())
        self.lock = threading.Lock()
        self.active = threading.local()
        self.owner: Optional[int] = None
        self.stream: Any = None
        self.recorded = 0
        self.bytes = 0
        self.done = False
        self.module_imported = False

    # ------------------------------------------------------------------ events for the command line

    def event(self, **fields: Any) -> None:
        try:
            path = os.path.join(self.session, "events-%d.jsonl" % os.getpid())
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(fields, default=str) + "\n")
        except Exception:
            pass

    def at_exit(self) -> None:
        """What this process imported from the project: the command line names it when the function was never called."""
        modules = []
        for name, module in list(sys.modules.items()):
            where = getattr(module, "__file__", None)
            if isinstance(where, str) and _inside(os.path.realpath(where), self.root) and "site-packages" not in where:
                modules.append(name)
        self.event(exit=True, imported=self.module_imported, modules=sorted(modules))
        if self.stream is not None and self.owner == os.getpid():
            try:
                self.stream.close()
            except Exception:
                pass

    # ------------------------------------------------------------------ wrapping

    def wrap_module(self, module: types.ModuleType) -> None:
        self.module_imported = True
        function = vars(module).get(self.function)
        if not isinstance(function, types.FunctionType):
            functions = sorted(
                k for k, v in vars(module).items() if isinstance(v, types.FunctionType) and v.__module__ == module.__name__
            )
            self.event(missing=True, module=module.__name__, found=type(function).__name__, functions=functions)
            return
        hashed = source_hash(function)
        recorder = self

        @functools.wraps(function)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            if not recorder.done:
                recorder.record(args, kwargs, sys._getframe(1), module.__name__, hashed)
            return function(*args, **kwargs)

        setattr(module, self.function, recorded)
        self.event(wrapped=True, module=module.__name__)

    # ------------------------------------------------------------------ recording

    def record(self, args: tuple, kwargs: dict, caller: Any, module: str, hashed: str) -> None:
        # Pickling runs the arguments' own code, which may call the function again: that call is not recorded.
        if getattr(self.active, "on", False):
            return
        self.active.on = True
        try:
            with self.lock:
                if self.done or not self.claim(module, hashed):
                    return
                self.record_one(args, kwargs, "%s:%d" % (caller.f_code.co_filename, caller.f_lineno))
        except Exception as error:  # the program goes on whatever the recorder meets
            self.event(internal="%s: %s" % (type(error).__name__, error))
        finally:
            self.active.on = False

    def claim(self, module: str, hashed: str) -> bool:
        """The first process to call the function records; a forked child of it does not share its file."""
        pid = os.getpid()
        if self.owner is not None:
            return self.owner == pid
        try:
            fd = os.open(os.path.join(self.session, "calls.pkl"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            self.owner = -1
            self.done = True
            return False
        self.owner = pid
        self.stream = os.fdopen(fd, "wb")
        header = {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "function": self.function,
            "module": module,
            "file": self.file,
            "sourceHash": hashed,
            "interpreter": interpreter(),
            "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        write_record(self.stream, header)
        self.event(claimed=True, module=module, interpreter=header["interpreter"], sourceHash=hashed)
        return True

    def record_one(self, args: tuple, kwargs: dict, site: str) -> None:
        try:
            data = pickle.dumps((args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            reason = "%s: %s" % (type(error).__name__, error)
            named = _unpicklable_part(args, kwargs)
            write_record(self.stream, {"skipped": reason, "site": site, "argument": named})
            self.event(skipped=reason, site=site, argument=named)
            return
        if self.bytes + len(data) > self.max_bytes:
            self.done = True
            self.event(stopped="max-bytes", calls=self.recorded, bytes=self.bytes, next=len(data))
            return
        write_record(self.stream, {"call": data, "bytes": len(data), "site": site, "sizes": _sizes(args, kwargs)})
        self.recorded += 1
        self.bytes += len(data)
        self.event(call=self.recorded, bytes=len(data), site=site)
        if self.recorded >= self.max_calls:
            self.done = True
            self.event(stopped="max-calls", calls=self.recorded, bytes=self.bytes)


def _sizes(args: tuple, kwargs: dict) -> Dict[str, Any]:
    """Shapes and lengths of the arguments, for the summary: what the recorded data looks like without loading it."""
    def size(value: Any) -> Any:
        shape = getattr(value, "shape", None)
        if isinstance(shape, tuple):
            return list(shape)
        try:
            return len(value)
        except Exception:
            return None

    return {"args": [size(a) for a in args], "kwargs": {k: size(v) for k, v in kwargs.items()}}


def _unpicklable_part(args: tuple, kwargs: dict) -> str:
    """Which argument could not be pickled: "argument 2 (a _thread.lock)" or "keyword lock (a _thread.lock)"."""
    named: List[Any] = [("argument %d" % (i + 1), a) for i, a in enumerate(args)]
    named += [("keyword %s" % k, v) for k, v in kwargs.items()]
    for name, value in named:
        try:
            pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            kind = type(value)
            return "%s (a %s.%s)" % (name, kind.__module__, kind.__qualname__)
    return "the arguments together"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


class _WrappingLoader(importlib.abc.Loader):
    """The module's own loader; once it has run the module, the recorder wraps the function."""

    def __init__(self, loader: Any, recorder: Recorder) -> None:
        self.loader = loader
        self.recorder = recorder

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        self.recorder.wrap_module(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds modules as the finders after it do, and hands the target file's module a wrapping loader."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        stem = os.path.splitext(os.path.basename(recorder.file))[0]
        # The last part of the name a module of this file can have: its stem, or its folder for an __init__.py.
        self.tail = os.path.basename(os.path.dirname(recorder.file)) if stem == "__init__" else stem
        self.busy = threading.local()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name.rpartition(".")[2] != self.tail or getattr(self.busy, "on", False):
            return None
        self.busy.on = True
        try:
            spec = None
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if finder is self or find is None:
                    continue
                spec = find(name, path, target)
                if spec is not None:
                    break
        finally:
            self.busy.on = False
        origin = getattr(spec, "origin", None)
        if spec is None or spec.loader is None or not isinstance(origin, str):
            return None
        if os.path.realpath(origin) != self.recorder.file:
            return None
        spec.loader = _WrappingLoader(spec.loader, self.recorder)
        return spec


def install(config_text: str) -> None:
    recorder = Recorder(json.loads(config_text))
    sys.meta_path.insert(0, _Finder(recorder))
    atexit.register(recorder.at_exit)
    main = sys.argv[0] if sys.argv else ""
    if main and os.path.isfile(main) and os.path.realpath(main) == recorder.file:
        recorder.event(mainScript=True)
