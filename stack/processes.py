"""Child processes of the local stack: start, wait until ready, stop, never orphan.

Each child runs in its own process group (so ``stop()`` reaches anything it
forks), writes stdout/stderr to a log file, and gets ``PR_SET_PDEATHSIG=SIGKILL``
so it dies with its parent even when the parent is SIGKILLed.

Caveat of PDEATHSIG: the kernel fires it when the *thread* that forked the
child exits, so start children from a thread that lives as long as the stack
(normally the main thread).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable, Sequence

_PR_SET_PDEATHSIG = 1


class ProcessNotReady(RuntimeError):
    """A child did not become ready in time, or exited while starting."""


# Ports handed out below the kernel's ephemeral range: a port from that range (what binding to 0
# gives) may go to an outgoing connection's source before the service binds it, and the service
# then fails with EADDRINUSE (seen once: a worker's gateway port taken during a test session).
_LOWEST_PORT = 20000
_EPHEMERAL = Path("/proc/sys/net/ipv4/ip_local_port_range")
_PICK = random.SystemRandom()  # no test's seed makes two processes pick alike


def _ephemeral_start() -> int:
    try:
        return int(_EPHEMERAL.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, below the ephemeral range when there is
    room (else any free one)."""
    top = _ephemeral_start()
    for _ in range(200 if top - _LOWEST_PORT > 1000 else 0):
        port = _PICK.randrange(_LOWEST_PORT, top)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.2) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            return not self_connected(conn)
    except OSError:
        return False


def self_connected(conn: socket.socket) -> bool:
    """Did the connection reach itself?  With nothing listening on a port of the ephemeral range,
    the kernel may pick that very port as the source, and the connect succeeds to no one (TCP
    simultaneous open): seen as SeaweedFS's admin gRPC port (33646) "in use" after a clean stop."""
    return conn.getsockname() == conn.getpeername()


def short_socket_path(data_dir: Path, name: str) -> Path:
    """``data_dir/name`` if short enough for a unix socket (108 bytes), else under /tmp."""
    path = Path(data_dir).resolve() / name
    if len(str(path)) <= 100:
        return path
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"aurasense-{digest}-{name}"


def _die_with_parent() -> None:
    # Runs in the child between fork and exec.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a text file ('' if it is missing)."""
    try:
        data = path.read_bytes()[-16384:]
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


class ManagedProcess:
    """One child process with a log file, a readiness check and a clean stop.

    ``ready`` is a TCP port on 127.0.0.1 or a callable returning True once the
    child serves. ``start()`` blocks until ready or raises ``ProcessNotReady``.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        *,
        ready: int | Callable[[], bool] | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        start_timeout: float = 30.0,
        stop_grace: float = 10.0,
    ) -> None:
        self.name = name
        self.argv = [str(a) for a in argv]
        self.log_path = Path(log_path)
        self.ready = ready
        self.env = env
        self.cwd = cwd
        self.start_timeout = start_timeout
        self.stop_grace = stop_grace
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        """True while the child has not exited."""
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> float:
        """Start the child and wait for readiness; return the seconds it took."""
        began = time.monotonic()
        if not self.launch():
            return 0.0
        self._wait_ready(began)
        return time.monotonic() - began

    def launch(self) -> bool:
        """Start the child without waiting (False if it runs already); see ``wait_ready``."""
        if self.running():
            return False
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._launched_at = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=self.env, cwd=self.cwd, start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        return True

    def wait_ready(self) -> float:
        """Wait for a ``launch``ed child to be ready; return the seconds since its launch."""
        self._wait_ready(self._launched_at)
        return time.monotonic() - self._launched_at

    def _is_ready(self) -> bool:
        if self.ready is None:
            return True
        if callable(self.ready):
            try:
                return bool(self.ready())
            except Exception:
                return False
        return port_open(self.ready)

    def _wait_ready(self, began: float) -> None:
        while not self._is_ready():
            if not self.running():
                code = self.proc.returncode if self.proc else None
                self._fail(f"{self.name} exited with code {code} while starting")
            if time.monotonic() - began > self.start_timeout:
                self.kill()
                self._fail(f"{self.name} not ready after {self.start_timeout:.0f}s")
            time.sleep(0.05)

    def _fail(self, message: str) -> None:
        raise ProcessNotReady(f"{message}; log {self.log_path}:\n{tail(self.log_path)}")

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """SIGTERM the child's group, then SIGKILL it after the grace period."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(self.stop_grace)
            except subprocess.TimeoutExpired:
                pass
        self._signal_group(signal.SIGKILL)  # stragglers in the group, if any
        self.proc.wait()

    def kill(self) -> None:
        """SIGKILL the child's whole group at once (crash simulation)."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGKILL)
        self.proc.wait()
