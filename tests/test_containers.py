"""The production notification path: MinIO publishing bucket events to Redpanda (needs Docker)."""

from __future__ import annotations

import time

import pytest

from schemas.s3_events import parse_bucket_event
from schemas.topics import BUCKET_EVENTS
from stack.containers import ContainerStack, docker_available
from streams.admin import ensure_topics_sync
from streams.topic_reader import read_topic_sync

AVAILABLE, WHY = docker_available()
pytestmark = pytest.mark.skipif(not AVAILABLE, reason=WHY)


def test_minio_publishes_uploads_to_bucket_events_in_minio_shape(tmp_path):
    from core.storage import s3_client

    with ContainerStack(tmp_path, create_topics=ensure_topics_sync) as stack:
        settings = stack.settings()
        s3_client(settings).put_object(Bucket=settings.audio_bucket, Key="uploads/u1/s1.wav",
                                       Body=b"RIFF....", Metadata={"user-id": "u1"})
        deadline, objects = time.monotonic() + 30, []
        while not objects and time.monotonic() < deadline:
            records = read_topic_sync(settings.kafka_bootstrap, BUCKET_EVENTS)
            objects = [o for r in records for o in parse_bucket_event(r.value)]
        assert [(o.bucket, o.key, o.user_metadata.get("user-id")) for o in objects] == [
            ("audio", "uploads/u1/s1.wav", "u1")]
