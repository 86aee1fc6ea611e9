"""Read a topic from the beginning (or an offset) to its current end, or one record, outside any
consumer group.

A read ends once every partition's position reached the high watermark its last fetch reported.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import AsyncIterator, Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.client import AIOKafkaClient


@dataclass(frozen=True)
class LogRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None


async def topic_partitions(bootstrap: str, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of ``topics`` that exist, from a Metadata request for all topics.

    A consumer outside a group knows only the topics it was assigned, so it cannot say."""
    client = AIOKafkaClient(bootstrap_servers=bootstrap)
    await client.bootstrap()
    try:
        cluster = await client.fetch_all_metadata()
    finally:
        await client.close()
    return [TopicPartition(t, p) for t in topics for p in sorted(cluster.partitions_for_topic(t) or [])]


@asynccontextmanager
async def _reader(bootstrap: str) -> AsyncIterator[AIOKafkaConsumer]:
    """A started consumer outside any group (no commits), stopped on the way out."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                fetch_max_wait_ms=50)
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def read_topic(bootstrap: str, topic: str, idle_s: float = 0.5,
                     start_offset: int = 0) -> list[LogRecord]:
    """Every record now in ``topic``, by partition then offset."""
    tps = await topic_partitions(bootstrap, [topic])
    async with _reader(bootstrap) as consumer:
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, start_offset)
        return await _drain(consumer, tps, idle_s)


async def _drain(consumer: AIOKafkaConsumer, tps: list[TopicPartition], idle_s: float) -> list[LogRecord]:
    records: list[LogRecord] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max(10 * idle_s, 5.0)  # a partition that never answers must not hang us
    while loop.time() < deadline:
        batch = await consumer.getmany(timeout_ms=int(idle_s * 1000))
        for tp, msgs in batch.items():
            records += [LogRecord(tp.topic, tp.partition, m.offset, m.timestamp, m.key, m.value)
                        for m in msgs]
        if not batch and await _caught_up(consumer, tps):
            break
    return sorted(records, key=lambda r: (r.partition, r.offset))


async def _caught_up(consumer: AIOKafkaConsumer, tps: list[TopicPartition]) -> bool:
    for tp in tps:
        hw = consumer.highwater(tp)
        if hw is None or await consumer.position(tp) < hw:
            return False
    return True


async def read_record(bootstrap: str, topic: str, partition: int, offset: int,
                      timeout_s: float = 5.0) -> LogRecord | None:
    """The one record at ``offset`` (None when the log no longer has it: retention, compaction)."""
    async with _reader(bootstrap) as consumer:
        tp = TopicPartition(topic, partition)
        consumer.assign([tp])
        consumer.seek(tp, offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            batch = await consumer.getmany(tp, timeout_ms=200, max_records=1)
            if batch.get(tp):  # the first record at or after ``offset``
                m = batch[tp][0]
                return LogRecord(topic, partition, m.offset, m.timestamp, m.key, m.value) \
                    if m.offset == offset else None
            if await _caught_up(consumer, [tp]):
                return None
        return None


def read_topic_sync(bootstrap: str, topic: str, idle_s: float = 0.5) -> list[LogRecord]:
    return asyncio.run(read_topic(bootstrap, topic, idle_s))
