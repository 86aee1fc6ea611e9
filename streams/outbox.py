"""Where stages send: the next topic (keyed by session), or the dead-letter topic.

Sends are awaited until the broker acknowledges them, so a stage records a step in
the status table only after its output is safely on the log (at-least-once).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from schemas import topics
from schemas.events import (AudioResponded, AudioTranscribed, AudioUploaded, DeadLetter,
                            RequestRouted, SessionEvent, SessionFailed)

log = logging.getLogger(__name__)

# Which topic carries which record: one place.
TOPIC_OF: dict[type, str] = {
    AudioUploaded: topics.AUDIO_UPLOADED,
    AudioTranscribed: topics.AUDIO_TRANSCRIBED,
    RequestRouted: topics.REQUEST_ROUTED,
    AudioResponded: topics.AUDIO_RESPONDED,
    SessionFailed: topics.SESSION_FAILED,
}


class Outbox:
    def __init__(self, faust_topics: dict[str, Any], producer: Any) -> None:
        self._topics = faust_topics
        self._producer = producer

    async def flush(self) -> None:
        """Wait until everything sent so far, table changelog writes included, is on the log.

        Called after a status change, so what the gateway shows survives a crash.
        """
        await self._producer.flush()

    async def send_event(self, event: SessionEvent) -> None:
        topic = self._topics[TOPIC_OF[type(event)]]
        fut = await topic.send(key=event.session_id.encode(), value=event.encode())
        await fut

    async def send_raw(self, topic_name: str, key: bytes | None, value: bytes) -> None:
        fut = await self._topics[topic_name].send(key=key, value=value)
        await fut

    async def dead_letter(self, stage: str, origin: Any, value: Any, error: Exception) -> None:
        """``origin`` is the Faust message the bad value came in on."""
        payload = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        key = origin.key.decode("utf-8", "replace") if isinstance(origin.key, bytes) else ""
        record = DeadLetter(origin_topic=origin.topic, origin_partition=origin.partition,
                            origin_offset=origin.offset, error=str(error), stage=stage,
                            payload=payload, key=key, at=time.time())
        log.warning("%s: dead-lettered %s[%d]@%d: %s", stage, origin.topic, origin.partition,
                    origin.offset, error)
        where = f"{origin.topic}/{origin.partition}/{origin.offset}".encode()
        await self.send_raw(topics.DEAD_LETTER, where, record.encode())
