"""sha256 over a canonical form of the results, equal for equal values across processes and hash seeds.

Sets and dicts are ordered by the repr of their elements and keys, floats by repr, NumPy arrays by dtype, shape
and bytes (when NumPy is already loaded); anything else by its instance dict, then pickle, then repr.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import struct
import sys
from typing import Any, Iterable, List

_pack_length = struct.Struct("<q").pack
# Default reprs carry the object's address, which differs between processes for equal results.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def result_hash(results: Iterable[Any]) -> str:
    digest = hashlib.sha256()
    items = list(results)
    digest.update(b"L" + _pack_length(len(items)))
    active: set = set()
    for value in items:
        _feed(digest, value, active)
    return digest.hexdigest()


def _feed(digest: Any, value: Any, active: set) -> None:
    kind = type(value)
    if value is None or kind is bool:
        digest.update(b"c" + repr(value).encode())
    elif kind is int:
        text = repr(value).encode()
        digest.update(b"i" + _pack_length(len(text)) + text)
    elif kind is float or kind is complex:
        text = repr(value).encode()
        digest.update(b"f" + _pack_length(len(text)) + text)
    elif kind is str:
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"s" + _pack_length(len(data)) + data)
    elif kind is bytes or kind is bytearray:
        digest.update(b"b" + _pack_length(len(value)) + bytes(value))
    else:
        key = id(value)
        if key in active:
            digest.update(b"R")  # a cycle: the same container again
            return
        active.add(key)
        try:
            _feed_composite(digest, value, kind, active)
        finally:
            active.discard(key)


def _feed_composite(digest: Any, value: Any, kind: type, active: set) -> None:
    if kind is list or kind is tuple:
        digest.update((b"l" if kind is list else b"t") + _pack_length(len(value)))
        for item in value:
            _feed(digest, item, active)
    elif isinstance(value, dict):
        entries = _sorted_by_repr(value.keys())
        digest.update(b"d" + _type_tag(kind) + _pack_length(len(entries)))
        for entry in entries:
            _feed(digest, entry, active)
            _feed(digest, value[entry], active)
    elif isinstance(value, (set, frozenset)):
        entries = _sorted_by_repr(value)
        digest.update(b"S" + _pack_length(len(entries)))
        for entry in entries:
            _feed(digest, entry, active)
    elif _is_numpy(value):
        _feed_numpy(digest, value, active)
    elif isinstance(value, (list, tuple)):
        digest.update(b"q" + _type_tag(kind) + _pack_length(len(value)))
        for item in value:
            _feed(digest, item, active)
    elif hasattr(value, "__dict__") and not isinstance(value, type) and type(value).__reduce_ex__ is object.__reduce_ex__:
        # Plain user objects: their attributes, since pickling a dict of sets would follow the hash seed.
        digest.update(b"o" + _type_tag(kind))
        _feed(digest, dict(vars(value)), active)
    else:
        _feed_opaque(digest, value)


def _feed_numpy(digest: Any, value: Any, active: set) -> None:
    numpy = sys.modules["numpy"]
    if isinstance(value, numpy.ndarray) and value.dtype.hasobject:
        digest.update(b"N" + repr(value.shape).encode())
        _feed(digest, value.tolist(), active)
        return
    array = numpy.ascontiguousarray(value)
    header = ("%s%r" % (array.dtype.str, array.shape)).encode()
    digest.update(b"n" + _pack_length(len(header)) + header)
    digest.update(array.tobytes())


def _feed_opaque(digest: Any, value: Any) -> None:
    try:
        data = pickle.dumps(value, protocol=4)
        digest.update(b"p" + _pack_length(len(data)) + data)
    except Exception:
        data = _ADDRESS.sub("", repr(value)).encode("utf-8", "replace")
        digest.update(b"r" + _pack_length(len(data)) + data)


def _is_numpy(value: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic))


def _sorted_by_repr(values: Iterable[Any]) -> List[Any]:
    keyed = []
    for value in values:
        try:
            text = repr(value)
        except Exception:
            text = type(value).__name__
        keyed.append((text, value))
    keyed.sort(key=lambda pair: pair[0])
    return [value for _, value in keyed]


def _type_tag(kind: type) -> bytes:
    name = ("%s.%s" % (getattr(kind, "__module__", ""), kind.__qualname__)).encode()
    return _pack_length(len(name)) + name
