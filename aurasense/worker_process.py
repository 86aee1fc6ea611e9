"""The worker (Faust stages + gateway) as a child process, for ``make run``, tests and benchmarks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.settings import Settings
from stack.processes import ManagedProcess
from stack.supervisor import Supervisor


class WorkerProcess:
    def __init__(self, settings: Settings, log_path: Path, name: str = "worker",
                 supervise: bool = False) -> None:
        """``supervise``: a worker that exits without ``stop()`` is started again (stack/supervisor.py)."""
        self.settings = settings
        env = {**os.environ, **settings.to_env(), "OMP_NUM_THREADS": "1",
               "GRAPHITI_TELEMETRY_ENABLED": "false", "PYTHONUNBUFFERED": "1"}
        self.process = ManagedProcess(name, [sys.executable, "-m", "streams.worker"], log_path,
                                      ready=settings.gateway_port, env=env, start_timeout=180,
                                      stop_grace=15)
        self.supervisor = Supervisor(self.process) if supervise else None

    @property
    def gateway_url(self) -> str:
        return f"http://{self.settings.gateway_host}:{self.settings.gateway_port}"

    def start(self) -> float:
        """Start; returns once the gateway port answers (use the client's wait_ready for the rest)."""
        return (self.supervisor or self.process).start()

    def stop(self) -> None:
        (self.supervisor or self.process).stop()

    def kill(self) -> None:
        """SIGKILL, as a crash would (a supervised worker then comes back by itself)."""
        self.process.kill()
