"""What the gateway's endpoints reach: the bucket, the status view, the bucket-events topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from core.settings import Settings
from core.storage import AudioStore
from gateway.config import GatewayConfig
from gateway.objects import ObjectInfo
from schemas.events import SessionEvent, SessionIssued, SessionStatus


@dataclass
class GatewayDeps:
    settings: Settings
    store: AudioStore
    get_status: Callable[[str], Awaitable[SessionStatus | None]]  # any session (asks its owner)
    publish_bucket_event: Callable[[bytes, bytes], Awaitable[None]]  # (key, value)
    readiness: Callable[[], dict]
    head_object: Callable[[str], Awaitable[ObjectInfo | None]]  # key in the audio bucket
    config: GatewayConfig
    # For /metrics: {"statuses": iterable of status dicts, "consumer_lag": {"topic/partition": n},
    # "messages_sent": {topic: n}, "delivery_repairs": {kind: n}}; None when the gateway runs
    # without a worker.
    metrics_source: Callable[[], dict[str, Any]] | None = None
    # This worker's own table, for peers asking (gateway/peers.py); defaults to none.
    local_status: Callable[[str], SessionStatus | None] = lambda session_id: None
    # Publishes a SessionIssued (awaits the broker's ack), so every gateway answers `pending` for
    # an issued session before its audio arrives; a gateway without a worker only remembers it.
    announce_session: Callable[[SessionIssued], Awaitable[Any]] | None = None
    # Publishes a session event to its topic (streams/outbox.py: awaits the broker's ack) and
    # returns where it landed (``RecordMetadata``): typed text enters the pipeline through it.
    # None when the gateway runs without a worker: typed text is then refused (503).
    publish_event: Callable[[SessionEvent], Awaitable[Any]] | None = None
