"""The webhook deliverer: a member of the consumer group ``<app_id>-webhooks`` on the session-status
changelog. For each session that reached ``completed`` or ``failed`` and has a registration (in
the view, streams/webhooks/view.py), it POSTs the signed status, retrying with exponential
backoff, and writes each delivery state to ``webhook-deliveries``.

Deliveries run side by side; a changelog offset is committed only once the deliveries of its
record and of every record before it are delivered or given up (streams/webhooks/offsets.py). A
worker that dies mid-way leaves them, uncommitted, to the partition's next owner (at least once;
receivers dedupe on ``delivery_id``); what is delivered or given up on the log is not sent again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

from aiokafka import AIOKafkaConsumer
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError

from core.settings import Settings
from schemas.events import SessionStatus
from schemas.records import SchemaError
from schemas.topics import SESSION_STATUS_TABLE, WEBHOOK_DELIVERIES, changelog_topic
from schemas.webhooks import DELIVERED, GAVE_UP, PENDING, RETRYING, WebhookDelivery
from streams.webhooks.offsets import OffsetTracker
from streams.webhooks.schedule import backoff_delays, delivery_id, event_of, payload
from streams.webhooks.sender import Outcome, WebhookSender
from streams.webhooks.signing import SIGNATURE_HEADER, registration_secret, signature_header
from streams.webhooks.view import WebhookView

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes, bytes], Awaitable[Any]]  # (topic, key, value), awaits the ack


def finished_status(value: bytes | None) -> SessionStatus | None:
    """The status in a session-status changelog record, if the session is finished."""
    try:
        status = SessionStatus.decode(value) if value else None
    except SchemaError as exc:
        log.warning("webhooks: a status changelog record skipped: %s", exc)
        return None
    return status if status is not None and event_of(status) else None


MAX_IN_FLIGHT = 256  # deliveries running at once; reading the changelog waits beyond that


class WebhookDeliverer:
    def __init__(self, settings: Settings, view: WebhookView, sender: WebhookSender,
                 publish: Publish, key: bytes) -> None:
        self._settings, self._view, self._sender = settings, view, sender
        self._publish, self._key = publish, key
        self._delays = backoff_delays(settings.webhook_attempts, settings.webhook_backoff_s,
                                      settings.webhook_max_backoff_s)
        self._me = f"http://{settings.gateway_host}:{settings.gateway_port}"
        self.offsets = OffsetTracker()
        self._running: dict[str, asyncio.Task] = {}  # by delivery id
        self._failure: BaseException | None = None

    async def run(self) -> None:
        s = self._settings
        consumer = AIOKafkaConsumer(bootstrap_servers=s.kafka_bootstrap,
                                    group_id=f"{s.app_id}-webhooks", enable_auto_commit=False,
                                    auto_offset_reset="earliest", fetch_max_wait_ms=100)
        consumer.subscribe([changelog_topic(s.app_id, SESSION_STATUS_TABLE)],
                           listener=_CommitOnRevoke(consumer, self.offsets))
        await consumer.start()
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=500)
                await self.take([(tp, m.offset, m.value) for tp, ms in batch.items() for m in ms])
                await _commit(consumer, self.offsets.committable())
                await self._room()
        finally:
            for task in self._running.values():
                task.cancel()
            await consumer.stop()

    async def take(self, records: list[tuple[Any, int, bytes | None]]) -> None:
        """Start a delivery for each session these changelog records finished (one per session
        attempt, however many records say so); their offsets stay open until it ends."""
        if self._failure is not None:
            raise self._failure  # uncommitted: the restarted deliverer reads it again
        finished = [(tp, offset, finished_status(value)) for tp, offset, value in records]
        for tp, offset, _ in finished:
            self.offsets.read(tp, offset)
        if not any(status for *_, status in finished):
            return
        # A registration missed here would be a callback never made: wait for the view, however long.
        while not await self._view.caught_up():
            pass
        for tp, offset, status in finished:
            if status is not None:
                self._track(self._started(status), tp, offset)

    def _started(self, status: SessionStatus) -> asyncio.Task:
        key = delivery_id(status)
        if key not in self._running:
            task = asyncio.create_task(self.deliver(status), name=f"webhook {key}")
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        return self._running[key]

    def _track(self, task: asyncio.Task, tp: Any, offset: int) -> None:
        self.offsets.opened(tp, offset)

        def ended(done: asyncio.Task) -> None:
            if not done.cancelled() and done.exception() is not None:
                self._failure = done.exception()  # the offset stays open: never committed
                return
            self.offsets.closed(tp, offset)
        task.add_done_callback(ended)

    async def _room(self) -> None:
        while len(self._running) >= MAX_IN_FLIGHT:
            await asyncio.wait(set(self._running.values()), return_when=asyncio.FIRST_COMPLETED)

    async def idle(self) -> None:
        """Wait until every delivery started has ended (tests)."""
        while self._running:
            await asyncio.wait(set(self._running.values()))

    async def deliver(self, status: SessionStatus) -> None:
        reg = self._view.registration_for(status)
        done = self._view.delivery(status.session_id)
        if reg is None or (done is not None and done.attempt == status.attempt and done.final):
            return
        secret = registration_secret(self._key, reg.registration_id)
        body = payload(status, time.time())
        state = WebhookDelivery(session_id=status.session_id, user_id=status.user_id,
                                attempt=status.attempt, event=event_of(status) or "",
                                registration_id=reg.registration_id, url=reg.url, state=PENDING,
                                updated_at=time.time(), deliverer=self._me)
        await self._record(state)
        for tries in range(1, len(self._delays) + 2):
            outcome = await self._sender.post(reg.url, body, _headers(secret, body, state, status))
            if outcome.ok or not outcome.retryable or tries > len(self._delays):
                await self._record(_final(state, tries, outcome))
                return
            delay = self._delays[tries - 1]
            await self._record(state.replace(state=RETRYING, tries=tries, last_error=outcome.error,
                                             response_status=outcome.status, updated_at=time.time(),
                                             next_try_at=time.time() + delay))
            await asyncio.sleep(delay)

    async def _record(self, state: WebhookDelivery) -> None:
        if state.state in (DELIVERED, GAVE_UP):
            log.info("webhooks: session %s %s after %d tries%s", state.session_id, state.state,
                     state.tries, f" ({state.last_error})" if state.last_error else "")
        value = state.encode()
        await self._publish(WEBHOOK_DELIVERIES, state.session_id.encode(), value)
        self._view.apply(WEBHOOK_DELIVERIES, value)


def _final(state: WebhookDelivery, tries: int, outcome: Outcome) -> WebhookDelivery:
    return state.replace(state=DELIVERED if outcome.ok else GAVE_UP, tries=tries,
                         last_error=outcome.error, response_status=outcome.status,
                         updated_at=time.time(), next_try_at=None)


def _headers(secret: str, body: bytes, state: WebhookDelivery, status: SessionStatus) -> dict[str, str]:
    return {"Content-Type": "application/json", "Aurasense-Event": state.event,
            "Aurasense-Delivery": delivery_id(status),
            SIGNATURE_HEADER: signature_header(secret, body, int(time.time()))}


async def _commit(consumer: AIOKafkaConsumer, offsets: dict) -> None:
    if not offsets:
        return
    try:
        await consumer.commit(offsets)
    except CommitFailedError as exc:  # a rebalance took the partitions: their new owner goes on
        log.warning("webhooks: offsets not committed (%s); the deliveries are checked again", exc)


class _CommitOnRevoke(ConsumerRebalanceListener):
    """Before partitions move to another deliverer, commit what is done on them, then let go (a
    delivery still running there may be made twice: at least once)."""

    def __init__(self, consumer: AIOKafkaConsumer, offsets: OffsetTracker) -> None:
        self._consumer, self._offsets = consumer, offsets

    async def on_partitions_revoked(self, revoked) -> None:
        await _commit(self._consumer, self._offsets.committable(revoked))
        self._offsets.forget(revoked)

    async def on_partitions_assigned(self, assigned) -> None:
        pass
