"""Thin endpoints: validate, hand off, answer. No pipeline logic lives here."""

from __future__ import annotations

import re
import uuid

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.deps import GatewayDeps
from schemas.records import SchemaError
from schemas.s3_events import parse_bucket_event

MAX_BODY_BYTES = 64 * 1024
AUDIO_TYPES = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/webm": "webm",
               "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/aac": "m4a",
               "audio/flac": "flac", "audio/x-flac": "flac"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _deps(request: Request) -> GatewayDeps:
    return request.app.state.deps


def _json(data: object, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


async def _body(request: Request) -> dict:
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise HTTPException(413, f"request body over {MAX_BODY_BYTES} bytes")
    try:
        data = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise HTTPException(400, "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "request body must be a JSON object")
    return data


def _id(data: dict, name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str) or not _ID.match(value):
        raise HTTPException(400, f"{name} must be 1-64 characters of letters, digits, '_', '-', '.'")
    return value


async def healthz(request: Request) -> Response:
    state = _deps(request).readiness()
    return _json(state, 200 if state.get("ready") else 503)


async def create_upload(request: Request) -> Response:
    """A presigned PUT and a presigned POST form for one utterance of one user."""
    deps, data = _deps(request), await _body(request)
    user_id = _id(data, "user_id")
    session_id = _id(data, "session_id", str(uuid.uuid4()))
    content_type = data.get("content_type", "audio/wav")
    if content_type not in AUDIO_TYPES:
        raise HTTPException(415, f"content_type must be one of {sorted(AUDIO_TYPES)}")
    s = deps.settings
    key = f"{s.upload_prefix}{user_id}/{session_id}.{AUDIO_TYPES[content_type]}"
    put_url = deps.store.presign_put(key, content_type, s.presign_expiry_s)
    post = deps.store.presign_post(key, content_type, s.max_upload_bytes, s.presign_expiry_s)
    return _json({
        "session_id": session_id, "bucket": deps.store.bucket, "key": key,
        "expires_in": s.presign_expiry_s, "max_bytes": s.max_upload_bytes,
        "put": {"url": put_url, "headers": {"Content-Type": content_type}},
        "post": {"url": post.url, "fields": post.fields},
        "status_url": f"/v1/sessions/{session_id}",
    })


async def post_upload_event(request: Request) -> Response:
    """A producer's bucket notification (AWS or MinIO shape), published to bucket-events."""
    deps, data = _deps(request), await _body(request)
    try:
        objects = parse_bucket_event(data)
    except SchemaError as exc:
        raise HTTPException(400, str(exc)) from None
    first = objects[0]
    await deps.publish_bucket_event(f"{first.bucket}/{first.key}".encode(), orjson.dumps(data))
    return _json({"accepted": len(objects)}, 202)


async def session_status(request: Request) -> Response:
    session_id = request.path_params["session_id"]
    status = _deps(request).get_status(session_id) if _ID.match(session_id) else None
    if status is None:
        return JSONResponse({"error": "session not found"}, status_code=404)
    return _json(status.to_dict())
