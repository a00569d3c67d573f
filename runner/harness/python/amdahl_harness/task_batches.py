"""A pass's task timings sent in batches before its answer (protocol/harness.ts TaskBatchMessage): columns of whole
nanoseconds from the pass's map start, so that neither the harness's channel nor the runner holds a pass of a
million tasks as one line."""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

#: Tasks per batch, as protocol/harness.ts TASK_BATCH_SIZE.
BATCH_SIZE = 16384
NS = 1e9


def _batches(
    pool_id: str, sample: int, origin: float, tasks: List[Dict[str, Any]], result_times: Optional[List[Any]]
) -> Iterator[Dict[str, Any]]:
    with_cpu = all(task.get("cpu") is not None for task in tasks)
    received = {int(index): time for index, time in result_times} if result_times is not None else None
    with_results = received is not None and all(task["input"] in received for task in tasks)
    for start in range(0, len(tasks), BATCH_SIZE):
        part = tasks[start : start + BATCH_SIZE]
        names: Dict[str, int] = {}
        worker = [names.setdefault(task["worker"], len(names)) for task in part]
        batch = {
            "type": "tasks",
            "id": pool_id,
            "sample": sample,
            "origin": origin,
            "total": len(tasks),
            "workers": list(names),
            "worker": worker,
            "input": [task["input"] for task in part],
            "start": [round((task["start"] - origin) * NS) for task in part],
            "duration": [round((task["end"] - task["start"]) * NS) for task in part],
            "cpu": [round(task["cpu"] * NS) for task in part] if with_cpu else None,
        }
        if with_results:
            batch["result"] = [round((received[task["input"]] - origin) * NS) for task in part]
        yield batch


def _batched(send: Any, pass_message: Dict[str, Any]) -> None:
    """Sends the pass's tasks in batches and leaves the message with the counts in their place."""
    tasks = pass_message.get("tasks") or []
    if not tasks:
        return
    count = 0
    result_times = pass_message.get("resultTimes")
    for batch in _batches(pass_message["id"], pass_message["sample"], pass_message["mapStart"], tasks, result_times):
        send(batch)
        count += 1
    pass_message["tasks"] = []
    pass_message["taskBatches"] = count
    pass_message["taskCount"] = len(tasks)
    pass_message.pop("resultTimes", None)


def send_answer(channel: Any, answer: Dict[str, Any]) -> None:
    """Sends an answer; a pass's tasks (a counted pass's, or an opened pool's warm-up pass's) go first in batches."""
    if answer.get("type") == "pass":
        _batched(channel.send, answer)
    elif answer.get("type") == "opened" and isinstance(answer.get("warmup"), dict):
        _batched(channel.send, answer["warmup"])
    channel.send(answer)
