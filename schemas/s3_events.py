"""Parse S3 bucket notifications in the AWS and MinIO shapes.

AWS: ``{"Records": [...]}``; MinIO adds ``{"EventName", "Key"}`` around the same
records. ``eventName`` comes with or without the ``s3:`` prefix; object keys are
URL-encoded (``+`` for space); user metadata keys vary in case and prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import orjson

from schemas.records import SchemaError

_META_PREFIX = "x-amz-meta-"
MAX_KEY_BYTES = 1024  # S3's own limit
MAX_OBJECT_BYTES = 5 * 1024 ** 4  # S3's largest object: a larger size is not a real one


@dataclass(frozen=True)
class ObjectEvent:
    """One object-level change in a bucket."""

    event_name: str  # without the "s3:" prefix, e.g. "ObjectCreated:Put"
    bucket: str
    key: str  # decoded
    size: int = 0
    etag: str = ""
    version_id: str = ""
    sequencer: str = ""
    content_type: str = ""
    event_time: float = 0.0
    user_metadata: dict[str, str] = field(default_factory=dict)

    @property
    def created(self) -> bool:
        return self.event_name.startswith("ObjectCreated")

    @property
    def identity(self) -> str:
        """What makes two notifications the same upload (they are at-least-once).

        The sequencer is left out on purpose: a producer posting an event for an object
        it uploaded (gateway) has none, yet it is the same upload as the bucket's own event.
        """
        return "|".join((self.bucket, self.key, self.version_id, self.etag))


def parse_bucket_event(raw: bytes | str | dict) -> list[ObjectEvent]:
    """All object events in one notification; ``SchemaError`` says what is wrong with the first
    bad record (``parse_bucket_records`` keeps the good ones)."""
    objects, errors = parse_bucket_records(raw)
    if errors:
        raise errors[0]
    return objects


def parse_bucket_records(raw: bytes | str | dict) -> tuple[list[ObjectEvent], list[SchemaError]]:
    """The valid object events of one notification, and what is wrong with each invalid record.

    A notification that is not one at all raises ``SchemaError``; AWS's ``s3:TestEvent`` (sent
    when a notification is configured) holds no object and gives ``([], [])``.
    """
    data = raw if isinstance(raw, dict) else _loads(raw)
    if not isinstance(data, dict):
        raise SchemaError("bucket event: expected a JSON object")
    if data.get("Event") == "s3:TestEvent" and "Records" not in data:
        return [], []
    records = data.get("Records")
    if not isinstance(records, list) or not records:
        raise SchemaError("bucket event: no 'Records' list")
    objects, errors = [], []
    for i, record in enumerate(records):
        try:
            objects.append(_parse_record(record, i))
        except SchemaError as exc:
            errors.append(exc)
    return objects, errors


def _loads(raw: bytes | str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SchemaError(f"bucket event: not JSON ({exc})") from None


def _parse_record(record: Any, index: int) -> ObjectEvent:
    where = f"bucket event record {index}"
    s3 = record.get("s3") if isinstance(record, dict) else None
    if not isinstance(s3, dict):
        raise SchemaError(f"{where}: no 's3' object")
    bucket, obj = s3.get("bucket"), s3.get("object")
    if not isinstance(bucket, dict) or not isinstance(bucket.get("name"), str) or not bucket["name"]:
        raise SchemaError(f"{where}: no bucket name")
    if not isinstance(obj, dict) or not isinstance(obj.get("key"), str) or not obj["key"]:
        raise SchemaError(f"{where}: no object key")
    name = record.get("eventName")
    if not isinstance(name, str) or not name:
        raise SchemaError(f"{where}: no eventName")
    key = unquote_plus(obj["key"])
    problem = key_problem(key)
    if problem:
        raise SchemaError(f"{where}: {problem}")
    return ObjectEvent(
        event_name=name.removeprefix("s3:"),
        bucket=bucket["name"],
        key=key,
        size=_int(obj.get("size", 0), where),
        etag=_text(obj.get("eTag"), "eTag", where).strip('"'),
        version_id=_text(obj.get("versionId"), "versionId", where),
        sequencer=_text(obj.get("sequencer"), "sequencer", where),
        content_type=_text(obj.get("contentType"), "contentType", where),
        event_time=_time(record.get("eventTime")),
        user_metadata=_metadata(obj.get("userMetadata")),
    )


def key_problem(key: str) -> str:
    """Why an object key is refused before any S3 call ('' if it is fine). Never echoes the key:
    a newline in it would forge a log line."""
    size = len(key.encode("utf-8", "surrogatepass"))
    if size > MAX_KEY_BYTES:
        return f"object key too long ({size} bytes, limit {MAX_KEY_BYTES})"
    if any(ord(c) < 32 or ord(c) == 127 for c in key):
        return "object key contains control characters"
    if "\\" in key:
        return "object key contains a backslash"
    if any(part in (".", "..") for part in key.split("/")):
        return "object key contains a '.' or '..' segment"
    return ""


def _text(value: Any, name: str, where: str, limit: int = 1024) -> str:
    """An optional short string field ('' when absent)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise SchemaError(f"{where}: {name} is not a string of at most {limit} characters")
    return value


def _int(value: Any, where: str) -> int:
    """The event's size: a whole number of bytes an S3 object can have (never trusted for more
    than that: transcribe reads the object's real size from the bucket)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SchemaError(f"{where}: size is not a number")
    try:
        size = int(value)
    except (TypeError, ValueError, OverflowError):
        raise SchemaError(f"{where}: size is not a number") from None
    if not 0 <= size <= MAX_OBJECT_BYTES:
        raise SchemaError(f"{where}: size out of range (0 to 5 TiB)")
    return size


def _time(value: Any) -> float:
    if not isinstance(value, str) or not value:
        return 0.0
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _metadata(meta: Any) -> dict[str, str]:
    """Lower-case names without the ``x-amz-meta-`` prefix: ``{"user-id": "u1"}``."""
    if not isinstance(meta, dict):
        return {}
    out = {}
    for name, value in meta.items():
        lowered = str(name).lower()
        if lowered.startswith(_META_PREFIX) and isinstance(value, str):
            out[lowered[len(_META_PREFIX):]] = value
    return out


def minio_event(bucket: str, key: str, *, size: int, etag: str = "", sequencer: str = "",
                content_type: str = "", event_name: str = "s3:ObjectCreated:Put",
                metadata: dict[str, str] | None = None, event_time: str = "") -> dict:
    """A notification in MinIO's shape (what the gateway and tests publish for producers)."""
    meta = {f"X-Amz-Meta-{k}": v for k, v in (metadata or {}).items()}
    record = {
        "eventVersion": "2.0", "eventSource": "minio:s3", "eventName": event_name,
        "eventTime": event_time,
        "s3": {"bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": etag,
                          "sequencer": sequencer, "contentType": content_type,
                          "userMetadata": meta}},
    }
    return {"EventName": event_name, "Key": f"{bucket}/{key}", "Records": [record]}
