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
                  dead_letter: DeadLetter, attempts: int = 5, backoff_s: float = 0.5) -> None:
    """Run ``handle(event)`` for each event of ``stream``; ack it once its outputs are safe."""
    async for event in stream.noack().events():
        await _handle_safely(event, handle, dead_letter, attempts, backoff_s)
        await flush()
        event.ack()


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
