"""The calibration pass: pickle every argument and kept result (to find what cannot cross a process boundary),
and time serialize/deserialize over a sample of up to 50 of each (docs/method.md section 3)."""
from __future__ import annotations

import pickle
from multiprocessing.reduction import ForkingPickler
from typing import Any, Dict, List, Optional, Tuple

from .failures import type_name
from .serialization import first_unpicklable_argument, pickling_error, result_error
from .target import Target
from . import clocks

SAMPLE = 50


def _sample_indices(count: int) -> List[int]:
    if count <= SAMPLE:
        return list(range(count))
    step = count / float(SAMPLE)
    return sorted({int(i * step) for i in range(SAMPLE)})


def _timed(values: List[Any]) -> Tuple[float, float, float]:
    """Mean seconds to dumps, to loads, and mean bytes, per value."""
    if not values:
        return 0.0, 0.0, 0.0
    dump_total = load_total = 0.0
    size_total = 0
    for value in values:
        start = clocks.perf_counter()
        data = ForkingPickler.dumps(value)
        middle = clocks.perf_counter()
        pickle.loads(data)
        end = clocks.perf_counter()
        dump_total += middle - start
        load_total += end - middle
        size_total += len(data)
    count = float(len(values))
    return dump_total / count, load_total / count, size_total / count


def calibrate(target: Target, kept_results: Optional[List[Any]]) -> Dict[str, Any]:
    argument = first_unpicklable_argument(target.items)
    if argument is not None:
        raise argument
    results = kept_results or []
    for index, result in enumerate(results):
        problem = pickling_error(result)
        if problem is not None:
            raise result_error(target.function_name, index, target.items[index], target.starmap, type_name(result), problem)
    indices = _sample_indices(len(target.items))
    arguments = [target.items[i] for i in indices]
    sampled_results = [results[i] for i in indices if i < len(results)]
    argument_dump, argument_load, argument_bytes = _timed(arguments)
    result_dump, result_load, result_bytes = _timed(sampled_results)
    return {
        "argumentSerializeSeconds": argument_dump,
        "argumentDeserializeSeconds": argument_load,
        "argumentBytes": argument_bytes,
        "resultSerializeSeconds": result_dump,
        "resultDeserializeSeconds": result_load,
        "resultBytes": result_bytes,
        "sampled": len(indices),
    }
