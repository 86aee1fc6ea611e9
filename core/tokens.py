"""Bearer tokens: ``<base64url("user_id:expiry")>.<base64url(HMAC-SHA256(secret, payload))>``.

One format, issued by the gateway (``POST /v1/users``) and by the auth agent after a voice
sign-in, verified by the gateway; every worker shares ``Settings.token_secret``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


def issue(secret: bytes, user_id: str, ttl_s: int, now: float | None = None) -> tuple[str, int]:
    """(token, expiry as a Unix time)."""
    if not secret:
        raise ValueError("no token secret")
    if not user_id or user_id.endswith(":"):
        raise ValueError("bad user id")
    expiry = int((time.time() if now is None else now) + ttl_s)
    payload = f"{user_id}:{expiry}".encode()
    return f"{_b64(payload)}.{_b64(_mac(secret, payload))}", expiry


def verify(secret: bytes, token: str, now: float | None = None) -> str | None:
    """The token's user id, or None if it is malformed, forged or expired."""
    if not secret:
        return None
    try:
        body, sig = token.split(".", 1)
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(sig), _mac(secret, payload)):
            return None
        user_id, expiry = payload.decode().rsplit(":", 1)
        if int(expiry) < (time.time() if now is None else now):
            return None
    except (ValueError, UnicodeDecodeError):
        return None
    return user_id
