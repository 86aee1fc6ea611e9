"""stack/supervisor.py: a child that dies without being asked to is started again; one that is
stopped stays stopped."""

from __future__ import annotations

import os
import signal
import sys
import time

from stack.processes import ManagedProcess, free_port, port_open
from stack.supervisor import Supervisor


def _wait(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_killed_child_comes_back_and_a_stopped_one_stays_down(tmp_path):
    port = free_port()
    child = ManagedProcess("http", [sys.executable, "-m", "http.server", str(port), "--bind",
                                    "127.0.0.1"], tmp_path / "http.log", ready=port)
    supervisor = Supervisor(child)
    supervisor.start()
    try:
        first = child.pid
        os.kill(first, signal.SIGKILL)  # a crash, not a stop
        _wait(lambda: supervisor.restarts == 1)
        assert child.pid != first and port_open(port)
    finally:
        supervisor.stop()
    assert not child.running() and not port_open(port)
