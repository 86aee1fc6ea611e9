"""Upload keys, presigned forms, object URLs, and publishing an uploaded object's event."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

import orjson
from starlette.exceptions import HTTPException

from gateway.deps import GatewayDeps
from schemas.events import SessionIssued
from schemas.s3_events import ObjectEvent, key_problem, minio_event, parse_bucket_event
from streams.stages import ingest

AUDIO_TYPES = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/webm": "webm",
               "audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/aac": "m4a",
               "audio/flac": "flac", "audio/x-flac": "flac"}


def audio_type(value: object) -> str:
    """The bare audio content type (``audio/webm;codecs=opus`` → ``audio/webm``), else 415."""
    bare = value.split(";", 1)[0].strip().lower() if isinstance(value, str) else ""
    if bare not in AUDIO_TYPES:
        raise HTTPException(415, f"content_type must be one of {sorted(AUDIO_TYPES)}")
    return bare


def upload_key(deps: GatewayDeps, user_id: str, session_id: str, content_type: str) -> str:
    return f"{deps.settings.upload_prefix}{user_id}/{session_id}.{AUDIO_TYPES[content_type]}"


def presign(deps: GatewayDeps, key: str, content_type: str) -> dict:
    """A presigned PUT and a POST form (key, content type and size limit in its policy)."""
    s = deps.settings
    post = deps.store.presign_post(key, content_type, s.max_upload_bytes, s.presign_expiry_s)
    return {"put_url": deps.store.presign_put(key, content_type, s.presign_expiry_s),
            "post_url": post.url, "post_fields": post.fields, "final_url": object_url(deps, key),
            "expires_in": s.presign_expiry_s, "max_bytes": s.max_upload_bytes}


def object_url(deps: GatewayDeps, key: str) -> str:
    """The object's path-style URL (what the seed calls ``final_url``)."""
    base = deps.settings.presign_endpoint.rstrip("/")
    return f"{base}/{deps.store.bucket}/{quote(key, safe='/')}"


def key_from_url(deps: GatewayDeps, url: object) -> str:
    """The upload key in a path-style URL of our bucket; 400 otherwise."""
    if not isinstance(url, str) or len(url) > 2048:
        raise HTTPException(400, "audio_url must be a URL string (at most 2048 characters)")
    parts = urlsplit(url)
    bucket, _, key = unquote(parts.path).lstrip("/").partition("/")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HTTPException(400, "audio_url must be an http(s) URL")
    problem = key_problem(key)
    if problem:
        raise HTTPException(400, f"audio_url: {problem}")
    if bucket != deps.store.bucket or not key.startswith(deps.settings.upload_prefix):
        raise HTTPException(400, f"audio_url must point into /{deps.store.bucket}/"
                                 f"{deps.settings.upload_prefix} (path-style)")
    return key


async def issue(request, deps: GatewayDeps, user_id: str, session_id: str, key: str,
                expires_in: int) -> None:
    """Make the session answer ``pending`` from now on: on this gateway at once, on every other
    once the session-issued event is recorded in the session's partition."""
    now = time.time()
    request.app.state.accepted.add(session_id, user_id, key)
    if deps.announce_session is not None:
        await deps.announce_session(SessionIssued(session_id=session_id, user_id=user_id, key=key,
                                                  issued_at=now, expires_at=now + expires_in))


def owner_of(deps: GatewayDeps, key: str) -> str:
    """The user an upload key belongs to (``uploads/<user>/<session>.<ext>``)."""
    rest = key[len(deps.settings.upload_prefix):]
    return rest.split("/", 1)[0] if "/" in rest else ""


async def publish_uploaded(deps: GatewayDeps, key: str) -> ObjectEvent:
    """HEAD the object and publish a MinIO-shaped event for it, with its real eTag and size."""
    info = await deps.head_object(key)
    if info is None:
        raise HTTPException(404, f"no uploaded object at {key}: upload the audio first")
    when = datetime.fromtimestamp(time.time(), timezone.utc).isoformat().replace("+00:00", "Z")
    event = minio_event(deps.store.bucket, key, size=info.size, etag=info.etag,
                        content_type=info.content_type, metadata=info.metadata, event_time=when)
    if info.version_id:
        event["Records"][0]["s3"]["object"]["versionId"] = info.version_id
    await deps.publish_bucket_event(f"{deps.store.bucket}/{key}".encode(), orjson.dumps(event))
    return parse_bucket_event(event)[0]


def session_of(obj: ObjectEvent) -> tuple[str, str]:
    """(user_id, session_id) exactly as ingest will derive them."""
    return ingest.identify(obj)


def metadata_mismatch(obj: ObjectEvent) -> str:
    """Why ingest would refuse this object's metadata ('' if it agrees with the key)."""
    return ingest.metadata_mismatch(obj)
