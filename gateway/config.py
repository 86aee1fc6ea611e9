"""The gateway's own settings, derived once from ``Settings`` (the worker builds them)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewayConfig:
    token_secret: bytes
    webhook_secret: bytes
    cors_origins: tuple[str, ...] = ("*",)
    guest_access: bool = True  # seed routes and token-less /v1 calls (see gateway/auth.py)
    token_ttl_s: int = 30 * 24 * 3600
    max_body_bytes: int = 64 * 1024
    body_timeout_s: float = 10.0  # a body not complete by then (a slow-loris client) is a 408
    stream_max_s: float = 900.0  # an event stream ends after this, finished or not

    @classmethod
    def from_settings(cls, settings: Settings) -> "GatewayConfig":
        token_secret = settings.token_secret
        if not token_secret:
            log.warning("gateway: no AURASENSE_TOKEN_SECRET; tokens are valid for this process only")
            token_secret = secrets.token_hex(32)
        origins = tuple(o.strip() for o in settings.cors_origins.split(",") if o.strip())
        return cls(token_secret=token_secret.encode(),
                   webhook_secret=(settings.webhook_secret or token_secret).encode(),
                   cors_origins=origins or ("*",), guest_access=bool(settings.guest_access),
                   token_ttl_s=settings.token_ttl_s)

    @classmethod
    def for_tests(cls, **changes) -> "GatewayConfig":
        return cls(token_secret=b"test-secret", webhook_secret=b"test-webhook", **changes)
