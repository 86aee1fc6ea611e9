"""The worker (Faust stages + gateway) as a child process, for ``make run``, tests and benchmarks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from aurasense.settings import Settings
from stack.processes import ManagedProcess


class WorkerProcess:
    def __init__(self, settings: Settings, log_path: Path, name: str = "worker") -> None:
        self.settings = settings
        env = {**os.environ, **settings.to_env(), "OMP_NUM_THREADS": "1",
               "GRAPHITI_TELEMETRY_ENABLED": "false", "PYTHONUNBUFFERED": "1"}
        self.process = ManagedProcess(name, [sys.executable, "-m", "streams.worker"], log_path,
                                      ready=settings.gateway_port, env=env, start_timeout=180,
                                      stop_grace=15)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.settings.gateway_host}:{self.settings.gateway_port}"

    def start(self) -> float:
        """Start; returns once the gateway port answers (use the client's wait_ready for the rest)."""
        return self.process.start()

    def stop(self) -> None:
        self.process.stop()

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self.process.kill()
