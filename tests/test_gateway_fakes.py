"""An in-process gateway over fakes (no worker): a status dict, a list of published events,
a dict of bucket objects. Shared by the fast gateway tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from starlette.testclient import TestClient

from core.settings import Settings
from core.storage import AudioStore
from gateway.app import create_gateway
from gateway.config import GatewayConfig
from gateway.deps import GatewayDeps
from gateway.objects import ObjectInfo
from schemas.events import SessionStatus
from streams.outbox import TOPIC_OF


@dataclass
class Fakes:
    statuses: dict[str, SessionStatus] = field(default_factory=dict)
    published: list[tuple[bytes, bytes]] = field(default_factory=list)
    objects: dict[str, ObjectInfo] = field(default_factory=dict)
    events: list = field(default_factory=list)  # session events (typed text), as the outbox sends
    ready: bool = True

    async def publish(self, key: bytes, value: bytes) -> None:
        self.published.append((key, value))

    async def publish_event(self, event):
        """Where the broker would put it: every event on partition 0, one offset each."""
        self.events.append(event)
        return SimpleNamespace(topic=TOPIC_OF[type(event)], partition=0, offset=len(self.events) - 1)

    async def lookup(self, session_id: str):
        return self.statuses.get(session_id)

    async def head(self, key: str) -> ObjectInfo | None:
        return self.objects.get(key)


def fake_gateway(config: GatewayConfig | None = None, metrics_source=None,
                 **settings_changes) -> tuple[TestClient, Fakes]:
    settings = Settings(s3_access_key="k", s3_secret_key="s", max_upload_bytes=1_000_000,
                        s3_public_endpoint="http://s3.example:8333", **settings_changes)
    fakes = Fakes()
    deps = GatewayDeps(settings=settings, store=AudioStore(settings), get_status=fakes.lookup,
                       publish_bucket_event=fakes.publish, publish_event=fakes.publish_event,
                       readiness=lambda: {"ready": fakes.ready}, head_object=fakes.head,
                       config=config or GatewayConfig.for_tests(), metrics_source=metrics_source)
    return TestClient(create_gateway(deps), raise_server_exceptions=False), fakes


@pytest.fixture
def gw():
    client, fakes = fake_gateway()
    with client:
        yield client, fakes
