"""The seed's routes (``/api/audio/*``) with its request and response fields, so its browser
client works unchanged. It sends no token: uploads without one go to a fresh guest id.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway import auth, sessions, uploads
from gateway.http import deps_of, json_body, json_response, optional_str
from schemas.events import SessionStatus

SEED_FIELDS = ("session_id", "status", "transcription", "response_text", "response_audio_url",
               "agent_used", "error_message", "cultural_context")


async def upload_presigned(request: Request) -> Response:
    """``{file_name, content_type, user_id?}`` → ``{upload_url, fields, final_url}`` plus
    ``session_id`` and ``user_id``. Without a token, ``user_id`` names a guest (kept by the
    client across turns, so a conversation goes on); see ``auth.guest_identity``."""
    deps, data = deps_of(request), await json_body(request)
    who = auth.caller(request, deps.config)
    auth.require_guest_access(deps.config, who)
    optional_str(data, "file_name", "audio.wav")  # the key is ours; the name is only checked
    content_type = uploads.audio_type(data.get("content_type", "audio/wav"))
    user_id, session_id = auth.guest_identity(who, data.get("user_id")), str(uuid.uuid4())
    key = uploads.upload_key(deps, user_id, session_id, content_type)
    signed = uploads.presign(deps, key, content_type)
    await uploads.issue(request, deps, user_id, session_id, key, signed["expires_in"])
    return json_response({"upload_url": signed["post_url"], "fields": signed["post_fields"],
                          "final_url": signed["final_url"], "session_id": session_id,
                          "user_id": user_id, "expires_in": signed["expires_in"],
                          "max_bytes": signed["max_bytes"]})


async def process(request: Request) -> Response:
    """``{audio_url, user_id, session_context}``: announce the uploaded object to the pipeline.

    The object's key decides the user and session (``user_id`` in the body is informational,
    as the seed's client always sends one); ``session_context`` is accepted and not used yet.
    """
    deps, data = deps_of(request), await json_body(request)
    who = auth.caller(request, deps.config)
    auth.require_guest_access(deps.config, who)
    key = uploads.key_from_url(deps, data.get("audio_url"))
    optional_str(data, "user_id", "")
    if not isinstance(data.get("session_context", {}), dict):
        raise HTTPException(400, "session_context must be a JSON object")
    if not auth.may_act_as(deps.config, who, uploads.owner_of(deps, key)):
        raise HTTPException(403, "audio_url belongs to another user")
    obj = await uploads.publish_uploaded(deps, key)
    request.app.state.metrics.upload_bytes.observe(obj.size)
    user_id, session_id = uploads.session_of(obj)
    request.app.state.accepted.add(session_id, user_id, key)
    return json_response({"session_id": session_id, "status": "processing",
                          "message": "Audio processing started"})


async def status(request: Request) -> Response:
    found = await sessions.find(request, request.path_params["session_id"])
    return json_response(seed_view(found))


def seed_view(status: SessionStatus) -> dict:
    view = {name: getattr(status, name) for name in SEED_FIELDS}
    view["created_at"] = _iso(status.created_at)
    view["completed_at"] = _iso(status.completed_at)
    return view


def _iso(when: float | None) -> str | None:
    return datetime.fromtimestamp(when, timezone.utc).isoformat() if when else None
