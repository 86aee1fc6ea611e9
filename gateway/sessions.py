"""Reading a session for a caller: the status table, or 'pending' for one the gateway accepted.

``find(request, session_id)`` answers the same 404 for unknown and foreign sessions.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from starlette.exceptions import HTTPException
from starlette.requests import Request

from gateway import auth
from gateway.http import deps_of
from schemas.ids import SAFE_ID
from schemas.events import SessionStatus

NOT_FOUND = "session not found"


class Accepted:
    """Sessions this gateway published an event for, until the table knows them (bounded)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._limit = limit
        self._items: OrderedDict[str, SessionStatus] = OrderedDict()

    def add(self, session_id: str, user_id: str, key: str, source: str = "speech",
            transcription: str | None = None) -> None:
        self._items[session_id] = SessionStatus(session_id=session_id, user_id=user_id,
                                                input_key=key, created_at=time.time(),
                                                source=source, transcription=transcription)
        self._items.move_to_end(session_id)
        while len(self._items) > self._limit:
            self._items.popitem(last=False)

    def get(self, session_id: str) -> SessionStatus | None:
        return self._items.get(session_id)


async def lookup(request: Request, session_id: str) -> SessionStatus | None:
    """The session's status, or a pending one the gateway accepted; None if unknown."""
    if not SAFE_ID.match(session_id):
        return None
    status = await deps_of(request).get_status(session_id)
    return status if status is not None else request.app.state.accepted.get(session_id)


async def find(request: Request, session_id: str) -> SessionStatus:
    """The session if the caller may see it; 401 (with ``WWW-Authenticate``) for a registered
    user's session asked without credentials; else 404, the same for unknown and foreign."""
    config = deps_of(request).config
    who = auth.caller(request, config)
    status = await lookup(request, session_id)
    if status is not None and who is None and auth.is_registered(status.user_id):
        raise HTTPException(401, "this session belongs to a registered user: send their bearer token",
                            headers={"WWW-Authenticate": 'Bearer realm="aurasense"'})
    if status is None or not auth.may_act_as(config, who, status.user_id):
        raise HTTPException(404, NOT_FOUND)
    return status


def public_view(status: SessionStatus) -> dict:
    """The native view: every status field."""
    return status.to_dict()
