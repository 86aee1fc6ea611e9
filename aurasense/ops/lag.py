"""What the pipeline's consumer group has committed, and its lag behind each topic's log end."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.topic_reader import topic_partitions


async def committed_offsets(bootstrap: str, group: str,
                            tps: list[TopicPartition]) -> dict[TopicPartition, int | None]:
    """The group's committed offset per partition (None where it never committed)."""
    # A group member that never subscribes: it only reads the group's committed offsets.
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        return {tp: await reader.committed(tp) for tp in tps}
    finally:
        await reader.stop()


async def consumer_lag(bootstrap: str, group: str, topics: list[str]) -> dict[str, int]:
    """{topic: log end − committed offset, summed over partitions}."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await probe.start()
    try:
        tps = await topic_partitions(bootstrap, topics)
        ends = await probe.end_offsets(tps)
    finally:
        await probe.stop()
    committed = await committed_offsets(bootstrap, group, tps)
    lag: dict[str, int] = {t: 0 for t in topics}
    for tp in tps:
        lag[tp.topic] += max(0, ends[tp] - (committed[tp] or 0))
    return lag


def consumer_lag_sync(bootstrap: str, group: str, topics: list[str]) -> dict[str, int]:
    return asyncio.run(consumer_lag(bootstrap, group, topics))
