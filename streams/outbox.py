"""Where stages send: the next topic (keyed by session), or the dead-letter topic.

Sends are awaited until the broker acknowledges them, so a stage records a step in
the status table only after its output is safely on the log (at-least-once).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from schemas import topics
from schemas.events import (AudioResponded, AudioTranscribed, AudioUploaded, DeadLetter,
                            RequestRouted, SessionEvent, SessionFailed, SessionIssued,
                            TextSubmitted, UploadLogged)

log = logging.getLogger(__name__)

# Which topic carries which record: one place.
TOPIC_OF: dict[type, str] = {
    SessionIssued: topics.SESSION_ISSUED,
    UploadLogged: topics.UPLOAD_LOGGED,
    AudioUploaded: topics.AUDIO_UPLOADED,
    TextSubmitted: topics.TEXT_SUBMITTED,
    AudioTranscribed: topics.AUDIO_TRANSCRIBED,
    RequestRouted: topics.REQUEST_ROUTED,
    AudioResponded: topics.AUDIO_RESPONDED,
    SessionFailed: topics.SESSION_FAILED,
}


# How often a send still waiting for the broker's acknowledgement is logged. The producer retries
# the send itself (idempotent: written once); only a send it gave up on is sent again, loudly.
# A stage that cannot write to the log cannot go on, so nothing is ever dropped.
ACK_TIMEOUT_S = 15.0
MAX_BACKOFF_S = 5.0


class Outbox:
    def __init__(self, faust_topics: dict[str, Any], producer: Any) -> None:
        self._topics = faust_topics
        self._producer = producer

    async def flush(self) -> None:
        """Wait until everything sent so far, table changelog writes included, is on the log.

        Called after a status change and before an input is acked (streams/delivery.py), so what
        the gateway shows survives a crash. It never gives up: an input acked before its outputs
        are safe could be committed and lost.
        """
        await _waited_on(asyncio.ensure_future(self._producer.flush()), "a flush")

    async def send_event(self, event: SessionEvent, topic: str | None = None) -> Any:
        """Send ``event`` to ``topic`` (a stage's sink, from the pipeline table), else to the topic
        that carries its record type; returns the broker's ``RecordMetadata`` (where it landed)."""
        topic = topic or TOPIC_OF[type(event)]
        if TOPIC_OF.get(type(event)) != topic:  # a stage table naming the wrong sink fails loudly
            raise TypeError(f"a {type(event).__name__} does not belong on {topic}")
        return await self.send_raw(topic, event.session_id.encode(), event.encode())

    async def send_raw(self, topic_name: str, key: bytes | None, value: bytes) -> Any:
        """Send, and wait for the broker's acknowledgement (sending again if it does not come);
        returns the ``RecordMetadata`` (topic, partition, offset)."""
        delay = 0.2
        while True:
            fut = await self._topics[topic_name].send(key=key, value=value)
            try:
                return await _waited_on(fut, f"a {topic_name} record")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the producer gave up on this record
                log.warning("outbox: a %s record was not written (%s); sending it again",
                            topic_name, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)

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


async def _waited_on(fut: Any, what: str) -> Any:
    """``fut``'s result, however long the broker takes (the producer keeps retrying); logs every
    ``ACK_TIMEOUT_S`` while it waits."""
    while True:
        try:
            return await asyncio.wait_for(asyncio.shield(fut), ACK_TIMEOUT_S)
        except asyncio.TimeoutError:
            log.warning("outbox: still no acknowledgement for %s after %.0fs; waiting on",
                        what, ACK_TIMEOUT_S)
