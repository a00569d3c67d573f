"""The harness's state between commands (the loaded target, the open pools) and one handler per op."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from .backends import backend_class
from .backends.base import Backend
from . import machine_load
from .calibration import calibrate
from .channel import Channel, log
from .failures import HarnessError
from .preload import preload
from .target import Target, load_target
from .threadpools import threadpools
from .timing_cost import task_timing_seconds
from . import clocks

# How long exit waits for a pool's workers to leave by themselves before killing them.
SHUTDOWN_SECONDS = 2.0


class Session:
    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.target: Optional[Target] = None
        self.pools: Dict[str, Backend] = {}
        # Results of the serial warm-up pass, for calibration; dropped once calibrated.
        self.serial_results: Optional[List[Any]] = None
        self.handlers: Dict[str, Callable[[Dict[str, Any]], Dict[str, Any]]] = {
            "load": self.load,
            "calibrate": self.calibrate,
            "open": self.open,
            "pass": self.run_pass,
            "close": self.close,
            "exit": self.exit,
        }

    def handle(self, command: Dict[str, Any]) -> Dict[str, Any]:
        op = command.get("op")
        handler = self.handlers.get(op) if isinstance(op, str) else None
        if handler is None:
            raise HarnessError("bad-command", "Unknown op %r; expected one of %s." % (op, ", ".join(self.handlers)))
        return handler(command)

    def _loaded(self) -> Target:
        if self.target is None:
            raise HarnessError("bad-command", "No target is loaded: send load first.")
        return self.target

    def _pool(self, command: Dict[str, Any]) -> Backend:
        pool_id = command.get("id")
        pool = self.pools.get(pool_id) if isinstance(pool_id, str) else None
        if pool is None:
            raise HarnessError("bad-command", "No open pool with id %r (open it first, or it failed)." % (pool_id,))
        return pool

    def load(self, command: Dict[str, Any]) -> Dict[str, Any]:
        if self.target is not None:
            raise HarnessError("bad-command", "A target is loaded already; start a fresh harness for another.")
        preload()
        clocks.shield_stdlib()
        start = clocks.monotonic()
        target = load_target(
            command["file"],
            command["function"],
            command.get("inputs"),
            bool(command.get("starmap")),
            command.get("recording"),
        )
        import_seconds = clocks.monotonic() - start
        self.target = target
        return {
            "type": "loaded",
            "inputCount": len(target.items),
            "threadpools": threadpools(),
            "importSeconds": import_seconds,
            "module": target.placement.module,
            "pathEntries": target.placement.added,
            "taskTimingSeconds": task_timing_seconds(),
            "clocksReplaced": clocks.replaced(),
            **({"recording": target.recording} if target.recording is not None else {}),
        }

    def calibrate(self, command: Dict[str, Any]) -> Dict[str, Any]:
        target = self._loaded()
        if self.serial_results is None:
            log("calibrate before the serial warm-up: result sizes are not measured")
        calibration = calibrate(target, self.serial_results)
        self.serial_results = None
        return {"type": "calibrated", "calibration": calibration}

    def open(self, command: Dict[str, Any]) -> Dict[str, Any]:
        target = self._loaded()
        config = command.get("config") or {}
        pool_id = config.get("id")
        if not isinstance(pool_id, str):
            raise HarnessError("bad-command", "open needs config.id, a string.")
        if pool_id in self.pools:
            raise HarnessError("bad-command", "A pool with id %r is open already." % pool_id)
        backend_name = config.get("backend")
        kind = backend_class(backend_name) if isinstance(backend_name, str) else None
        if kind is None:
            raise HarnessError(
                "backend-unavailable", "This Python harness has no %r backend." % (backend_name,)
            )
        backend = kind(config, target, self.channel)
        opened, results = backend.open()
        self.pools[pool_id] = backend
        if backend.name == "serial":
            self.serial_results = results
        return opened

    def run_pass(self, command: Dict[str, Any]) -> Dict[str, Any]:
        pool = self._pool(command)
        sample = int(command.get("sample", 0))
        try:
            pool.memory_watch.before_pass()
            workers = pool.worker_processes()
            before = machine_load.reading(workers)
            if command.get("timing") == "none":
                message = pool.run_untimed(sample)
            else:
                message, _ = pool.run_pass(sample, warmup=False)
            message["load"] = machine_load.load_between(before, machine_load.reading(workers))
            pool.memory_watch.after_pass()
        except HarnessError as error:
            if error.code == "worker-died":
                self.pools.pop(pool.id, None)  # terminated: later passes on it are refused clearly
            raise
        return message

    def close(self, command: Dict[str, Any]) -> Dict[str, Any]:
        pool = self._pool(command)
        del self.pools[pool.id]
        closed = pool.close()
        closed.update(pool.memory_watch.own_fields(pool.shared_process))
        closed.update({"type": "closed", "id": pool.id})
        return closed

    def exit(self, command: Dict[str, Any]) -> Dict[str, Any]:
        self.shutdown()
        return {"type": "bye"}

    def shutdown(self) -> None:
        """Ends every pool: nothing runs between commands, so idle workers exit at once; a stuck one is killed."""
        for pool_id in list(self.pools):
            pool = self.pools.pop(pool_id)
            try:
                pool.shutdown(SHUTDOWN_SECONDS)
            except Exception as error:
                log("closing %s failed: %s" % (pool_id, error))
                try:
                    pool.terminate()
                except Exception:
                    pass
