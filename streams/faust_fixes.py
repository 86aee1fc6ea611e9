"""Two faust-streaming 0.15.3 defects that park or lose events, fixed in one place.

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
"""

from __future__ import annotations

from typing import Mapping

from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP


class SafeCommitConsumer(aiokafka_driver.Consumer):
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


class KafkaTransport(aiokafka_driver.Transport):
    """``kafka-safe://`` (Kafka, Redpanda): Faust's aiokafka transport with ``SafeCommitConsumer``."""

    Consumer = SafeCommitConsumer
