"""Every reach into private names of graphiti-core: this module only.

It refuses to import on a version it was not tested with (``TESTED``): a private name that moved
must fail loudly at start, never turn into a silent no-op.

What it holds: the task in which Graphiti's Neo4j and FalkorDB drivers build their indices and
constraints (``_init_task``, started by the driver's constructor when a loop runs, else None).
The profile memory waits for it before its first query, and cancels it when it closes a driver
early: Graphiti offers no public way to do either.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import version
from typing import Any

from core.library_versions import UntestedLibraryVersion, require_tested  # noqa: F401 - what check_versions raises

TESTED = {"graphiti-core": "0.31.1"}


def check_versions(installed=version) -> None:
    require_tested(TESTED, "agents/graphiti_compat.py", installed)


check_versions()


def index_build(driver: Any) -> asyncio.Task | None:
    """The driver's index-building task (None when it was made outside a running loop)."""
    return driver._init_task


async def await_index_build(driver: Any) -> None:
    task = index_build(driver)
    if task is not None:
        await task


async def cancel_index_build(driver: Any) -> None:
    task = index_build(driver)
    if task is not None and not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
