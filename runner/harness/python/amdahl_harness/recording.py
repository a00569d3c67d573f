"""Recorded calls: the file `amdahl record` writes, and how a profile reads it back and calls the function with it.

A recording is a stream of pickles: first a header (plain dict), then one record per call. A record is a plain dict
holding the call's own pickle as bytes ({"call": bytes, "bytes": n, "site": "file:line"}), or a call that could not
be pickled ({"skipped": reason, "site": ...}). Header and records hold only built-in types, so they are read with an
unpickler that refuses every global: a file that is not a recording is refused before any of its code can run. Only
the calls themselves are unpickled normally, one at a time, and only from a file the user named (`--inputs
@recorded` or `--inputs @file.pkl`): unpickling runs code the file names.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
from typing import Any, BinaryIO, Callable, Dict, List, Tuple

FORMAT = "amdahl-recording"
FORMAT_VERSION = 1
#: The Target.starmap value of recorded calls: each item is (args, kwargs), applied as fn(*args, **kwargs).
CALL = "call"


def source_hash(function: Callable) -> str:
    """sha256 of the function's source text (of its code when the source cannot be read): a changed function is stale."""
    import inspect  # here: pool workers import this module, and inspect costs each of them milliseconds

    try:
        text = inspect.getsource(function).encode("utf-8")
    except (OSError, TypeError):
        code = getattr(function, "__code__", None)
        text = code.co_code if code is not None else repr(function).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def interpreter() -> Dict[str, Any]:
    """Which interpreter wrote the pickles: another implementation or minor version may not read them."""
    return {
        "implementation": sys.implementation.name,
        "version": list(sys.version_info[:3]),
        "executable": sys.executable,
    }


def shown_interpreter(info: Dict[str, Any]) -> str:
    names = {"cpython": "CPython", "pypy": "PyPy"}
    name = names.get(str(info.get("implementation")), str(info.get("implementation")))
    return "%s %s" % (name, ".".join(str(part) for part in info.get("version") or []))


def write_record(stream: BinaryIO, record: Dict[str, Any]) -> None:
    """One record in one write, so a process that dies leaves whole records behind."""
    stream.write(pickle.dumps(record, protocol=4))
    stream.flush()


class _PlainUnpickler(pickle.Unpickler):
    """Built-in types only: names no class or function, so loading runs no code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError("it names %s.%s" % (module, name))


def _plain(stream: BinaryIO) -> Any:
    return _PlainUnpickler(stream).load()


class Recording:
    def __init__(self, header: Dict[str, Any], records: List[Dict[str, Any]]) -> None:
        self.header = header
        self.records = records


def read_recording(path: str) -> Recording:
    """Header and records, read without running code; ValueError says why the file is not a usable recording."""
    shown = os.path.basename(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise ValueError("%s cannot be read: %s" % (path, error.strerror or error)) from None
    stream = io.BytesIO(data)
    try:
        header = _plain(stream)
    except Exception as error:
        raise ValueError(
            "%s is not an Amdahl recording (its start is not a recording header: %s); record one with "
            "`amdahl record <file>:<function> -- <command>`" % (shown, _reason(error))
        ) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(
            "%s is not an Amdahl recording (it holds a pickled %s); record one with "
            "`amdahl record <file>:<function> -- <command>`" % (shown, type(header).__name__)
        )
    if header.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(
            "%s is a recording of format %r, which this version of Amdahl does not read; record it again"
            % (shown, header.get("formatVersion"))
        )
    records: List[Dict[str, Any]] = []
    while stream.tell() < len(data):
        try:
            record = _plain(stream)
        except Exception:
            break  # the recording process died while writing its last record: keep the whole ones
        if isinstance(record, dict):
            records.append(record)
    return Recording(header, records)


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def interpreter_problem(header: Dict[str, Any]) -> str:
    """Why this interpreter cannot unpickle the recording's calls, or "" when it can."""
    recorded = header.get("interpreter") or {}
    here = interpreter()
    version = list(recorded.get("version") or [])
    if recorded.get("implementation") == here["implementation"] and version[:2] == here["version"][:2]:
        return ""
    return (
        "the calls were recorded by %s (%s) and this profile runs %s (%s): pickles of one interpreter version are "
        "not read reliably by another; profile with --python %s, or record again with this interpreter"
        % (
            shown_interpreter(recorded),
            recorded.get("executable", "?"),
            shown_interpreter(here),
            here["executable"],
            recorded.get("executable", "<the recording's interpreter>"),
        )
    )


def recorded_calls(recording: Recording) -> Tuple[List[Tuple[tuple, dict]], List[Dict[str, Any]]]:
    """The calls as (args, kwargs), and the ones skipped: {call, site, reason} for each that cannot be used."""
    calls: List[Tuple[tuple, dict]] = []
    skipped: List[Dict[str, Any]] = []
    for number, record in enumerate(recording.records):
        site = str(record.get("site", "?"))
        if "skipped" in record:
            skipped.append({"call": number, "site": site, "reason": str(record["skipped"])})
            continue
        try:
            args, kwargs = pickle.loads(record["call"])
            calls.append((tuple(args), dict(kwargs)))
        except Exception as error:
            reason = "unpickling it raised %s: %s" % (type(error).__name__, _reason(error))
            skipped.append({"call": number, "site": site, "reason": reason})
    return calls, skipped


def callable_for(function: Callable, starmap: Any) -> Callable:
    """The function as the pools call it: recorded calls arrive as (args, kwargs) and are spread by starmap."""
    if starmap != CALL:
        return function

    def apply(args: tuple, kwargs: dict) -> Any:
        return function(*args, **kwargs)

    return apply
