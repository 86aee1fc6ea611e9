"""ManagedProcess: readiness, failures with log tails, group stop, no orphans."""

from __future__ import annotations

import os
import socket
import signal
import subprocess
import sys
import time

import pytest

from stack.processes import ManagedProcess, ProcessNotReady, free_port, self_connected


def _gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a zombie still answers kill(0); check its state
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_ready_on_port_and_stop_kills_the_group(tmp_path):
    port = free_port()
    script = (f"import socket,subprocess,time; p=subprocess.Popen(['sleep','60']); "
              f"print(p.pid, flush=True); s=socket.socket(); s.bind(('127.0.0.1',{port})); "
              f"s.listen(); time.sleep(60)")
    proc = ManagedProcess("srv", [sys.executable, "-c", script], tmp_path / "srv.log", ready=port)
    assert proc.start() < 10 and proc.running()
    time.sleep(0.1)
    grandchild = int((tmp_path / "srv.log").read_text().split()[0])
    proc.stop()
    assert not proc.running() and _gone(grandchild)


def test_exit_while_starting_reports_log_tail(tmp_path):
    proc = ManagedProcess("bad", ["sh", "-c", "echo boom-123; exit 3"], tmp_path / "bad.log",
                          ready=free_port())
    with pytest.raises(ProcessNotReady, match="(?s)exited with code 3.*boom-123"):
        proc.start()


def test_timeout_reports_and_kills(tmp_path):
    proc = ManagedProcess("slow", ["sleep", "30"], tmp_path / "slow.log",
                          ready=lambda: False, start_timeout=0.5)
    with pytest.raises(ProcessNotReady, match="not ready after"):
        proc.start()
    assert not proc.running()


def test_child_dies_when_parent_is_killed(tmp_path):
    code = ("import sys; from pathlib import Path; from stack.processes import ManagedProcess; "
            f"p = ManagedProcess('s', ['sleep', '60'], Path({str(tmp_path / 's.log')!r})); "
            "p.start(); print(p.pid, flush=True); import time; time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _gone(child)


def test_kill_is_immediate(tmp_path):
    proc = ManagedProcess("k", ["sh", "-c", "trap '' TERM; sleep 30"], tmp_path / "k.log")
    proc.start()
    began = time.monotonic()
    proc.kill()
    assert time.monotonic() - began < 2 and not proc.running()


def test_a_connection_to_itself_is_not_a_listener():
    # What port_open can meet on a port of the ephemeral range with nothing listening: the
    # kernel picks that port as the source and the connect succeeds (simultaneous open).
    with socket.socket() as conn:
        conn.bind(("127.0.0.1", 0))
        conn.connect(conn.getsockname())
        assert self_connected(conn)
    with socket.create_server(("127.0.0.1", 0)) as server, \
            socket.create_connection(server.getsockname()) as conn:
        assert not self_connected(conn)


def test_free_ports_come_from_below_the_ephemeral_range():
    # a port from that range can go to an outgoing connection before the service binds it
    from stack.processes import _ephemeral_start

    top = _ephemeral_start()
    ports = {free_port() for _ in range(20)}
    assert all(20000 <= p < top for p in ports) and len(ports) > 1
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", ports.pop()))
        held.listen()
        assert held.getsockname()[1] not in {free_port() for _ in range(20)}  # never one in use
