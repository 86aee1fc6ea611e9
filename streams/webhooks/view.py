"""Every worker's view of the webhook topics: the registrations in force and each session's latest
delivery state, read whole from the log (no consumer group) and followed as it grows.

The gateway answers ``GET /v1/sessions/{id}/webhook`` from it on any worker; the deliverer looks up
registrations in it, after ``caught_up()``: a registration acked before its session finished is
then always seen.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer

from schemas.events import SessionStatus
from schemas.records import SchemaError
from schemas.topics import WEBHOOK_DELIVERIES, WEBHOOK_REGISTRATIONS, WEBHOOK_TOPICS
from schemas.webhooks import (SESSION_SCOPE, USER_SCOPE, WebhookDelivery, WebhookRegistered,
                              registration_key)
from streams.topic_reader import topic_partitions

log = logging.getLogger(__name__)


class WebhookView:
    def __init__(self, bootstrap: str) -> None:
        self._bootstrap = bootstrap
        self._registrations: dict[str, WebhookRegistered] = {}
        self._deliveries: dict[str, WebhookDelivery] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._next: dict = {}  # per partition: the offset after the last record read
        self._ends: dict = {}  # per partition: the end the last caught_up() waits for
        self._started = asyncio.Event()

    # --- reading ----------------------------------------------------------------------------

    def registration(self, scope: str, subject: str) -> WebhookRegistered | None:
        found = self._registrations.get(registration_key(scope, subject))
        return found if found is not None and found.url else None

    def registration_for(self, status: SessionStatus) -> WebhookRegistered | None:
        """Where this session is called back: its own registration (made by its user), else its
        user's, if that was made before the session finished."""
        own = self.registration(SESSION_SCOPE, status.session_id)
        if own is not None and own.user_id == status.user_id:
            return own
        users = self.registration(USER_SCOPE, status.user_id)
        finished = status.completed_at or float("inf")
        return users if users is not None and users.registered_at <= finished else None

    def delivery(self, session_id: str) -> WebhookDelivery | None:
        return self._deliveries.get(session_id)

    # --- following the log ------------------------------------------------------------------

    def apply(self, topic: str, value: bytes | None) -> None:
        """Fold one record in (also called by the gateway for its own writes: read-your-writes)."""
        try:
            if topic == WEBHOOK_REGISTRATIONS:
                reg = WebhookRegistered.decode(value or b"")
                self._registrations[reg.key] = reg
            elif topic == WEBHOOK_DELIVERIES:
                state = WebhookDelivery.decode(value or b"")
                self._deliveries[state.session_id] = state
        except SchemaError as exc:
            log.warning("webhooks: a %s record skipped: %s", topic, exc)

    async def run(self) -> None:
        """Read both topics from the start, then follow them until cancelled."""
        tps = await topic_partitions(self._bootstrap, WEBHOOK_TOPICS)
        # "earliest" as the reset itself, not a seek after assign(): a seek raced with the
        # default "latest" reset, and a partition's records were silently never read.
        consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, enable_auto_commit=False,
                                    auto_offset_reset="earliest", fetch_max_wait_ms=100)
        await consumer.start()
        try:
            consumer.assign(tps)
            self._next = dict(await consumer.beginning_offsets(tps))
            self._consumer = consumer
            self._started.set()
            while True:
                batch = await consumer.getmany(timeout_ms=500)
                for tp, messages in batch.items():
                    for message in messages:
                        self.apply(tp.topic, message.value)
                    self._next[tp] = messages[-1].offset + 1
        finally:
            self._consumer = None
            await consumer.stop()

    async def caught_up(self, timeout_s: float = 10.0) -> bool:
        """Wait until everything on the topics now has been read (False if not within ``timeout_s``)."""
        self._ends = {}
        try:
            await asyncio.wait_for(self._caught_up(), timeout_s)
            return True
        except asyncio.TimeoutError:
            behind = {f"{tp.topic}/{tp.partition}": (self._next.get(tp), end)
                      for tp, end in self._ends.items() if self._next.get(tp, 0) < end}
            log.warning("webhooks: the registrations view is behind the log after %.0f s "
                        "(read, end: %s)", timeout_s, behind or "end offsets not known")
            return False

    async def _caught_up(self) -> None:
        await self._started.wait()
        consumer = self._consumer
        if consumer is None:  # stopped meanwhile: never caught up
            await asyncio.Event().wait()
        self._ends = await consumer.end_offsets(list(self._next))
        while any(self._next[tp] < end for tp, end in self._ends.items()):
            await asyncio.sleep(0.05)
