"""Finding what cannot be pickled, and saying so as a not-serializable error naming the input and the type."""
from __future__ import annotations

from multiprocessing.reduction import ForkingPickler
from typing import Any, List, Optional

from .failures import HarnessError, describe_call, type_name

PROCESS_NOTE = "process pools pickle every argument to send it to a worker and every result to send it back; the thread backend needs neither"


def pickling_error(value: Any) -> Optional[str]:
    try:
        ForkingPickler.dumps(value)
    except Exception as error:
        return "%s: %s" % (type(error).__name__, error)
    return None


def first_unpicklable_argument(items: List[Any]) -> Optional[HarnessError]:
    for index, item in enumerate(items):
        problem = pickling_error(item)
        if problem is not None:
            return argument_error(index, item, problem)
    return None


def argument_error(index: int, item: Any, problem: str) -> HarnessError:
    return HarnessError(
        "not-serializable",
        "Input %d (a %s) cannot be pickled (%s); %s." % (index, type_name(item), problem, PROCESS_NOTE),
        input_index=index,
    )


def result_error(function_name: str, index: int, item: Any, starmap: bool, kind: str, problem: str) -> HarnessError:
    return HarnessError(
        "not-serializable",
        "The result of %s (input %d) is a %s, which cannot be pickled (%s); %s."
        % (describe_call(function_name, item, starmap), index, kind, problem, PROCESS_NOTE),
        input_index=index,
    )
