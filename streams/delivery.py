"""The delivery invariant, enforced here and only here:

    An input offset is committed only after the stage's outputs are acknowledged by the broker
    and its status change is flushed.

How it holds:

* every agent reads its topic with Faust's automatic acks off (``consume``) and acks an event
  itself, only after the handler returned (each send awaits the broker's acknowledgement,
  streams/outbox.py) and a flush of the producer, table changelog writes included, completed;
* the consumer commits only a run of acked offsets that starts at the committed offset
  (``SafeCommitConsumer._new_offset`` in streams/faust_compat.py), so an event that was never
  acked is never committed over, whatever was acked after it.

``lanes`` > 1 (the transcribe stage, as many as Whisper runs side by side): events of
*different* partitions are handled at once, at most ``lanes`` of them; one partition's events
still one after another in offset order, each acked once its own outputs are safe. So an offset
is acked only after every earlier offset of its partition was, and the committed offset of a
partition never passes work in flight (Faust's ``concurrency`` > 1 gives no such order:
several actors read one partition and ack in any order, #606).

A handler that raises (the broker away mid-send, a bug) is retried; after ``attempts`` the event is
dead-lettered with its origin and the error, and only then acked: nothing crashes the agent, and
nothing is dropped unsaid. Everything redelivered after a crash is skipped by the stages' dedupe.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

log = logging.getLogger(__name__)

Handler = Callable[[Any], Awaitable[None]]
DeadLetter = Callable[[Any, Exception], Awaitable[None]]


async def consume(stream: Any, handle: Handler, flush: Callable[[], Awaitable[None]],
                  dead_letter: DeadLetter, attempts: int = 5, backoff_s: float = 0.5,
                  lanes: int = 1) -> None:
    """Run ``handle(event)`` for each event of ``stream``; ack it once its outputs are safe.
    ``lanes``: events of different partitions handled at once (see the module doc)."""
    async def deliver(event: Any) -> None:
        await _handle_safely(event, handle, dead_letter, attempts, backoff_s)
        await flush()
        event.ack()

    if lanes <= 1:
        async for event in stream.noack().events():
            await deliver(event)
    else:
        await PartitionLanes(lanes).run(stream.noack().events(), deliver)


class PartitionLanes:
    """Delivers events of different partitions side by side, each partition's in order."""

    def __init__(self, lanes: int) -> None:
        self.running = asyncio.Semaphore(lanes)  # handlers at work
        # Read ahead at most this many (waiting for their partition or a lane): bounded, so a
        # rebalance waits for few unacked events, yet a second partition's event is not stuck
        # behind two of one partition.
        self.taken = asyncio.Semaphore(2 * lanes)
        self.last: dict[Any, asyncio.Task] = {}  # per partition, its latest event's task
        self.tasks: set[asyncio.Task] = set()
        self.failed: asyncio.Task | None = None

    async def run(self, events: Any, deliver: Handler) -> None:
        try:
            async for event in events:
                await self.taken.acquire()
                self._raise_failures()
                tp = event.message.tp
                task = asyncio.ensure_future(self._in_turn(self.last.get(tp), event, deliver))
                self.last[tp] = task
                self.tasks.add(task)
                task.add_done_callback(self._done)
        finally:  # stopping: whatever is in flight stays unacked and is delivered again
            for task in self.tasks:
                task.cancel()

    async def _in_turn(self, before: asyncio.Task | None, event: Any, deliver: Handler) -> None:
        if before is not None:
            await asyncio.wait([before])  # this partition's previous event first
            if before.cancelled() or before.exception() is not None:
                raise asyncio.CancelledError  # never ack past an event that was not acked
        async with self.running:
            await deliver(event)

    def _done(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        self.taken.release()
        for tp, last in list(self.last.items()):
            if last is task:
                del self.last[tp]
        if not task.cancelled() and task.exception() is not None:
            self.failed = task

    def _raise_failures(self) -> None:
        """A delivery that raised (its dead-letter send, say) stops the agent at the next event,
        as it does without lanes; its partition's later events were not acked."""
        if self.failed is not None:
            raise self.failed.exception()


async def _handle_safely(event: Any, handle: Handler, dead_letter: DeadLetter, attempts: int,
                         backoff_s: float) -> None:
    for attempt in range(1, attempts + 1):
        try:
            await handle(event)
            return
        except asyncio.CancelledError:
            raise  # the worker is stopping: unacked, the event is delivered again
        except Exception as exc:
            if attempt == attempts:
                log.error("delivery: %s@%s/%d gave up after %d attempts: %s", event.message.topic,
                          event.message.partition, event.message.offset, attempts, exc)
                await dead_letter(event, exc)
                return
            log.warning("delivery: handling %s/%d@%d failed (attempt %d): %s", event.message.topic,
                        event.message.partition, event.message.offset, attempt, exc)
            await asyncio.sleep(backoff_s * 2 ** (attempt - 1))
