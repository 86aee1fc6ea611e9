"""Any gateway answers for any session: a status held by another worker is fetched from it.

Each worker's gateway serves the statuses of the partitions it owns; for the others it asks
the owner (found through Faust's partition assignor, streams/owners.py) on an internal route,
authenticated with an HMAC of the session id under the workers' shared token secret.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Callable

import httpx
from starlette.requests import Request
from starlette.responses import Response

from gateway.config import GatewayConfig
from gateway.http import json_response
from schemas.events import SessionStatus
from schemas.records import SchemaError

log = logging.getLogger(__name__)
PEER_HEADER = "X-Aurasense-Peer"


def peer_signature(config: GatewayConfig, session_id: str) -> str:
    return hmac.new(config.token_secret, session_id.encode(), hashlib.sha256).hexdigest()


class PeerStatus:
    """``await lookup(session_id)``: the local table when this worker owns the session, else its owner."""

    def __init__(self, local: Callable[[str], SessionStatus | None],
                 owner_of: Callable[[str], str | None], config: GatewayConfig) -> None:
        self.local, self.owner_of, self.config = local, owner_of, config
        self.http = httpx.AsyncClient(timeout=2.0)

    async def __call__(self, session_id: str) -> SessionStatus | None:
        owner = self.owner_of(session_id)
        if owner is None:
            return self.local(session_id)
        try:
            r = await self.http.get(f"{owner}/internal/sessions/{session_id}",
                                    headers={PEER_HEADER: peer_signature(self.config, session_id)})
        except httpx.HTTPError as exc:  # owner gone mid-rebalance: what we have, if anything
            log.warning("gateway: owner %s of %s unreachable: %s", owner, session_id, exc)
            return self.local(session_id)
        if r.status_code != 200:
            return None
        try:
            return SessionStatus.from_dict(r.json())
        except (SchemaError, ValueError):
            return None


async def internal_status(request: Request) -> Response:
    """The peer route: this worker's own table only (never forwards again)."""
    deps = request.app.state.deps
    session_id = request.path_params["session_id"]
    given = request.headers.get(PEER_HEADER, "")
    if not hmac.compare_digest(given, peer_signature(deps.config, session_id)):
        return json_response({"error": "not a peer"}, 403)
    status = deps.local_status(session_id)
    if status is None:
        return json_response({"error": "session not found"}, 404)
    return json_response(status.to_dict())
