"""Every reach into private names of faust-streaming, mode and aiokafka: this module only.

It refuses to import on versions it was not tested with (``TESTED``): a private name that moved
must fail loudly at start, never turn a repair into a silent no-op.

What it holds:

* reads of the consumers' own bookkeeping (committed, read and acked offsets, aiokafka's fetch
  positions, the stream buffers) for the sweeper and ``/healthz``;
* ``SafeCommitConsumer``, Faust's aiokafka consumer with the repairs that keep the delivery
  invariant (streams/delivery.py) on Faust 0.15.3:

  1. Faust commits the longest run of acked offsets, but refuses only when the first acked offset
     is *more than one* past the committed one (``Consumer._new_offset``), and not at all while
     nothing was committed: one event dropped at the head of a partition is committed over and
     lost. ``_new_offset`` here commits only a run that starts at the committed offset (0 for a
     partition never committed: every topic starts at 0, streams/admin.py creates them).
  2. ``Consumer.getmany`` stops handing out a fetched batch when the flow stops or the generation
     changes mid-batch, with aiokafka's position already past those records; such a stream
     partition is rewound to its first record not handed on.
  3. At the end of a rebalance Faust seeks to the committed offsets, then ``flow_control.resume()``
     empties every stream buffer, records fetched after the seek included; the partition is
     rewound to the first of them, between two batches (a record handed on after the seek would
     move Faust's read offset past it, and Faust would drop what is fetched again).

  4. ``Consumer.pause_partitions`` pauses only in Faust: aiokafka goes on fetching the partitions.
     After recovery Faust "pauses" the tables' changelog partitions, and every status write came
     back as a fetched record nobody reads; aiokafka then sends no fetch to that broker for its
     prefetch backoff (100 ms) while such a record is fresh, so a stage's next event waited up to
     100 ms on the broker.  The changelog partitions' pauses are mirrored into aiokafka here.

  Each has a reproduction on Kafka in tests/test_faust_compat.py that fails without it. No
  repair for aiokafka's ``seek_to_committed`` skipping partitions committed at 0 or never: a
  new assignment already resets every fetch position (tested there too).
"""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import version
from typing import Any, AsyncIterator, Iterator, Mapping, Optional, Set, Tuple

from core.library_versions import UntestedLibraryVersion, require_tested  # noqa: F401 - what check_versions raises

TESTED = {"faust-streaming": "0.15.3", "mode-streaming": "0.7.1", "aiokafka": "0.14.0"}


def check_versions(installed=version) -> None:
    require_tested(TESTED, "streams/faust_compat.py", installed)


check_versions()

# Imported after the check: on another version these very imports may be what moved.
from faust.transport.drivers import aiokafka as aiokafka_driver  # noqa: E402
from faust.types import TP, Message  # noqa: E402

log = logging.getLogger(__name__)


# --- reading the consumers' bookkeeping -------------------------------------------------------

def committed_offsets(consumer: Any) -> Mapping[TP, Optional[int]]:
    """Faust's own record of what it committed, per partition (None: never committed)."""
    return consumer._committed_offset


def aiokafka_consumer(consumer: Any) -> Any:
    """The aiokafka consumer under a Faust consumer (on Faust's consumer thread); None before it
    started."""
    return consumer._thread._consumer


def aiokafka_assignment(consumer: Any) -> Any:
    """aiokafka's assignment under a Faust consumer (fetch positions, high watermarks, pauses);
    None before the consumer started or between generations."""
    inner = aiokafka_consumer(consumer)
    if inner is None:
        return None
    subscription = inner._subscription.subscription
    return None if subscription is None else subscription.assignment


def fetch_position(consumer: Any, tp: TP) -> Optional[int]:
    """aiokafka's fetch position of an assigned ``tp`` (None while it has none)."""
    assignment = aiokafka_assignment(consumer)
    if assignment is None or tp not in assignment.tps:
        return None
    state = assignment.state_value(tp)
    return state.position if state.has_valid_position else None


def partition_state(consumer: Any, tp: TP) -> dict:
    """aiokafka's and Faust's view of one assigned partition, for /healthz."""
    state = aiokafka_assignment(consumer).state_value(tp)
    return {
        "position": state.position if state.has_valid_position else None,
        "highwater": state.highwater, "paused": state.paused, "status": str(state._status),
        "read_offset": consumer._read_offset.get(tp),
        "committed": consumer._committed_offset.get(tp),
        "acked": sorted(consumer._acked.get(tp) or [])[:20],
        "gaps": [(i.begin, i.end) for i in sorted(consumer._gap.get(tp) or [])][:10],
    }


def fetched_unread(consumer: Any) -> set[TP]:
    """Partitions with records aiokafka fetched that nobody has read yet (repair 4.)."""
    inner = aiokafka_consumer(consumer)
    return set() if inner is None else {TP(tp.topic, tp.partition) for tp in inner._fetcher._records}


def buffered_messages(flow_control: Any) -> Iterator[Any]:
    """Every message waiting in the stream buffers that ``flow_control`` governs."""
    for queue in list(flow_control._queues):
        for item in list(queue._queue):
            message = getattr(item, "message", None)  # buffers also hold non-message items
            if message is not None:
                yield message


# --- the repairs ------------------------------------------------------------------------------

class SafeCommitConsumer(aiokafka_driver.Consumer):
    _batch: Mapping[TP, list] = {}
    refetched_records = 0  # records fetched again by repairs 2 and 3, since start (/metrics)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cleared_on_resume: dict[TP, Any] = {}  # first record emptied per partition (3.)
        keep_records_cleared_on_resume(self.app.flow_control, self)
        self._mirroring: set[asyncio.Future] = set()

    def pause_partitions(self, tps: Any) -> None:
        super().pause_partitions(tps)
        self._mirror_changelog_pauses()

    def resume_partitions(self, tps: Any) -> None:
        super().resume_partitions(tps)
        self._mirror_changelog_pauses()

    def _mirror_changelog_pauses(self) -> None:
        """Make aiokafka's pauses of changelog partitions Faust's (4.), on the consumer's thread
        (aiokafka's pause futures belong to its loop).  Each run applies Faust's pauses as they
        are then, so runs that overtake one another still end in Faust's state."""
        if aiokafka_consumer(self) is None:
            return  # not started: the first assignment's recovery pauses again
        task = asyncio.ensure_future(self._thread.call_thread(self._apply_changelog_pauses))
        self._mirroring.add(task)
        task.add_done_callback(self._mirrored)

    def _mirrored(self, task: asyncio.Future) -> None:
        self._mirroring.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("faust_compat: changelog pauses not mirrored into aiokafka: %r",
                        task.exception())

    async def _apply_changelog_pauses(self) -> None:
        inner = aiokafka_consumer(self)
        if inner is None:
            return
        changelogs = self.app.tables.changelog_topics
        assigned = {tp for tp in inner.assignment() if tp.topic in changelogs}
        wanted = {tp for tp in assigned if TP(tp.topic, tp.partition) in self._paused_partitions}
        paused = inner.paused() & assigned
        if wanted - paused:
            inner.pause(*(wanted - paused))
        if paused - wanted:
            inner.resume(*(paused - wanted))

    async def _wait_next_records(self, timeout: float) -> Tuple[Optional[Mapping], Optional[Set[TP]]]:
        records, active = await super()._wait_next_records(timeout)
        self._batch = records or {}  # what this getmany call fetched, to see what it handed on
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[Tuple[TP, Message]]:
        if self.cleared_on_resume:  # between batches: no record of the old fetch follows the seek
            cleared, self.cleared_on_resume = self.cleared_on_resume, {}
            await self.rewind_cleared(cleared)
        self._batch, handed = {}, {}
        async for tp, message in super().getmany(timeout):
            handed[tp] = message.offset
            yield tp, message
        await self._refetch_dropped(self._batch, handed)

    async def _refetch_dropped(self, batch: Mapping[TP, list], handed: Mapping[TP, int]) -> None:
        """Rewind each partition to the first record of ``batch`` that was not handed on (2.)."""
        for tp, records in batch.items():
            last = handed.get(tp)
            dropped = [r.offset for r in records if last is None or r.offset > last]
            why = f"{len(dropped)} fetched but not handed on (flow {'on' if self.flow_active else 'off'})"
            if dropped and await self._rewind_stream_partition(tp, dropped[0], why) is not None:
                self.refetched_records += len(dropped)

    async def rewind_cleared(self, first: Mapping[TP, Any]) -> None:
        """Rewind each stream partition to its first record emptied from the buffers (3.)."""
        for tp, message in first.items():
            if message.generation_id != self.app.consumer_generation_id:
                continue  # a rebalance since: its own seek covers it
            why = "records emptied from the stream buffers when the flow resumed"
            position = await self._rewind_stream_partition(tp, message.offset, why)
            if position is not None:
                self.refetched_records += position - message.offset

    async def _rewind_stream_partition(self, tp: TP, offset: int, why: str) -> Optional[int]:
        """Seek an assigned stream partition back to ``offset`` if its fetch position is past it;
        returns that position, None if left alone. Tables' changelogs recover on their own."""
        if tp not in self.assignment() or tp.topic in self.app.tables.changelog_topics:
            return None
        position = fetch_position(self, tp)
        if position is None or position <= offset:
            return None
        log.info("re-fetching %s/%d from offset %d: %s", tp.topic, tp.partition, offset, why)
        await self.seek(tp, offset)
        return position

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        if acked:  # (1.)
            gaps = self._gap[tp]  # offsets the broker never had (compaction): count as acked
            head = min(min(acked), min((i.begin for i in gaps), default=min(acked)))
            if head > (self._committed_offset[tp] or 0):
                return None  # the event at the committed offset is not processed yet
        return super()._new_offset(tp)


def keep_records_cleared_on_resume(flow_control: Any, consumer: SafeCommitConsumer) -> None:
    """Wrap ``flow_control.resume`` so the stream records it empties are fetched again (3.)."""
    resume = flow_control.resume

    def resume_and_refetch() -> None:
        # before resume empties them; older generations are re-sought by the rebalance itself
        first = first_buffered(flow_control, consumer.app.consumer_generation_id)
        resume()
        # The seek waits for the next getmany: records of the batch being handed on now would
        # move Faust's read offset past the seek, and it would drop the records fetched again.
        pending = consumer.cleared_on_resume
        for tp, message in first.items():
            if tp not in pending or message.offset < pending[tp].offset:
                pending[tp] = message

    flow_control.resume = resume_and_refetch


def first_buffered(flow_control: Any, generation_id: int) -> dict[TP, Any]:
    """The lowest-offset message per partition of this generation waiting in the buffers."""
    first: dict[TP, Any] = {}
    for message in buffered_messages(flow_control):
        if message.offset is None or message.generation_id != generation_id:
            continue
        tp = message.tp
        if tp not in first or message.offset < first[tp].offset:
            first[tp] = message
    return first


# What the producer adds to Faust's settings (which give only acks=all outside transactions).
IDEMPOTENT_PRODUCER = {"acks": "all", "enable_idempotence": True}


class IdempotentProducer(aiokafka_driver.Producer):
    """Faust turns the idempotent producer on only inside transactions. On, a batch the producer
    sends again after its acknowledgement did not come (the first try written all the same) is
    written once: tests/test_producer_duplicates.py reproduces the duplicate without it."""

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), **IDEMPOTENT_PRODUCER}


class KafkaTransport(aiokafka_driver.Transport):
    """``kafka-safe://``: Faust's aiokafka transport with the repairs above."""

    Consumer = SafeCommitConsumer
    Producer = IdempotentProducer
