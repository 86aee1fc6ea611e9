"""Bearer tokens the auth agent issues after a voice sign-in.

Same wire format and key as the gateway's (``gateway/auth.py``):
``<base64url("user_id:expiry")>.<base64url(HMAC-SHA256(secret, "user_id:expiry"))>``, so a token
issued here is accepted by the gateway's ``verify_token`` when both use the same secret.

The secret is ``settings.token_secret`` when that field exists, else the environment's
``AURASENSE_TOKEN_SECRET`` (what ``gateway/config.py`` reads too).  With no secret,
``issue_token`` raises ``TokenSecretMissing``: the agent then says sign-in is unavailable
rather than minting a token nobody can verify (the gateway, without a configured secret,
invents a per-process one).

The agent layer does not import the gateway; the format is duplicated on purpose (a few lines)
and a test checks both sides agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time

DEFAULT_TTL_S = 24 * 3600  # a voice sign-in lasts a day (voice is a weaker factor than a password)


class TokenSecretMissing(RuntimeError):
    """No token secret configured: refuse to issue."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_secret(settings=None) -> bytes:
    """The configured secret (settings first, then AURASENSE_TOKEN_SECRET), or b""."""
    found = getattr(settings, "token_secret", None) if settings is not None else None
    if isinstance(found, bytes):
        return found
    if found:
        return str(found).encode()
    return os.environ.get("AURASENSE_TOKEN_SECRET", "").encode()


def token_ttl_s(settings=None) -> int:
    found = getattr(settings, "voice_token_ttl_s", None) if settings is not None else None
    return int(found) if found else DEFAULT_TTL_S


def issue_token(settings, user_id: str, now: float | None = None, ttl_s: int | None = None) -> tuple[str, int]:
    """(token, expiry as a Unix time) for ``user_id``; ``TokenSecretMissing`` without a secret."""
    secret = token_secret(settings)
    if not secret:
        raise TokenSecretMissing("no token secret: set AURASENSE_TOKEN_SECRET (or settings.token_secret)")
    if ":" in user_id and not user_id.rsplit(":", 1)[-1]:
        raise ValueError("bad user id")
    expiry = int((time.time() if now is None else now) + (ttl_s or token_ttl_s(settings)))
    payload = f"{user_id}:{expiry}".encode()
    return f"{_b64(payload)}.{_b64(hmac.new(secret, payload, hashlib.sha256).digest())}", expiry


def verify_token(settings, token: str, now: float | None = None) -> str | None:
    """The token's user id, or None if it is malformed, forged, expired, or no secret is set."""
    secret = token_secret(settings)
    if not secret:
        return None
    try:
        body, sig = token.split(".", 1)
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(sig), hmac.new(secret, payload, hashlib.sha256).digest()):
            return None
        user_id, expiry = payload.decode().rsplit(":", 1)
        if int(expiry) < (time.time() if now is None else now):
            return None
    except (ValueError, UnicodeDecodeError):
        return None
    return user_id
