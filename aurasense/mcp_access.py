"""Who calls an MCP tool, and whose data they may touch: the gateway's rules (gateway/auth.py).

The caller presents a token the gateway signed (``POST /v1/users``, or a voice sign-in): as the
tool's ``token`` argument, else as ``Authorization: Bearer`` on the HTTP transport, else the
``AURASENSE_TOKEN`` the stdio server was started with. A registered user (``usr-…``) may read and
change only their own data; a guest's is reachable without a token while guest access is on,
exactly as at the gateway.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mcp.server.mcpserver.exceptions import ToolError

from gateway import auth
from gateway.config import GatewayConfig
from schemas.ids import SAFE_ID


@dataclass(frozen=True)
class Caller:
    """The token presented (to forward to the gateway) and the user it names; both None: nobody."""

    token: str | None
    user_id: str | None


def bearer(headers: Mapping[str, str] | None) -> str | None:
    """The bearer token of an HTTP request's headers (None on stdio or without one)."""
    value = (headers or {}).get("authorization", "")
    return value[7:].strip() or None if value[:7].lower() == "bearer " else None


def identify(config: GatewayConfig, token: str, headers: Mapping[str, str] | None, default_token: str) -> Caller:
    """The caller; ``ToolError`` for a token that is malformed, forged or expired."""
    presented = token or bearer(headers) or default_token or None
    if presented is None:
        return Caller(None, None)
    user_id = auth.verify_token(config, presented)
    if user_id is None:
        raise ToolError("invalid or expired token: present the bearer token the gateway issued")
    return Caller(presented, user_id)


def user_to_act_as(config: GatewayConfig, caller: Caller, user_id: str) -> str:
    """The user whose data a call reads or changes (default: the caller's own); ``ToolError`` when the
    caller may not, saying why."""
    wanted = user_id or caller.user_id
    if not wanted:
        raise ToolError("a bearer token is required: pass `token` (POST /v1/users on the gateway issues one)")
    if not SAFE_ID.match(wanted):
        raise ToolError("user_id must be 1-64 letters, digits, '_', '-' or '.'")
    if auth.may_act_as(config, caller.user_id, wanted):
        return wanted
    if caller.user_id is None:
        raise ToolError(f"not allowed: {wanted} is a registered user; pass that user's token")
    raise ToolError(f"not allowed: this token is {caller.user_id}'s, and a user may read or change only "
                    f"their own profile, not {wanted}'s")
