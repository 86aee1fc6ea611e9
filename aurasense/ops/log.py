"""The message log as the operator tools see it: topics, their ends, records, publishing.

Log starts and ends are the broker's ListOffsets answers (``beginning_offsets``/``end_offsets``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import AsyncIterator, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaConnectionError, KafkaError

from streams.topic_reader import LogRecord, read_topic, topic_partitions


class BrokerUnreachable(RuntimeError):
    """The broker did not answer (the CLI exits 3)."""


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int
    records: int  # log end − log start, summed over partitions


def _consumer(bootstrap: str, **kw) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                            fetch_max_wait_ms=50, request_timeout_ms=10000, **kw)


async def _start(client) -> None:
    try:
        await client.start()
    except (KafkaError, OSError) as exc:
        with contextlib.suppress(Exception):
            await client.stop()
        raise BrokerUnreachable(f"cannot reach the broker: {exc}") from None


async def describe_topics(bootstrap: str, names: Iterable[str] | None = None) -> list[TopicInfo]:
    """Partitions and record counts of ``names`` (default: every topic but internal ones)."""
    consumer = _consumer(bootstrap)
    await _start(consumer)
    try:
        existing = sorted(t for t in await consumer.topics() if not t.startswith("__"))
        wanted = existing if names is None else [n for n in names if n in existing]
        tps = await topic_partitions(bootstrap, wanted)
        starts = await consumer.beginning_offsets(tps) if tps else {}
        ends = await consumer.end_offsets(tps) if tps else {}
    finally:
        await consumer.stop()
    return [TopicInfo(t, sum(1 for tp in tps if tp.topic == t),
                      sum(ends[tp] - starts.get(tp, 0) for tp in tps if tp.topic == t))
            for t in wanted]


async def topic_names(bootstrap: str) -> list[str]:
    consumer = _consumer(bootstrap)
    await _start(consumer)
    try:
        return sorted(t for t in await consumer.topics() if not t.startswith("__"))
    finally:
        await consumer.stop()


async def read_all(bootstrap: str, topics: Iterable[str], start_offset: int = 0) -> list[LogRecord]:
    """Every record now in ``topics`` (read side by side), ordered by broker timestamp."""
    try:
        batches = await asyncio.gather(*(read_topic(bootstrap, t, start_offset=start_offset)
                                         for t in topics))
    except (KafkaConnectionError, OSError) as exc:
        raise BrokerUnreachable(f"cannot reach the broker: {exc}") from None
    records = [r for batch in batches for r in batch if r.offset >= start_offset]
    return sorted(records, key=lambda r: (r.timestamp_ms, r.topic, r.partition, r.offset))


def next_positions(records: Iterable[LogRecord]) -> dict[tuple[str, int], int]:
    """Where to go on after ``records``: one past the last offset seen per partition."""
    out: dict[tuple[str, int], int] = {}
    for r in records:
        out[(r.topic, r.partition)] = max(out.get((r.topic, r.partition), 0), r.offset + 1)
    return out


async def follow(bootstrap: str, topics: Iterable[str],
                 positions: dict[tuple[str, int], int]) -> AsyncIterator[LogRecord]:
    """Records arriving after ``positions`` (partitions not in it: from 0), until cancelled."""
    consumer = _consumer(bootstrap)
    await _start(consumer)
    try:
        tps = await topic_partitions(bootstrap, topics)
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, positions.get((tp.topic, tp.partition), 0))
        while True:
            batch = await consumer.getmany(timeout_ms=500)
            for tp, msgs in sorted(batch.items()):
                for m in msgs:
                    if m.offset >= positions.get((tp.topic, tp.partition), 0):
                        yield LogRecord(tp.topic, tp.partition, m.offset, m.timestamp,
                                        m.key, m.value)
    finally:
        await consumer.stop()


async def publish(bootstrap: str, messages: Iterable[tuple[str, bytes | None, bytes]]) -> list:
    """Send ``(topic, key, value)`` and wait for each acknowledgement; the record metadata."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=15000)
    await _start(producer)
    try:
        futures = [await producer.send(t, v, key=k) for t, k, v in messages]
        return [await f for f in futures]
    finally:
        await producer.stop()
