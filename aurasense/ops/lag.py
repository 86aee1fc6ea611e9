"""Consumer lag of the pipeline's group: records in each topic not yet committed by the workers."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.tansu_adapter import true_log_end


async def consumer_lag(bootstrap: str, group: str, topics: list[str]) -> dict[str, int]:
    """{topic: log end − committed offset, summed over partitions}."""
    # A group member that never subscribes: it only reads the group's committed offsets.
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        tps = [TopicPartition(t, p) for t in topics for p in sorted(reader.partitions_for_topic(t) or [])]
        # The fetch high watermark is the log end on every broker (tansu's ListOffsets is not).
        ends = await true_log_end(bootstrap, tps, await reader.end_offsets(tps))
        lag: dict[str, int] = {t: 0 for t in topics}
        for tp in tps:
            lag[tp.topic] += max(0, ends[tp] - (await reader.committed(tp) or 0))
        return lag
    finally:
        await reader.stop()


def consumer_lag_sync(bootstrap: str, group: str, topics: list[str]) -> dict[str, int]:
    return asyncio.run(consumer_lag(bootstrap, group, topics))
