"""Faust transport for the tansu broker: its measured defects handled in one place.

Selected by the broker URL scheme ``tansu://`` (registered under Faust's
``faust.transports`` entry point in pyproject.toml); ``kafka-safe://`` (Kafka, Redpanda)
never touches this module. See DESIGN.md, "tansu 0.6.0 ... measured defects":

1. ListOffsets(LATEST) answers the last batch's base offset + 1, not the log end, so
   table recovery would stop one batch short. We read the true end from a Fetch
   response's high watermark instead.
2. tansu long-polls in halving steps of ``fetch_max_wait_ms`` (which Faust fixes at
   1500 ms): a short wait keeps a hop at tens of milliseconds.
3. JoinGroup waits ``session_timeout / 2``: short session timeout and heartbeat.
4. No idempotent or transactional producer: the app stays at-least-once
   (Faust's default), and stages dedupe.
5. No compaction and auto-created topics get 4 partitions: streams/admin.py creates
   every topic explicitly before the worker starts.
"""

from __future__ import annotations

import asyncio
from typing import Any, Iterable, List, Mapping

from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP

from streams.faust_fixes import SafeCommitConsumer

FETCH_MAX_WAIT_MS = 10
HIGHWATER_TIMEOUT_S = 5.0


def app_settings() -> dict[str, Any]:
    """Faust settings tansu needs (defect 3: join takes session_timeout / 2)."""
    return {
        "broker_session_timeout": 6.0,
        "broker_heartbeat_interval": 1.0,
        "broker_request_timeout": 30.0,
    }


async def true_log_end(bootstrap: str, partitions: Iterable[TP], reported: Mapping[TP, int]) -> dict[TP, int]:
    """The log end of each partition from a Fetch's high watermark (defect 1).

    ``reported`` is what ListOffsets(LATEST) said: the true end is at or after it,
    and a fetch from just before it returns the real high watermark.
    """
    wanted = [tp for tp in partitions if reported.get(tp, 0) > 0]
    ends = {tp: 0 for tp in partitions}
    if not wanted:
        return ends
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                fetch_max_wait_ms=FETCH_MAX_WAIT_MS, max_partition_fetch_bytes=1024)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(tp.topic, tp.partition) for tp in wanted])
        for tp in wanted:
            consumer.seek(TopicPartition(tp.topic, tp.partition), reported[tp] - 1)
        ends.update(await _fetched_highwaters(consumer, wanted))
    finally:
        await consumer.stop()
    return ends


async def _fetched_highwaters(consumer: AIOKafkaConsumer, wanted: List[TP]) -> dict[TP, int]:
    found: dict[TP, int] = {}
    deadline = asyncio.get_running_loop().time() + HIGHWATER_TIMEOUT_S
    while len(found) < len(wanted):
        if asyncio.get_running_loop().time() > deadline:
            missing = [tp for tp in wanted if tp not in found]
            raise TimeoutError(f"no high watermark from the broker for {missing}")
        await consumer.getmany(timeout_ms=100)
        for tp in wanted:
            hw = consumer.highwater(TopicPartition(tp.topic, tp.partition))
            if hw is not None:
                found[tp] = hw
    return found


class TansuConsumerThread(aiokafka_driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        # Defect 2: Faust hard-codes fetch_max_wait_ms=1500; the fetcher reads this at start.
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS
        return consumer

    async def _highwaters(self, partitions: List[TP]) -> Mapping[TP, int]:
        reported = await super()._highwaters(partitions)
        bootstrap = self._ensure_consumer()._client._bootstrap_servers
        return await true_log_end(bootstrap, partitions, reported)


class TansuConsumer(SafeCommitConsumer):
    def _new_consumer_thread(self) -> TansuConsumerThread:
        return TansuConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(aiokafka_driver.Transport):
    """``tansu://host:port``: the aiokafka transport with the fixes above."""

    Consumer = TansuConsumer
