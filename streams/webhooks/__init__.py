"""Webhooks: when a session completes or fails, POST its status to the URL registered for it.

Driven by the log, not by the worker that accepted the upload: registrations are records on
``webhook-registrations`` (the gateway writes them, acked, before it answers; ``Webhooks``
below), read whole by every worker (streams/webhooks/view.py); the deliverer in every worker is a
member of one consumer group on the session-status changelog (streams/webhooks/deliverer.py).
The stages are untouched: the deliverer only reads the changelog, in a group of its own, and a
failure of it never stops the worker (``_supervised``).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any, Awaitable, Callable

from core.settings import Settings
from schemas.topics import WEBHOOK_REGISTRATIONS, WEBHOOK_TOPICS
from schemas.webhooks import WebhookRegistered
from streams.admin import create_topics
from streams.outbox import Outbox
from streams.webhooks.deliverer import Publish, WebhookDeliverer
from streams.webhooks.sender import WebhookSender
from streams.webhooks.signing import registration_secret
from streams.webhooks.targets import TargetPolicy, check_target
from streams.webhooks.view import WebhookView

log = logging.getLogger(__name__)


class WebhooksUnavailable(RuntimeError):
    """Webhooks cannot be signed on this worker (no signing key configured)."""


def signing_key(settings: Settings) -> bytes | None:
    """``AURASENSE_WEBHOOK_SIGNING_KEY``, else the token secret: the same on every worker."""
    key = settings.webhook_signing_key or settings.token_secret
    return key.encode() if key else None


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
