"""The gateway's own settings, read once at the edge (the worker builds them).

Fields not (yet) on ``Settings`` are read with ``getattr`` and fall back to the environment:
``AURASENSE_TOKEN_SECRET``, ``AURASENSE_WEBHOOK_SECRET``, ``AURASENSE_CORS_ORIGINS``,
``AURASENSE_GUEST_ACCESS``, ``AURASENSE_TOKEN_TTL_S``.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Mapping

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewayConfig:
    token_secret: bytes
    webhook_secret: bytes
    cors_origins: tuple[str, ...] = ("*",)
    guest_access: bool = True  # seed routes and token-less /v1 calls (see gateway/auth.py)
    token_ttl_s: int = 30 * 24 * 3600
    max_body_bytes: int = 64 * 1024

    @classmethod
    def from_settings(cls, settings: object, environ: Mapping[str, str] | None = None) -> "GatewayConfig":
        env = os.environ if environ is None else environ

        def value(name: str, default: str) -> str:
            found = getattr(settings, name, None)
            return str(found) if found not in (None, "") else env.get(f"AURASENSE_{name.upper()}", default)

        token_secret = value("token_secret", "")
        if not token_secret:
            log.warning("gateway: no AURASENSE_TOKEN_SECRET; tokens are valid for this process only")
            token_secret = secrets.token_hex(32)
        origins = tuple(o.strip() for o in value("cors_origins", "*").split(",") if o.strip())
        return cls(token_secret=token_secret.encode(),
                   webhook_secret=(value("webhook_secret", "") or token_secret).encode(),
                   cors_origins=origins or ("*",),
                   guest_access=value("guest_access", "1").lower() not in ("0", "false", "no"),
                   token_ttl_s=int(value("token_ttl_s", str(30 * 24 * 3600))))

    @classmethod
    def for_tests(cls, **changes) -> "GatewayConfig":
        return cls(token_secret=b"test-secret", webhook_secret=b"test-webhook", **changes)
