"""Turn SeaweedFS filer change events into MinIO-shaped S3 event notifications.

MinIO's Kafka target publishes key ``"<bucket>/<key>"`` and value
``{"EventName", "Key", "Records": [<AWS S3 event record>]}``; this module builds
exactly that from one ``filer_wire.Event``. Internal entries (directories,
bucket entries, ``.system``, multipart parts, tag/metadata-only updates) give
no notification.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote_plus

from stack.filer_wire import Entry, Event

PUT = "s3:ObjectCreated:Put"
MULTIPART = "s3:ObjectCreated:CompleteMultipartUpload"
DELETE = "s3:ObjectRemoved:Delete"
_ETAG_KEY = "Seaweed-X-Amz-ETag"
_META_PREFIX = "x-amz-meta-"
_UPLOAD_ID_KEY = "X-Seaweedfs-Upload-Id"


@dataclass(frozen=True)
class Notification:
    """One message for the bucket-events topic."""

    key: str  # "<bucket>/<object key>"
    value: dict
    ts_ns: int


@dataclass(frozen=True)
class ObjectRef:
    """Where a filer path points in S3 terms."""

    bucket: str
    key: str
    version_id: str = ""


def object_ref(directory: str, name: str, bucket: str) -> ObjectRef | None:
    """Map a filer path to (bucket, key, version), or None for non-object paths."""
    root = f"/buckets/{bucket}"
    path = f"{directory.rstrip('/')}/{name}"
    if not path.startswith(root + "/"):
        return None
    key = path[len(root) + 1 :]
    if not key or key.split("/", 1)[0] in (".uploads", ".system"):
        return None
    parent, _, leaf = key.rpartition("/")
    if parent.endswith(".versions") and leaf.startswith("v_"):
        return ObjectRef(bucket, parent[: -len(".versions")], leaf[2:])
    return ObjectRef(bucket, key)


def content_changed(old: Entry | None, new: Entry) -> bool:
    """False for tag-only or metadata-only updates (same chunks and inline content)."""
    if old is None or old.is_directory:
        return True
    return (old.chunks, old.content, old.md5) != (new.chunks, new.content, new.md5)


def etag(entry: Entry) -> str:
    """The object's ETag as S3 returns it (without quotes)."""
    stored = entry.extended.get(_ETAG_KEY)
    if stored:
        return stored.decode("utf-8", "replace").strip('"')
    if entry.md5:
        return entry.md5.hex()
    return _chunks_etag(entry.chunk_etags, entry.content)


def _chunks_etag(chunk_etags: list[str], content: bytes) -> str:
    # SeaweedFS's filer.ETagChunks: chunk e_tags are base64 MD5s.
    digests = [_b64_or_hex(e) for e in chunk_etags]
    if not digests:
        return hashlib.md5(content).hexdigest()
    if len(digests) == 1:
        return digests[0].hex()
    return f"{hashlib.md5(b''.join(digests)).hexdigest()}-{len(digests)}"


def _b64_or_hex(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return bytes.fromhex(text) if len(text) % 2 == 0 else text.encode()


def user_metadata(entry: Entry) -> dict[str, str]:
    """``X-Amz-Meta-*`` entries of the extended attributes, in canonical case."""
    return {
        _canonical(k): v.decode("utf-8", "replace")
        for k, v in entry.extended.items()
        if k.lower().startswith(_META_PREFIX)
    }


def _canonical(header: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in header.split("-"))


def iso_time(ts_ns: int) -> str:
    """ISO-8601 UTC with milliseconds, as S3 writes eventTime."""
    moment = datetime.fromtimestamp(ts_ns / 1e9, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def sequencer(ts_ns: int) -> str:
    """16 uppercase hex digits, growing with time like S3's sequencer."""
    return f"{ts_ns & ((1 << 64) - 1):016X}"


def _record(name: str, ref: ObjectRef, obj: dict, ts_ns: int, region: str, owner: str) -> dict:
    obj = {"key": quote_plus(ref.key, safe=""), **obj, "sequencer": sequencer(ts_ns)}
    if ref.version_id:
        obj["versionId"] = ref.version_id
    return {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "awsRegion": region,
        "eventTime": iso_time(ts_ns),
        "eventName": name,
        "userIdentity": {"principalId": owner},
        "requestParameters": {"principalId": owner, "region": region, "sourceIPAddress": ""},
        "responseElements": {},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "Config",
            "bucket": {"name": ref.bucket, "ownerIdentity": {"principalId": owner},
                       "arn": f"arn:aws:s3:::{ref.bucket}"},
            "object": obj,
        },
        "source": {"host": "", "port": "", "userAgent": ""},
    }


def _notification(name: str, ref: ObjectRef, obj: dict, ts_ns: int, region: str,
                  owner: str) -> Notification:
    full_key = f"{ref.bucket}/{ref.key}"
    record = _record(name, ref, obj, ts_ns, region, owner)
    return Notification(full_key, {"EventName": name, "Key": full_key, "Records": [record]}, ts_ns)


def _owner(entry: Entry) -> str:
    return entry.extended.get("Seaweed-X-Amz-Owner", b"").decode("utf-8", "replace")


def created(ref: ObjectRef, entry: Entry, ts_ns: int, region: str) -> Notification:
    """ObjectCreated notification for a new or overwritten object."""
    name = MULTIPART if _UPLOAD_ID_KEY in entry.extended else PUT
    obj = {"size": entry.file_size, "eTag": etag(entry),
           "contentType": entry.mime or "application/octet-stream",
           "userMetadata": user_metadata(entry)}
    return _notification(name, ref, obj, ts_ns, region, _owner(entry))


def removed(ref: ObjectRef, entry: Entry, ts_ns: int, region: str) -> Notification:
    """ObjectRemoved notification (key and sequencer, no size)."""
    return _notification(DELETE, ref, {}, ts_ns, region, _owner(entry))


def to_notifications(event: Event, bucket: str, region: str = "us-east-1") -> list[Notification]:
    """The S3 notifications (zero, one or two) one filer event stands for."""
    old, new = event.old_entry, event.new_entry
    new_dir = event.new_parent_path or event.directory
    old_ref = object_ref(event.directory, old.name, bucket) if old else None
    new_ref = object_ref(new_dir, new.name, bucket) if new else None
    out: list[Notification] = []
    renamed = old_ref is not None and new_ref is not None and old_ref != new_ref
    if old and not old.is_directory and old_ref and (new is None or renamed):
        out.append(removed(old_ref, old, event.ts_ns, region))
    if new and not new.is_directory and new_ref:
        if renamed or content_changed(old, new):
            out.append(created(new_ref, new, event.ts_ns, region))
    return out
