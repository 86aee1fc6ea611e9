"""ingest: a bucket notification → ``AudioUploaded`` (or nothing, for objects that are not uploads).

The user and session come from the object key ``<upload_prefix><user_id>/<session_id>.<ext>``
alone: the gateway signed that key into the presigned policy, so it is the only identity a caller
cannot choose. ``x-amz-meta-user-id`` / ``x-amz-meta-session-id`` may repeat it; metadata that
names another user or session is refused (the session, the key's, ends ``failed`` saying so).
The event's size is never trusted: transcribe reads the object itself and refuses an empty or
oversize one from its real bytes.
"""

from __future__ import annotations

import time
import uuid
from pathlib import PurePosixPath

from core.settings import Settings
from schemas.events import AudioUploaded
from schemas.ids import SAFE_ID
from schemas.s3_events import ObjectEvent



def process(obj: ObjectEvent, settings: Settings, now: float | None = None) -> AudioUploaded | None:
    if not obj.created or obj.bucket != settings.audio_bucket:
        return None
    if not obj.key.startswith(settings.upload_prefix) or obj.key.endswith("/"):
        return None  # replies, other prefixes and folder markers are not user speech
    started = time.time() if now is None else now
    user_id, session_id = identify(obj)
    refused = metadata_mismatch(obj)
    event = AudioUploaded(
        session_id=session_id, user_id=user_id, bucket=obj.bucket, key=obj.key, size=obj.size,
        etag=obj.etag, version_id=obj.version_id, sequencer=obj.sequencer,
        content_type=obj.content_type, uploaded_at=obj.event_time or started,
        rejection=refused)
    return event.replace(timings=event.timed("ingest", started, 0.0, time.time()))


def identify(obj: ObjectEvent) -> tuple[str, str]:
    """(user_id, session_id) from the key alone; a session id derived from the object where the
    key's name is not a valid one."""
    parts = PurePosixPath(obj.key).parts[1:]  # without the upload prefix
    user = parts[0] if len(parts) > 1 else "anonymous"
    session = PurePosixPath(obj.key).stem
    if not SAFE_ID.match(session):
        session = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{obj.bucket}/{obj.key}"))
    return (user if SAFE_ID.match(user) else "anonymous"), session


def metadata_mismatch(obj: ObjectEvent) -> str:
    """Why the object's metadata is refused ('' when it only repeats the key's identity)."""
    user, session = identify(obj)
    claimed = {"user": obj.user_metadata.get("user-id"), "session": obj.user_metadata.get("session-id")}
    for what, own in (("user", user), ("session", session)):
        if claimed[what] not in (None, "", own):
            return (f"refused: the upload's metadata names another {what} than its key "
                    f"(identity comes from the key the gateway signed)")
    return ""
