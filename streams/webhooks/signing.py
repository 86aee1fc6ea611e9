"""Webhook signatures: ``Aurasense-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``.

The HMAC is over ``<t>.`` followed by the raw body, keyed with the registration's secret, so a
receiver can check both who sent the body and that it is fresh (a replayed old call fails the
timestamp check). Each registration has its own secret, derived from its id and the workers'
signing key: the log never holds a secret, any worker can sign, and registering again rotates it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Aurasense-Signature"
SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_S = 300


def registration_secret(signing_key: bytes, registration_id: str) -> str:
    """The secret of one registration (returned to the client once, when it registers)."""
    digest = hmac.new(signing_key, b"webhook-registration:" + registration_id.encode(), hashlib.sha256)
    return SECRET_PREFIX + digest.hexdigest()


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int) -> str:
    return f"t={timestamp},v1={_mac(secret, timestamp, body)}"


def verify(secret: str, header: str | None, body: bytes, now: float | None = None,
           tolerance_s: float = DEFAULT_TOLERANCE_S) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance_s`` of ``now``."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    stamp = parts.get("t", "")
    if not stamp.isdigit() or "v1" not in parts:
        return False
    now = time.time() if now is None else now
    if abs(now - int(stamp)) > tolerance_s:
        return False
    return hmac.compare_digest(parts["v1"], _mac(secret, int(stamp), body))
