"""Remote clocks: a worker's offset from the harness's monotonic clock, by the round-trip midpoint, and the
conversion of worker timings onto the harness's clock."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple
from .. import clocks

ROUND_TRIPS = 5


def estimate_offset(ask: Callable[[], Tuple[float, str]], local_boot_id: str) -> Tuple[float, float]:
    """(offset, round trip) of the fastest of a few round trips: harness time = worker time + offset.

    The worker read its clock somewhere inside the round trip; the midpoint is the guess, off by at most half the
    round trip, so the shortest one bounds the error best. A worker on this kernel (same boot id) reads the same
    CLOCK_MONOTONIC: its offset is exactly 0, which is better than any estimate.
    """
    best = (0.0, float("inf"))
    for _ in range(ROUND_TRIPS):
        sent = clocks.monotonic()
        remote, remote_boot = ask()
        back = clocks.monotonic()
        if local_boot_id and remote_boot == local_boot_id:
            return (0.0, back - sent)
        trip = back - sent
        if trip < best[1]:
            best = ((sent + back) / 2.0 - remote, trip)
    return best


def shift_answers(answers: List[Any], offsets: Dict[str, float]) -> List[Any]:
    """Task answers (result, (worker, input, W3, W4, cpu)) with W3, W4 moved onto the harness's clock."""
    shifted: List[Any] = []
    for answer in answers:
        if type(answer) is tuple:
            result, (worker, index, start, end, cpu) = answer
            offset = offsets.get(worker, 0.0)
            answer = (result, (worker, index, start + offset, end + offset, cpu))
        shifted.append(answer)
    return shifted
