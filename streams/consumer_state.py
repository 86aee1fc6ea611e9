"""What the consumer knows about each stream partition, for /healthz and the stall guard.

aiokafka's fetch position and high watermark, and Faust's own bookkeeping (read offset,
committed offset, acked offsets not yet committed, gaps): enough to tell a partition that was
never fetched from one fetched but not handed to the stream, or handed over and dropped.
"""

from __future__ import annotations

from typing import Any

from schemas.topics import STREAM_TOPICS
from streams.faust_fixes import aiokafka_assignment


def fetch_state(app: Any) -> dict[str, dict]:
    """Per stream partition ``topic/partition``: aiokafka's and Faust's view of it."""
    assignment = aiokafka_assignment(app.consumer)
    if assignment is None:  # not started, or between generations
        return {}
    consumer = app.consumer
    out = {}
    for tp in assignment.tps:
        if tp.topic not in STREAM_TOPICS:
            continue
        state = assignment.state_value(tp)  # aiokafka TopicPartition == Faust TP (same tuple)
        out[f"{tp.topic}/{tp.partition}"] = {
            "position": state._position, "highwater": state.highwater, "paused": state.paused,
            "status": str(state._status), "read_offset": consumer._read_offset.get(tp),
            "committed": consumer._committed_offset.get(tp),
            "acked": sorted(consumer._acked.get(tp) or [])[:20],
            "gaps": [(i.begin, i.end) for i in sorted(consumer._gap.get(tp) or [])][:10],
        }
    return out
