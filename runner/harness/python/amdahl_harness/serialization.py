"""Finding what cannot be serialized, and saying so as a not-serializable error naming the input and the type.

Each engine serializes its own way (multiprocessing's pickler, cloudpickle, ipyparallel's serialize_object); a
Serializer names the word for it and who serializes what, for the sentence."""
from __future__ import annotations

from multiprocessing.reduction import ForkingPickler
from typing import Any, Callable, List, NamedTuple, Optional, Tuple

from .failures import HarnessError, describe_call, type_name

PROCESS_NOTE = "process pools pickle every argument to send it to a worker and every result to send it back; the thread backend needs neither"


class Serializer(NamedTuple):
    dumps: Callable[[Any], Any]
    #: "pickled" or "serialized": "cannot be <verb>".
    verb: str
    #: Who serializes what, ending the sentence.
    note: str


PROCESS = Serializer(ForkingPickler.dumps, "pickled", PROCESS_NOTE)


def pickling_error(value: Any, serializer: Serializer = PROCESS) -> Optional[str]:
    try:
        serializer.dumps(value)
    except Exception as error:
        return "%s: %s" % (type(error).__name__, error)
    return None


def first_unpicklable_argument(items: List[Any], serializer: Serializer = PROCESS) -> Optional[HarnessError]:
    for index, item in enumerate(items):
        problem = pickling_error(item, serializer)
        if problem is not None:
            return argument_error(index, item, problem, serializer)
    return None


def argument_error(index: int, item: Any, problem: str, serializer: Serializer = PROCESS) -> HarnessError:
    return HarnessError(
        "not-serializable",
        "Input %d (a %s) cannot be %s (%s); %s." % (index, type_name(item), serializer.verb, problem, serializer.note),
        input_index=index,
    )


def result_error(
    function_name: str, index: int, item: Any, starmap: bool, kind: str, problem: str, serializer: Serializer = PROCESS
) -> HarnessError:
    return HarnessError(
        "not-serializable",
        "The result of %s (input %d) is a %s, which cannot be %s (%s); %s."
        % (describe_call(function_name, item, starmap), index, kind, serializer.verb, problem, serializer.note),
        input_index=index,
    )


def result_problem(
    index: int, function: Any, item: Any, starmap: bool, dumps: Callable[[Any], Any]
) -> Optional[Tuple[int, str, str]]:
    """Runs one task again, in the worker that could not send its result, and serializes that result with dumps:
    (input, type, error) when it cannot be, else None."""
    result = function(*item) if starmap else function(item)
    try:
        dumps(result)
    except Exception as error:
        return (index, type_name(result), "%s: %s" % (type(error).__name__, error))
    return None
