"""Stages run straight on in the task of the stage before them, as Kafka Streams runs the
processors of one sub-topology: no wait for a consumer hop between them.

The carried stage's input is still written to its topic (acknowledged, so replays and the log
stay whole), and the carried stage's own agent still reads it there.  The carried stage works
while that write is acknowledged, and writes nothing before the ack (``StageRunner._run``'s
``after``), so its output never lands before its input.  That agent must not run
the stage a second time, nor ack the record before the carried run's outputs are safe: it finds
the run here and waits for it.  If the carried run did not finish (an error, the worker
stopping), the agent runs the stage itself, as it would without carrying.

Only what this worker carried is here; after a restart the agent finds nothing and the status
table's ``stages_done`` decides, as for any redelivery.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

Key = tuple[str, str, int]  # (stage, session, attempt)


class CarriedRuns:
    """The carried runs of this worker, until their stage's agent has read their input."""

    def __init__(self, keep: int = 4096) -> None:
        # Bounded: a run whose input another worker reads (a rebalance) is never claimed here.
        self.keep = keep
        self._runs: OrderedDict[Key, asyncio.Future] = OrderedDict()

    @staticmethod
    def key(stage: str, event: Any) -> Key:
        return stage, event.session_id, event.attempt

    def start(self, stage: str, event: Any) -> asyncio.Future:
        """Before ``event`` is written to ``stage``'s topic: its agent may read it at once.
        The caller resolves the returned run with ``finish``."""
        run = self._runs[self.key(stage, event)] = asyncio.get_running_loop().create_future()
        while len(self._runs) > self.keep:
            _, old = self._runs.popitem(last=False)
            if not old.done():
                old.set_result(False)
        return run

    @staticmethod
    def finish(run: asyncio.Future, ran: bool) -> None:
        """``ran``: the stage ran to its end (output acknowledged, status recorded)."""
        if not run.done():
            run.set_result(ran)

    async def ran(self, stage: str, event: Any) -> bool:
        """Whether this worker already ran ``stage`` for ``event`` by carrying it; waits for a
        carried run still going.  False: the agent runs the stage as usual."""
        run = self._runs.pop(self.key(stage, event), None)
        return run is not None and await asyncio.shield(run)
