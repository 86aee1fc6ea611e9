"""What the gateway's endpoints reach: the bucket, the status view, the bucket-events topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable

from aurasense.settings import Settings
from aurasense.storage import AudioStore
from schemas.events import SessionStatus


@dataclass
class GatewayDeps:
    settings: Settings
    store: AudioStore
    get_status: Callable[[str], SessionStatus | None]
    publish_bucket_event: Callable[[bytes, bytes], Awaitable[None]]  # (key, value)
    readiness: Callable[[], dict]
