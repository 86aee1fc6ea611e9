"""Who may see the operator page: whoever presents the operator token.

``AURASENSE_OPERATOR_TOKEN`` as a bearer token, or as the password of HTTP Basic auth (so a
browser asks for it and sends it with the page's own requests). Compared in constant time.
Unset, the operator routes are off (403).
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.exceptions import HTTPException
from starlette.requests import Request

from gateway.http import deps_of

CHALLENGE = {"WWW-Authenticate": 'Basic realm="aurasense operator", charset="UTF-8"'}


def presented_secret(authorization: str) -> str | None:
    """The bearer token, or the Basic password; None when neither is there."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2] or None
    return None


def require_operator(request: Request) -> None:
    """403 when the operator page is off; 401 (asking for Basic auth) without the right token."""
    expected = deps_of(request).settings.operator_token
    if not expected:
        raise HTTPException(403, "the operator page is off: set AURASENSE_OPERATOR_TOKEN")
    given = presented_secret(request.headers.get("authorization", ""))
    if given is None:
        raise HTTPException(401, "the operator token is required", headers=CHALLENGE)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, "wrong operator token", headers=CHALLENGE)
