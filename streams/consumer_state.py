"""What the consumer knows about each stream partition, for /healthz.

aiokafka's fetch position and high watermark, and Faust's own bookkeeping (read offset,
committed offset, acked offsets not yet committed, gaps): enough to tell a partition that was
never fetched from one fetched but not handed to the stream, or handed over and dropped.
"""

from __future__ import annotations

from typing import Any

from schemas.topics import STREAM_TOPICS
from streams.faust_compat import aiokafka_assignment, partition_state


def fetch_state(app: Any) -> dict[str, dict]:
    """Per stream partition ``topic/partition``: aiokafka's and Faust's view of it."""
    assignment = aiokafka_assignment(app.consumer)
    if assignment is None:  # not started, or between generations
        return {}
    return {f"{tp.topic}/{tp.partition}": partition_state(app.consumer, tp)
            for tp in assignment.tps if tp.topic in STREAM_TOPICS}
