"""The signed-in user's own data, for the page: their past turns and their stored profile.

Identity comes only from the bearer token (gateway/auth.py); there is no way to name another user.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway import auth, sessions
from gateway.http import deps_of, json_response
from gateway.status_log import latest_statuses
from schemas.events import SessionStatus

HISTORY_DEFAULT, HISTORY_MAX = 50, 200


def signed_in(request: Request) -> str:
    """The token's user; 401 without a token (these routes have nothing to show a guest)."""
    who = auth.caller(request, deps_of(request).config)
    if who is None:
        raise HTTPException(401, "sign in first: send your bearer token (POST /v1/users creates one)",
                            headers={"WWW-Authenticate": 'Bearer realm="aurasense"'})
    return who


def limit_param(request: Request, default: int, most: int) -> int:
    raw = request.query_params.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise HTTPException(400, f"limit must be a whole number from 1 to {most}")
    return int(raw)


async def my_sessions(request: Request) -> Response:
    """``GET /v1/me/sessions?limit=N``: the caller's latest turns, newest first."""
    who = signed_in(request)
    limit = limit_param(request, HISTORY_DEFAULT, HISTORY_MAX)
    deps = deps_of(request)
    mine = [s for s in await latest_statuses(deps.settings) if s.user_id == who][:limit]
    return json_response({"sessions": [_turn(deps, s) for s in mine]})


def _turn(deps, status: SessionStatus) -> dict:
    view = sessions.public_view(status)
    if status.response_audio_key:  # a fresh link: the one on the log may have expired
        view["response_audio_url"] = deps.store.presign_get(status.response_audio_key,
                                                            deps.settings.reply_url_expiry_s)
    return view


async def my_profile(request: Request) -> Response:
    """``GET /v1/me/profile``: what the product stored about the caller (read only)."""
    who = signed_in(request)
    return json_response({"user_id": who, **await request.app.state.profiles(who)})
