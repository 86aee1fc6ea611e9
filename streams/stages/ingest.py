"""ingest: a bucket notification → ``AudioUploaded`` (or nothing, for objects that are not uploads).

The user and session come from the object key ``<upload_prefix><user_id>/<session_id>.<ext>``,
overridden by ``x-amz-meta-user-id`` / ``x-amz-meta-session-id``. Uploads that can never be
processed (empty, over the size limit) still pass on, with a ``rejection`` the status shows.
"""

from __future__ import annotations

import time
import uuid
from pathlib import PurePosixPath

from aurasense.settings import Settings
from schemas.events import AudioUploaded
from schemas.ids import SAFE_ID
from schemas.s3_events import ObjectEvent



def process(obj: ObjectEvent, settings: Settings, now: float | None = None) -> AudioUploaded | None:
    if not obj.created or obj.bucket != settings.audio_bucket:
        return None
    if not obj.key.startswith(settings.upload_prefix):
        return None  # replies and other prefixes are not user speech
    started = time.time() if now is None else now
    user_id, session_id = identify(obj)
    event = AudioUploaded(
        session_id=session_id, user_id=user_id, bucket=obj.bucket, key=obj.key, size=obj.size,
        etag=obj.etag, version_id=obj.version_id, sequencer=obj.sequencer,
        content_type=obj.content_type, uploaded_at=obj.event_time or started,
        rejection=rejection(obj, settings))
    return event.replace(timings=event.timed("ingest", started, 0.0, time.time()))


def identify(obj: ObjectEvent) -> tuple[str, str]:
    """(user_id, session_id) from metadata, else from the key, else derived from the object."""
    parts = PurePosixPath(obj.key).parts[1:]  # without the upload prefix
    user = obj.user_metadata.get("user-id") or (parts[0] if len(parts) > 1 else "anonymous")
    session = obj.user_metadata.get("session-id") or PurePosixPath(obj.key).stem
    if not SAFE_ID.match(session):
        session = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{obj.bucket}/{obj.key}"))
    return (user if SAFE_ID.match(user) else "anonymous"), session


def rejection(obj: ObjectEvent, settings: Settings) -> str:
    if obj.size <= 0:
        return "empty audio file"
    if obj.size > settings.max_upload_bytes:
        mb, limit = obj.size / 1e6, settings.max_upload_bytes / 1e6
        return f"file too large: {mb:.1f} MB (limit {limit:.0f} MB)"
    return ""
