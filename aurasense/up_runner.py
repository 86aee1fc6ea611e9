"""``aurasense up`` in the foreground or detached, and ``down``: start, stay up, stop cleanly.

The foreground run starts the service (aurasense/up.py), speaks the demo's three utterances
through it (aurasense/demo.py), writes the state file (aurasense/up_state.py), prints where
everything is and waits. SIGINT (Ctrl-C) or SIGTERM stops the workers and the stack and removes
the state file; every child also dies with this process (PDEATHSIG, stack/processes.py).
``--detach`` runs the same command as a background process of its own session and returns
once that one is ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from aurasense import demo, up_state
from aurasense.client import ClientError, GatewayClient
from core.settings import Settings
from aurasense.up import LocalService, PortTaken
from stack.processes import ProcessNotReady


PIDS_REFRESH_S = 5.0


class Stop(BaseException):
    """SIGINT or SIGTERM arrived (a BaseException, so no ``except Exception`` swallows it)."""


def _raise_stop(signum: int, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def _say(message: str) -> None:
    print(f"aurasense: {message}", flush=True)


def run_foreground(data_dir: Path, workers: int, speak_demo: bool) -> int:
    """Start everything, stay up until SIGINT/SIGTERM, stop everything; the exit code."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if (other := up_state.running_state(data_dir)) is not None:
        _say(f"already running on {data_dir} (pid {other['pid']}); "
             f"`aurasense down --data-dir {data_dir}` stops it")
        return 1
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    service = LocalService(data_dir, Settings.from_env(), workers=workers, fixed=True)
    try:
        up_state.write_state(data_dir, {"pid": os.getpid(), "status": "starting", "data_dir": str(data_dir)})
        _start(service, speak_demo)
        state = {"pid": os.getpid(), "status": "ready", "data_dir": str(data_dir), "workers": workers,
                 "started_at": time.time(), "pids": service.pids(), **service.addresses()}
        up_state.write_state(data_dir, state)
        _print_addresses(state)
        while True:  # until Stop; keeps the pids current when the supervisor restarts a worker
            time.sleep(PIDS_REFRESH_S)
            if (pids := service.pids()) != state["pids"]:
                state["pids"] = pids
                up_state.write_state(data_dir, state)
    except Stop as stop:
        _say(f"{stop}: stopping")
        return 0
    except (PortTaken, ProcessNotReady, ClientError) as exc:
        _say(f"could not start: {exc}")
        return 1
    finally:
        for sig in previous:  # a second Ctrl-C must not cut the stop short
            signal.signal(sig, signal.SIG_IGN)
        service.stop()
        up_state.clear_state(data_dir)
        _say("all stopped")
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(service: LocalService, speak_demo: bool) -> None:
    _say(f"starting the local stack in {service.data_dir}")
    settings = service.start_stack()
    audio = demo.speak(demo.UTTERANCES, settings) if speak_demo else None
    _say(f"starting {service.n_workers} worker(s) (models, graph, consumer group)")
    gateways = service.start_workers()
    if audio is not None:
        client = GatewayClient(gateways[0])
        try:
            if not demo.converse(client, audio):
                _say("some demo sessions did not complete; see the workers' logs")
        finally:
            client.close()


def _print_addresses(state: dict, detached: bool = False) -> None:
    stop = "" if detached else "Ctrl-C here, or "
    print(f"\naurasense is up (pid {state['pid']}), data in {state['data_dir']}\n"
          f"  page:             {state['page']}\n"
          f"  gateways:         {', '.join(state['gateways'])}\n"
          f"  S3 endpoint:      {state['s3_endpoint']} (bucket {state['bucket']})\n"
          f"  Kafka bootstrap:  {state['kafka_bootstrap']}\n"
          f"  stop:             {stop}`aurasense down --data-dir {state['data_dir']}`\n",
          flush=True)


def detach(data_dir: Path, workers: int, speak_demo: bool, timeout: float = 600.0) -> int:
    """Start ``aurasense up`` as a background process; return once it is ready (or has failed)."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if (other := up_state.running_state(data_dir)) is not None:
        _say(f"already running on {data_dir} (pid {other['pid']})")
        return 1
    log = data_dir / "logs" / "up.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "aurasense.cli", "up", "--data-dir", str(data_dir),
            "--workers", str(workers), *([] if speak_demo else ["--no-demo"])]
    with open(log, "ab") as out:
        # Its own session: neither the terminal's Ctrl-C nor this process's exit reaches it.
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = up_state.read_state(data_dir)
        if state and state.get("pid") == child.pid and state.get("status") == "ready":
            _print_addresses(state, detached=True)
            return 0
        if child.poll() is not None:
            _say(f"it stopped while starting (exit {child.returncode}); log {log}")
            return 1
        time.sleep(0.2)
    _say(f"not ready after {timeout:.0f}s; stopping it; log {log}")
    child.terminate()
    child.wait()
    return 1


def down(data_dir: Path, timeout: float = 120.0) -> int:
    """SIGTERM the ``up`` process on ``data_dir`` and wait until it has stopped everything."""
    data_dir = Path(data_dir).resolve()
    state = up_state.running_state(data_dir)
    if state is None:
        _say(f"nothing runs on {data_dir}")
        up_state.clear_state(data_dir)  # left by an up that was SIGKILLed (its children died with it)
        return 0
    os.kill(state["pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while up_state.alive(state["pid"]):
        if time.monotonic() > deadline:
            _say(f"pid {state['pid']} still runs after {timeout:.0f}s")
            return 1
        time.sleep(0.2)
    _say(f"stopped (pid {state['pid']})")
    return 0
