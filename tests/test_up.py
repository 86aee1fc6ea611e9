"""``aurasense up``: up, Ctrl-C, up again (detached) on the same data dir, down.

A profile and the past sessions survive the restart; no child process outlives a stop. The test
runs its own service (the point is restarting it) on free ports given through the settings.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aurasense import up_state
from aurasense.client import GatewayClient
from core.settings import Settings
from aurasense.up import PortTaken, check_ports_free, keep_s3_ports, s3_ports, service_ports
from stack.processes import free_port

ROOT = Path(__file__).resolve().parent.parent


def _s3_port() -> int:
    """A free S3 port whose weed gRPC twin (+10000) is valid, so that weed's default internal ports,
    below the ephemeral range where other tests' free ports come from, are used when free."""
    while (port := free_port()) + 10000 >= 65536:
        pass
    return port


def _env() -> dict[str, str]:
    return {**os.environ, "AURASENSE_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}",
            "AURASENSE_S3_ENDPOINT": f"http://127.0.0.1:{_s3_port()}",
            "AURASENSE_GATEWAY_PORT": str(free_port()), "AURASENSE_TOKEN_SECRET": "",
            "OMP_NUM_THREADS": "1", "GRAPHITI_TELEMETRY_ENABLED": "false"}


def _cli(env: dict, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aurasense.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)


def _wait_ready(data_dir: Path, proc: subprocess.Popen, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = up_state.read_state(data_dir)
        if state and state["status"] == "ready":
            return state
        assert proc.poll() is None, f"aurasense up exited {proc.returncode}: {proc.stdout.read()}"
        time.sleep(0.2)
    pytest.fail(f"aurasense up not ready after {timeout}s")


def _profile(client: GatewayClient) -> dict:
    """The signed-in user's stored profile, as the gateway serves it."""
    r = client.http.get("/v1/me/profile")
    r.raise_for_status()
    return r.json()


def _typed(client: GatewayClient, text: str) -> dict:
    status = client.wait_done(client.submit_text(text)["session_id"], timeout=120)
    assert status["status"] == "completed", status
    return status


def _gone(pids: list[int], timeout: float = 30) -> list[int]:
    """The pids still alive after ``timeout`` (polled: a stop is asynchronous to the caller)."""
    deadline = time.monotonic() + timeout
    while (left := [p for p in pids if up_state.alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.stack
def test_up_ctrl_c_then_up_again_keeps_profile_and_sessions_and_leaves_no_process(tmp_path):
    data_dir, env = tmp_path / "data", _env()
    proc = subprocess.Popen([sys.executable, "-m", "aurasense.cli", "up", "--data-dir", str(data_dir),
                             "--no-demo"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        first = _wait_ready(data_dir, proc)
        client = GatewayClient(first["gateways"][0])
        client.register()
        onboarded = _typed(client, "Hi, I'm new here. My name is Tunde, I live in London and I'm "
                                   "allergic to peanuts.")
        food = _typed(client, "I'm hungry. Can you recommend something for dinner?")
        profile = _profile(client)
        assert "peanut" in [a["name"] for a in profile["allergies"]], profile

        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends to the foreground process
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "all stopped" in proc.stdout.read()
    assert _gone(first["pids"]) == [] and up_state.read_state(data_dir) is None

    started = _cli(env, "up", "--detach", "--data-dir", str(data_dir), "--no-demo")
    assert started.returncode == 0, started.stdout + started.stderr
    second = up_state.read_state(data_dir)
    try:
        # The same addresses, so clients configured once keep working.
        assert [second[k] for k in ("page", "s3_endpoint", "kafka_bootstrap")] == \
            [first[k] for k in ("page", "s3_endpoint", "kafka_bootstrap")]
        shown = _cli(env, "status", "--data-dir", str(data_dir), timeout=30)
        assert shown.returncode == 0 and second["page"] in shown.stdout and "(ready)" in shown.stdout
        # The token issued before the restart still works; both sessions come from the restored table.
        assert client.status(onboarded["session_id"]) == onboarded
        assert client.status(food["session_id"]) == food
        assert _profile(client) == profile
    finally:
        client.close()
        stopped = _cli(env, "down", "--data-dir", str(data_dir), timeout=150)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert _gone([second["pid"], *second["pids"]]) == []
    assert _cli(env, "status", "--data-dir", str(data_dir), timeout=30).returncode == 1


def test_a_taken_port_is_refused_with_the_port_and_its_role_named(tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        settings = Settings(gateway_port=port)
        ports = service_ports(settings, 1, s3_ports(tmp_path, settings))
        with pytest.raises(PortTaken, match=f"{port} \\(gateway 0\\): in use"):
            check_ports_free(ports)


def test_the_ports_follow_the_settings_and_the_s3_servers_are_kept_per_data_dir(tmp_path):
    settings = Settings(kafka_bootstrap="127.0.0.1:19092", s3_endpoint="http://127.0.0.1:18333",
                        gateway_port=18000)
    weed = s3_ports(tmp_path, settings)
    ports = service_ports(settings, 2, weed)
    assert ports["kafka"] == 19092 and ports["s3"] == 18333
    assert (ports["gateway 0"], ports["gateway 1"]) == (18000, 18001)
    keep_s3_ports(tmp_path, weed)  # as after the dir's first start
    assert s3_ports(tmp_path, settings) == weed
    moved = s3_ports(tmp_path, settings.with_(s3_endpoint="http://127.0.0.1:18334"))
    assert moved.s3 == 18334 and moved.filer == weed.filer and moved.grpc == weed.grpc
