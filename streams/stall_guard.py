"""Re-fetch events Faust's stream skipped, instead of leaving them parked until a rebalance.

faust-streaming 0.15 skips an event its stream reads while flow control is suspended or whose
generation id is stale (``faust/streams.py``, logged at dev level only). A skipped event is not
acked, so the committed offset stays before it and nothing is lost, but it is fetched again only
when the next rebalance seeks to the committed offsets. Seen here after a worker restart: the
sessions behind it waited minutes, until another worker happened to join.

The guard watches for that state (records past the committed offset of a stream partition, no
stage busy, no progress for ``idle_s``) and asks the consumer to rejoin its group: the rebalance
that follows seeks every partition back to its committed offset and resumes the streams (a plain
seek does not: measured, the event stays skipped). Stages are idempotent, so an event delivered
twice does no harm.
"""

from __future__ import annotations

import logging
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from schemas.topics import STREAM_TOPICS

log = logging.getLogger(__name__)


class StallGuard:
    def __init__(self, app: Any, idle_s: float = 10.0) -> None:
        self.app, self.idle_s = app, idle_s
        self.busy = 0
        self.last_progress = time.monotonic()

    @asynccontextmanager
    async def working(self) -> AsyncIterator[None]:
        """Wrap the handling of one event."""
        self.busy += 1
        try:
            yield
        finally:
            self.busy -= 1
            self.last_progress = time.monotonic()

    def parked(self) -> list:
        """Stream partitions with records past their committed offset."""
        consumer = self.app.consumer
        committed = consumer._committed_offset  # Faust's own record of what it committed
        return [tp for tp in consumer.assignment() if tp.topic in STREAM_TOPICS
                and (consumer.highwater(tp) or 0) > (committed.get(tp) or 0)]

    async def check(self) -> None:
        if self.busy or self.app.rebalancing or time.monotonic() - self.last_progress < self.idle_s:
            return
        parked = self.parked()
        if parked:
            log.warning("stall guard: %d partition(s) have events past the committed offset and "
                        "nothing is running; rejoining the group to fetch them again: %s",
                        len(parked), ", ".join(f"{tp.topic}/{tp.partition}" for tp in parked))
            self._rejoin()
            self.last_progress = time.monotonic()

    def _rejoin(self) -> None:
        thread = self.app.consumer._thread  # aiokafka's coordinator lives on the consumer's thread
        coordinator = thread._ensure_consumer()._coordinator
        thread.thread_loop.call_soon_threadsafe(coordinator.request_rejoin)
