"""The state file of a running ``aurasense up``: ``<data dir>/up.json``.

Written by the ``up`` process (``starting``, then ``ready`` with the addresses), removed by it
once everything has stopped; read by ``aurasense status`` and ``aurasense down``. It holds
process ids and addresses, never a secret.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

STATE_FILE = "up.json"


def state_path(data_dir: Path) -> Path:
    return Path(data_dir) / STATE_FILE


def write_state(data_dir: Path, state: dict) -> None:
    """Replace the state atomically (a reader never sees half a file)."""
    path = state_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(state, option=orjson.OPT_INDENT_2))
    tmp.replace(path)


def read_state(data_dir: Path) -> dict | None:
    try:
        return orjson.loads(state_path(data_dir).read_bytes())
    except FileNotFoundError:
        return None


def clear_state(data_dir: Path) -> None:
    state_path(data_dir).unlink(missing_ok=True)


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, exited but not reaped by its new parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def running_state(data_dir: Path) -> dict | None:
    """The state of the ``up`` process on ``data_dir`` if it still runs, else None."""
    state = read_state(data_dir)
    return state if state and alive(state["pid"]) else None
