"""Who is calling, and what they may see.

Tokens are stateless: ``<base64url(user_id:expiry)>.<base64url(HMAC-SHA256)>`` signed with the
gateway's token secret; ``POST /v1/users`` mints a user id (``usr-<uuid>``) and its token.

Two kinds of owner:

- **registered** users (ids starting ``usr-``): every call about them needs their bearer token;
  their sessions are visible to that token only.
- **guests** (any other id; the seed routes mint ``guest-<uuid>``, or ``guest-<name>`` for the
  ``user_id`` a client sends): the seed's browser client sends no token, so a guest session is
  reachable by its session id alone — an unguessable UUID4 — as long as guest access is on
  (``AURASENSE_GUEST_ACCESS=0`` turns it off). **Guest data is not private**: anyone who names
  a guest speaks as that guest; a registered user is never reachable that way.

Unknown and foreign sessions answer the same 404.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from starlette.exceptions import HTTPException
from starlette.requests import Request

from core import tokens
from gateway.config import GatewayConfig
from schemas.ids import SAFE_ID

REGISTERED_PREFIX = "usr-"
GUEST_PREFIX = "guest-"
SIGNATURE_HEADER = "x-aurasense-signature"  # "sha256=<hex HMAC of the raw body>", bucket webhooks


def new_user_id() -> str:
    return f"{REGISTERED_PREFIX}{uuid.uuid4().hex}"


def new_guest_id() -> str:
    return f"{GUEST_PREFIX}{uuid.uuid4().hex}"


def is_registered(user_id: str) -> bool:
    return user_id.startswith(REGISTERED_PREFIX)


def guest_identity(who: str | None, requested: object) -> str:
    """Who an upload is for: the token's user; else the guest the client names (``user_123`` is
    ``guest-user_123``: the guest namespace, whose data is not private); else a new guest. A
    name in the registered namespace without that user's token is refused (403)."""
    if who is not None:
        return who
    if requested in (None, ""):
        return new_guest_id()
    if not isinstance(requested, str):
        raise HTTPException(400, "user_id must be a string")
    if is_registered(requested):
        raise HTTPException(403, "user_id names a registered user: send that user's bearer token")
    guest = requested if requested.startswith(GUEST_PREFIX) else GUEST_PREFIX + requested
    if not SAFE_ID.match(guest):
        raise HTTPException(400, "user_id must be 1-58 letters, digits, '_', '-' or '.'")
    return guest


def issue_token(config: GatewayConfig, user_id: str, now: float | None = None) -> str:
    return tokens.issue(config.token_secret, user_id, config.token_ttl_s, now)[0]


def verify_token(config: GatewayConfig, token: str, now: float | None = None) -> str | None:
    """The token's user id, or None if it is malformed, forged or expired."""
    return tokens.verify(config.token_secret, token, now)


def caller(request: Request, config: GatewayConfig) -> str | None:
    """The bearer token's user (header, or ``access_token`` query for EventSource); 401 if bad."""
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else request.query_params.get("access_token")
    if header and not header[:7].lower() == "bearer ":
        raise HTTPException(401, "Authorization must be 'Bearer <token>'")
    if not token:
        return None
    user_id = verify_token(config, token)
    if user_id is None:
        raise HTTPException(401, "invalid or expired token")
    return user_id


def may_act_as(config: GatewayConfig, who: str | None, user_id: str) -> bool:
    """Whether a caller (token user or None) may upload or read as ``user_id``."""
    if who is not None:
        return who == user_id
    return config.guest_access and not is_registered(user_id)


def require_guest_access(config: GatewayConfig, who: str | None) -> None:
    if who is None and not config.guest_access:
        raise HTTPException(401, "a bearer token is required (POST /v1/users creates one)")


def valid_signature(config: GatewayConfig, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(config.webhook_secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].strip().lower(), expected)
