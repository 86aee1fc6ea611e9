"""Four faust-streaming 0.15.3 defects that park or lose events, fixed in one place.

``SafeCommitConsumer`` is the consumer of both Faust transports, for every broker:
streams/tansu_adapter.py (tansu) and ``KafkaTransport`` below (``kafka-safe://``: Kafka,
Redpanda).

1. A rebalance forgets records on partitions that were never committed. Faust can drop records
it already fetched when a rebalance or recovery interrupts a fetch (the fetch position has moved
past them), and relies on seeking every partition back to its committed offset afterwards. But
aiokafka's ``seek_to_committed`` skips partitions whose committed offset is missing or 0, so
their dropped records were never fetched again (measured here after worker restarts: parked
events on partitions with no commit, 3 of 3 instrumented stalls). ``seek_to_committed`` now
rewinds those partitions to their beginning.

2. Commits past an event that was never processed. Faust commits the longest run of acked
offsets, but refuses only when the first acked offset is *more than one* past the committed
offset (``Consumer._new_offset``: ``min(acked) - committed > 1``), and not at all while nothing
was committed yet. The committed offset is the next one to read, so one event dropped at the
head (1.) is committed over and lost for good (seen once here: a session left ``processing``
after a worker restart, its offset committed). ``_new_offset`` now commits only a run that
starts at the committed offset (0 for a partition never committed: every topic here is created
by streams/admin.py and starts at 0; where a topic's start was deleted the worst case is a
redelivery, never a loss).

3. Fetched records dropped on the floor. ``Consumer.getmany`` stops handing out a fetched batch
when the flow stops or the generation changes mid-batch, and skips a partition that left the
active set while the fetch was in flight; aiokafka's position has already moved past those
records, and only the next rebalance's seek would bring them back. ``getmany`` now rewinds such
a stream partition to its first record not handed on (only ever backwards, only while assigned),
so it is fetched again at once. Measured: in 27 scale-out runs such drops happened during table
recovery (where Faust's own seek follows) and none after it; the rewind makes it safe either way.

4. Records cleared from the stream buffers after they were fetched. At the end of a rebalance
Faust resumes the stream partitions, seeks them to their committed offsets, and only then calls
``app.flow_control.resume()``, which empties every stream buffer. Records fetched after the seek
and not yet taken by an agent are thrown away, and their fetch position is past them: nothing
brings them back in this generation (seen here: ``request-routed/1`` offset 1 never handed to
the stage while offset 2 was processed; fix 2 held the commit and the stall guard rewound it,
11 s late). ``resume`` now notes the first such record of each stream partition before the
buffers are emptied and rewinds the partition to it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator, Mapping, Optional, Set, Tuple

from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP, Message

log = logging.getLogger(__name__)


class SafeCommitConsumer(aiokafka_driver.Consumer):
    _batch: Mapping[TP, list] = {}
    refetched_records = 0  # records fetched again by fixes 3 and 4, since start (for /metrics)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep_records_cleared_on_resume(self.app.flow_control, self)

    async def _wait_next_records(self, timeout: float) -> Tuple[Optional[Mapping], Optional[Set[TP]]]:
        records, active = await super()._wait_next_records(timeout)
        self._batch = records or {}  # what this getmany call fetched, to see what it handed on
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[Tuple[TP, Message]]:
        self._batch, handed = {}, {}
        async for tp, message in super().getmany(timeout):
            handed[tp] = message.offset
            yield tp, message
        await self._refetch_dropped(self._batch, handed)

    async def _refetch_dropped(self, batch: Mapping[TP, list], handed: Mapping[TP, int]) -> None:
        """Rewind each partition to the first record of ``batch`` that was not handed on (3.)."""
        for tp, records in batch.items():
            last = handed.get(tp)
            dropped = [r.offset for r in records if last is None or r.offset > last]
            why = f"{len(dropped)} fetched but not handed on (flow {'on' if self.flow_active else 'off'})"
            if dropped and await self._rewind_stream_partition(tp, dropped[0], why) is not None:
                self.refetched_records += len(dropped)

    async def rewind_cleared(self, first: Mapping[TP, Any]) -> None:
        """Rewind each stream partition to its first record emptied from the buffers (4.)."""
        for tp, message in first.items():
            if message.generation_id != self.app.consumer_generation_id:
                continue  # a rebalance since: its own seek covers it
            why = "records emptied from the stream buffers when the flow resumed"
            position = await self._rewind_stream_partition(tp, message.offset, why)
            if position is not None:
                self.refetched_records += position - message.offset

    async def _rewind_stream_partition(self, tp: TP, offset: int, why: str) -> Optional[int]:
        """Seek an assigned stream partition back to ``offset`` if its fetch position is past it
        (not one already rewound by a rebalance's seek); returns that position, None if left
        alone. Tables' changelogs recover on their own."""
        if tp not in self.assignment() or tp.topic in self.app.tables.changelog_topics:
            return None
        position = _position(self, tp)
        if position is None or position <= offset:
            return None
        log.info("re-fetching %s/%d from offset %d: %s", tp.topic, tp.partition, offset, why)
        await self.seek(tp, offset)
        return position

    async def seek_to_committed(self) -> Mapping[TP, int]:
        committed = await super().seek_to_committed()
        changelogs = self.app.tables.changelog_topics  # tables recover on their own terms
        fresh = [tp for tp, offset in committed.items() if not offset and tp.topic not in changelogs]
        if fresh:
            await self._thread.seek_to_beginning(*fresh)
        return committed

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        if acked:
            gaps = self._gap[tp]  # offsets the broker never had (compaction): count as acked
            head = min(min(acked), min((i.begin for i in gaps), default=min(acked)))
            if head > (self._committed_offset[tp] or 0):
                return None  # the event at the committed offset is not processed yet
        return super()._new_offset(tp)


def keep_records_cleared_on_resume(flow_control: Any, consumer: SafeCommitConsumer) -> None:
    """Wrap ``flow_control.resume`` so the stream records it empties are fetched again (4.)."""
    resume = flow_control.resume

    def resume_and_refetch() -> None:
        # before resume empties them; older generations are re-sought by the rebalance itself
        first = first_buffered(flow_control._queues, consumer.app.consumer_generation_id)
        resume()
        if first:
            asyncio.ensure_future(consumer.rewind_cleared(first))

    flow_control.resume = resume_and_refetch


def first_buffered(queues: Any, generation_id: int) -> dict[TP, Any]:
    """The lowest-offset message per partition of this generation waiting in these buffers."""
    first: dict[TP, Any] = {}
    for queue in list(queues):
        for item in list(queue._queue):
            message = getattr(item, "message", None)
            if message is None or message.offset is None or message.generation_id != generation_id:
                continue
            tp = message.tp
            if tp not in first or message.offset < first[tp].offset:
                first[tp] = message
    return first


def aiokafka_assignment(consumer: Any) -> Any:
    """aiokafka's own assignment of a Faust consumer (fetch positions, high watermarks, pauses),
    or None when it is not started or between generations."""
    try:
        return consumer._thread._consumer._subscription.subscription.assignment
    except Exception:
        return None


def _position(consumer: Any, tp: TP) -> Optional[int]:
    """aiokafka's fetch position of ``tp`` (None when it has none yet)."""
    assignment = aiokafka_assignment(consumer)
    try:
        return assignment.state_value(tp)._position
    except Exception:  # between generations: the rebalance seeks every partition anyway
        return None


class KafkaTransport(aiokafka_driver.Transport):
    """``kafka-safe://`` (Kafka, Redpanda): Faust's aiokafka transport with ``SafeCommitConsumer``."""

    Consumer = SafeCommitConsumer
