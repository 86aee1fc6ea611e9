"""What the pipeline tests share: reading topics, reply objects, valid WAV checks."""

from __future__ import annotations

import asyncio
import io
import time
import uuid
import wave

import httpx
import orjson
from aiokafka import AIOKafkaProducer, TopicPartition

from aurasense.ops.lag import committed_offsets

from streams.topic_reader import read_topic_sync


def new_user() -> str:
    return f"u-{uuid.uuid4().hex[:8]}"


def events_for(settings, topic: str, session_id: str) -> list[dict]:
    """Every record of ``topic`` keyed by ``session_id``, decoded."""
    return [orjson.loads(r.value) for r in read_topic_sync(settings.kafka_bootstrap, topic)
            if r.key == session_id.encode()]


def reply_objects(s3, settings, user_id: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=settings.audio_bucket,
                                Prefix=f"{settings.reply_prefix}{user_id}/")
    return [o["Key"] for o in listed.get("Contents", [])]


def assert_valid_wav(data: bytes) -> float:
    """Parse the WAV and return its duration in seconds (fails on anything else)."""
    with wave.open(io.BytesIO(data)) as w:
        assert w.getnframes() > 0
        return w.getnframes() / w.getframerate()


def wait_consumed(settings, sent, timeout: float = 30.0) -> None:
    """Block until the worker's consumer group has committed past every record in ``sent``."""
    asyncio.run(_wait_consumed(settings, sent, timeout))


async def _wait_consumed(settings, sent, timeout: float) -> None:
    tps = [TopicPartition(meta.topic, meta.partition) for meta in sent]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        committed = await committed_offsets(settings.kafka_bootstrap, settings.app_id, tps)
        if all((committed[tp] or 0) > meta.offset for tp, meta in zip(tps, sent)):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"records not consumed within {timeout}s: {sent}")


def publish(settings, messages: list[tuple[str, bytes | None, bytes]]) -> list:
    """Send ``(topic, key, value)`` records as a producer would; return their RecordMetadata."""
    return asyncio.run(_publish(settings, messages))


async def _publish(settings, messages):
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        return [await producer.send_and_wait(t, v, key=k) for t, k, v in messages]
    finally:
        await producer.stop()


def fetch(url: str) -> bytes:
    r = httpx.get(url, timeout=30)
    r.raise_for_status()
    return r.content


class RecordingOutbox:
    """Stands in for ``streams.outbox.Outbox`` in plain-event tests: records (topic, event) where a
    broker would put it, and dead letters as ("dead-letter", reason)."""

    def __init__(self) -> None:
        self.sent: list = []

    async def send_event(self, event, topic=None):
        from types import SimpleNamespace

        from streams.outbox import TOPIC_OF

        topic = topic or TOPIC_OF[type(event)]
        self.sent.append((topic, event))
        return SimpleNamespace(topic=topic, partition=0, offset=len(self.sent) - 1)

    async def dead_letter(self, stage, origin, value, error) -> None:
        self.sent.append(("dead-letter", str(error)))

