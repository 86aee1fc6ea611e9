"""Webhooks: when a session completes or fails, POST its status to the URL registered for it.

Driven by the log, not by the worker that accepted the upload:

* registrations are records on ``webhook-registrations`` (the gateway writes them, acked, before
  it answers), read whole by every worker (streams/webhooks_view.py);
* the deliverer is a member of its own consumer group (``<app_id>-webhooks``) on the
  session-status table's changelog; for each session that reached ``completed`` or ``failed`` and
  has a registration, it POSTs the signed status (streams/webhooks_signing.py), retrying with
  exponential backoff, and writes each delivery state to ``webhook-deliveries``. Deliveries run side
  by side; a changelog offset is committed only once the deliveries of its record and of every
  record before it are delivered or given up (streams/webhooks_offsets.py): a worker that dies
  mid-way leaves them to the next owner of the partition (at least once; receivers dedupe on
  ``delivery_id``). A delivery already delivered or given up on the log is not made again.

The stages are untouched: the deliverer only reads the changelog, in a group of its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, Awaitable, Callable

from aiokafka import AIOKafkaConsumer
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError

from aurasense.settings import Settings
from schemas.events import SessionStatus
from schemas.records import SchemaError
from schemas.topics import (SESSION_STATUS_TABLE, WEBHOOK_DELIVERIES, WEBHOOK_REGISTRATIONS,
                            WEBHOOK_TOPICS, changelog_topic)
from schemas.webhooks import (DELIVERED, GAVE_UP, PENDING, RETRYING, WebhookDelivery,
                              WebhookRegistered)
from streams.admin import create_topics
from streams.outbox import Outbox
from streams.webhooks_offsets import OffsetTracker
from streams.webhooks_schedule import backoff_delays, delivery_id, event_of, payload
from streams.webhooks_sender import Outcome, WebhookSender
from streams.webhooks_signing import SIGNATURE_HEADER, registration_secret, signature_header
from streams.webhooks_targets import TargetPolicy, check_target
from streams.webhooks_view import WebhookView

log = logging.getLogger(__name__)

Publish = Callable[[str, bytes, bytes], Awaitable[Any]]  # (topic, key, value), awaits the ack


class WebhooksUnavailable(RuntimeError):
    """Webhooks cannot be signed on this worker (no signing key configured)."""


def signing_key(settings: Settings) -> bytes | None:
    """``AURASENSE_WEBHOOK_SIGNING_KEY``, else the token secret: the same on every worker."""
    key = settings.webhook_signing_key or settings.token_secret
    return key.encode() if key else None


def finished_status(value: bytes | None) -> SessionStatus | None:
    """The status in a session-status changelog record, if the session is finished."""
    try:
        status = SessionStatus.decode(value) if value else None
    except SchemaError as exc:
        log.warning("webhooks: a status changelog record skipped: %s", exc)
        return None
    return status if status is not None and event_of(status) else None


class Webhooks:
    """What the gateway registers through, and reads delivery states from."""

    def __init__(self, settings: Settings, view: WebhookView, publish: Publish) -> None:
        self.policy = TargetPolicy.from_settings(settings)
        self.view = view
        self._key = signing_key(settings)
        self._publish = publish

    async def register(self, scope: str, subject: str, user_id: str, url: object) -> tuple[WebhookRegistered, str]:
        """Check ``url`` against the allow-list (``RefusedTarget``), put the registration on the
        log, and return it with its secret (shown to the client this once)."""
        if self._key is None:
            raise WebhooksUnavailable("webhooks need AURASENSE_WEBHOOK_SIGNING_KEY or "
                                      "AURASENSE_TOKEN_SECRET (the same on every worker)")
        checked = await check_target(url, self.policy)
        reg = WebhookRegistered(scope=scope, subject=subject, user_id=user_id, url=checked,
                                registration_id=f"wh_{uuid.uuid4().hex}", registered_at=time.time())
        await self._write(reg)
        return reg, registration_secret(self._key, reg.registration_id)

    async def remove(self, scope: str, subject: str, user_id: str) -> None:
        await self._write(WebhookRegistered(scope=scope, subject=subject, user_id=user_id, url="",
                                            registration_id="", registered_at=time.time()))

    async def _write(self, reg: WebhookRegistered) -> None:
        value = reg.encode()
        await self._publish(WEBHOOK_REGISTRATIONS, reg.key.encode(), value)
        self.view.apply(WEBHOOK_REGISTRATIONS, value)  # this gateway answers with it at once


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


def attach_webhooks(app: Any, settings: Settings, loop: asyncio.AbstractEventLoop) -> Webhooks:
    """Create the webhook topics and start the view and the deliverer with the Faust app."""
    loop.run_until_complete(create_topics(settings, list(WEBHOOK_TOPICS)))
    outbox = Outbox({name: app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw",
                                     value_serializer="raw", partitions=settings.topic_partitions)
                     for name in WEBHOOK_TOPICS}, app.producer)
    view = WebhookView(settings.kafka_bootstrap)
    webhooks = Webhooks(settings, view, outbox.send_raw)

    @app.task
    async def webhook_delivery() -> None:
        await _supervised(lambda: _run(settings, view, outbox.send_raw, webhooks.policy))

    return webhooks


async def _supervised(run: Callable[[], Awaitable[None]], pause_s: float = 5.0) -> None:
    """Run the webhooks until the worker stops; a failure of theirs is logged and they start
    again, never taking the worker's stages down with them (undelivered work is uncommitted)."""
    while True:
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhooks: the deliverer failed; starting it again in %.0f s", pause_s)
        await asyncio.sleep(pause_s)


async def _run(settings: Settings, view: WebhookView, publish: Publish, policy: TargetPolicy) -> None:
    key = signing_key(settings)
    if key is None:
        log.warning("webhooks: no AURASENSE_WEBHOOK_SIGNING_KEY or AURASENSE_TOKEN_SECRET; "
                    "registrations are refused and nothing is delivered")
        await view.run()
        return
    sender = WebhookSender(policy, settings.webhook_timeout_s)
    await sender.start()
    try:
        async with asyncio.TaskGroup() as both:  # one failing stops the other
            both.create_task(view.run())
            both.create_task(WebhookDeliverer(settings, view, sender, publish, key).run())
    finally:
        await sender.close()
