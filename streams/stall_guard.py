"""A safety net under the stage agents: re-fetch parked events, report a handler that hangs.

Parked: records past the committed offset of a stream partition, that offset unchanged for
``idle_s``, no stage busy and no progress for ``idle_s`` (counted afresh after a rebalance, so
records a worker has just been given are not mistaken for parked ones). faust-streaming 0.15
can leave events there around a rebalance: it drops records it already fetched and relies on a
later seek to fetch them again. streams/faust_fixes.py closes the four holes found (partitions
never committed were never rewound; a commit could pass an unprocessed event; a batch cut short
was not fetched again; records emptied from the buffers after the seek); the guard covers
whatever else parks an event: it logs each parked partition's consumer state and rewinds it to
its committed offset; if it is still parked at the next check, it asks the consumer to rejoin
its group (a rebalance for every worker), which seeks every partition back. Stages are
idempotent, so an event delivered twice does no harm.

Slow: a handler running longer than ``slow_s`` is logged once with where it waits (its await
chain and every thread's stack).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from collections import Counter
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from schemas.topics import STREAM_TOPICS
from streams.consumer_state import fetch_state

log = logging.getLogger(__name__)


class StallGuard:
    def __init__(self, app: Any, idle_s: float = 5.0, slow_s: float = 90.0, clock=time.monotonic) -> None:
        self.app, self.idle_s, self.slow_s, self.clock = app, idle_s, slow_s, clock
        self.busy = 0
        self.last_progress = clock()
        self._behind: dict = {}  # partition -> (committed offset, since when it has been behind)
        self.actions: Counter = Counter()  # "rewind", "rejoin": how often it had to act (/metrics)
        self._running: dict[asyncio.Task, tuple[str, float]] = {}  # handler task -> (what, since)
        self._reported: set[asyncio.Task] = set()
        self._seeked: set = set()  # partitions rewound at the last check

    @asynccontextmanager
    async def working(self, what: str = "event") -> AsyncIterator[None]:
        """Wrap the handling of one event."""
        self.busy += 1
        task = asyncio.current_task()
        self._running[task] = (what, time.monotonic())
        try:
            yield
        finally:
            self.busy -= 1
            self._running.pop(task, None)
            self._reported.discard(task)
            self.last_progress = self.clock()

    def parked(self) -> list:
        """Stream partitions with records past their committed offset."""
        consumer = self.app.consumer
        committed = consumer._committed_offset  # Faust's own record of what it committed
        return [tp for tp in consumer.assignment() if tp.topic in STREAM_TOPICS
                and (consumer.highwater(tp) or 0) > (committed.get(tp) or 0)]

    def _track(self, now: float) -> list:
        """Partitions behind at the same committed offset for ``idle_s`` or more."""
        committed = self.app.consumer._committed_offset
        behind = {}
        for tp in self.parked():
            offset, seen = committed.get(tp) or 0, self._behind.get(tp)
            behind[tp] = seen if seen and seen[0] == offset else (offset, now)
        self._behind = behind
        return [tp for tp, (_, since) in behind.items() if now - since >= self.idle_s]

    async def check(self) -> None:
        self.report_slow()
        now = self.clock()
        if self.app.rebalancing:  # the rebalance re-seeks every partition: judge afresh after it
            self._behind, self.last_progress = {}, now
            return
        stuck = self._track(now)
        if not self._behind:
            self._seeked = set()
        if not stuck or self.busy or now - self.last_progress < self.idle_s:
            return
        state = fetch_state(self.app)
        where = ", ".join(f"{tp.topic}/{tp.partition} {state.get(f'{tp.topic}/{tp.partition}')}"
                          for tp in stuck)
        if self._seeked & set(stuck):  # rewinding did not help: make the whole group re-seek
            log.warning("stall guard: events still parked after a rewind; rejoining the group: %s", where)
            self._seeked = set()
            self.actions["rejoin"] += 1
            self._rejoin()
        else:  # local and cheap: a rejoin would rebalance every worker
            log.warning("stall guard: %d partition(s) have events past the committed offset and "
                        "nothing is running; rewinding them to it: %s", len(stuck), where)
            self._seeked = set(stuck)
            self.actions["rewind"] += 1
            await self._rewind(stuck)
        self._behind = {tp: (offset, now) for tp, (offset, _) in self._behind.items()}  # give it time
        self.last_progress = now

    async def _rewind(self, parked: list) -> None:
        consumer = self.app.consumer
        for tp in parked:  # Faust's seek also resets its read offset, so nothing is dropped as read
            await consumer.seek(tp, consumer._committed_offset.get(tp) or 0)

    def report_slow(self) -> list[str]:
        """Log, once per event, where a handler running longer than ``slow_s`` is waiting.

        No stage should take that long (audio is capped at 60 s); the coroutine's stack and the
        worker's threads say whether it waits on the broker, the graph or a model thread.
        """
        now, slow = time.monotonic(), []
        for task, (what, since) in list(self._running.items()):
            if now - since < self.slow_s or task in self._reported:
                continue
            self._reported.add(task)
            slow.append(what)
            log.warning("stall guard: %s running for %.0fs; waiting at:\n%s\nthreads:\n%s", what,
                        now - since, _task_stack(task), _thread_stacks())
        return slow

    def _rejoin(self) -> None:
        thread = self.app.consumer._thread  # aiokafka's coordinator lives on the consumer's thread
        coordinator = thread._ensure_consumer()._coordinator
        thread.thread_loop.call_soon_threadsafe(coordinator.request_rejoin)


def _task_stack(task: asyncio.Task) -> str:
    """The chain of awaits a task is suspended in, outermost first (get_stack shows only one)."""
    lines, awaited = [], task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None) \
            or getattr(awaited, "gi_frame", None)
        if frame is None:
            lines.append(f"  awaiting {awaited!r}")
            break
        lines.append(f"  {frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None) \
            or getattr(awaited, "gi_yieldfrom", None)
    return "\n".join(lines)


def _thread_stacks() -> str:
    """Every thread's innermost frames (model threads, the consumer thread)."""
    parts = []
    for ident, frame in sys._current_frames().items():
        parts.append(f"thread {ident}:\n" + "".join(traceback.format_stack(frame, limit=6)))
    return "\n".join(parts)
