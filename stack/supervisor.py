"""Restarts a child that exits without being asked to: a crashed worker comes back by itself.

    supervisor = Supervisor(worker.process)
    supervisor.start()     # starts the child, then watches it
    ...
    supervisor.stop()      # stops watching, then stops the child

The watcher thread forks every restart, and lives as long as the supervision, so the children's
PDEATHSIG (stack/processes.py) ties them to it. Restarts back off from 0.5 s to ``max_backoff_s``
while the child keeps dying within ``stable_s`` of its start.
"""

from __future__ import annotations

import logging
import threading
import time

from stack.processes import ManagedProcess, ProcessNotReady

log = logging.getLogger(__name__)


class Supervisor:
    def __init__(self, process: ManagedProcess, max_backoff_s: float = 10.0,
                 stable_s: float = 60.0) -> None:
        self.process = process
        self.max_backoff_s, self.stable_s = max_backoff_s, stable_s
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None

    def start(self) -> float:
        """Start the child (in the watcher thread) and return once it is ready."""
        self._stopping.clear()
        began = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=f"supervise-{self.process.name}",
                                        daemon=True)
        self._thread.start()
        self._started.wait()
        if self._error is not None:
            raise self._error
        return time.monotonic() - began

    def stop(self) -> None:
        self._stopping.set()
        self.process.stop()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            self.process.start()
        except BaseException as exc:  # reported to start()'s caller
            self._error = exc
            self._started.set()
            return
        self._started.set()
        backoff, since = 0.5, time.monotonic()
        while not self._stopping.is_set():
            code = self.process.proc.wait()
            if self._stopping.is_set():
                return
            backoff = 0.5 if time.monotonic() - since > self.stable_s else min(backoff * 2, self.max_backoff_s)
            log.warning("%s exited with code %s; restarting it in %.1fs", self.process.name, code, backoff)
            if self._stopping.wait(backoff):
                return
            since = time.monotonic()
            try:
                took = self.process.start()
            except ProcessNotReady as exc:
                log.error("%s did not come back: %s", self.process.name, exc)
                continue
            self.restarts += 1
            log.warning("%s is back after %.1fs (restart %d)", self.process.name, took, self.restarts)
