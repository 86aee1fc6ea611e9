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
    """All object events in one notification; ``SchemaError`` says what is wrong."""
    data = raw if isinstance(raw, dict) else _loads(raw)
    if not isinstance(data, dict):
        raise SchemaError("bucket event: expected a JSON object")
    records = data.get("Records")
    if not isinstance(records, list) or not records:
        raise SchemaError("bucket event: no 'Records' list")
    return [_parse_record(r, i) for i, r in enumerate(records)]


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
    if not isinstance(bucket, dict) or not bucket.get("name"):
        raise SchemaError(f"{where}: no bucket name")
    if not isinstance(obj, dict) or not obj.get("key"):
        raise SchemaError(f"{where}: no object key")
    name = str(record.get("eventName", ""))
    if not name:
        raise SchemaError(f"{where}: no eventName")
    return ObjectEvent(
        event_name=name.removeprefix("s3:"),
        bucket=str(bucket["name"]),
        key=unquote_plus(str(obj["key"])),
        size=_int(obj.get("size", 0), where),
        etag=str(obj.get("eTag", "")).strip('"'),
        version_id=str(obj.get("versionId", "") or ""),
        sequencer=str(obj.get("sequencer", "")),
        content_type=str(obj.get("contentType", "")),
        event_time=_time(record.get("eventTime")),
        user_metadata=_metadata(obj.get("userMetadata")),
    )


def _int(value: Any, where: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SchemaError(f"{where}: size is not a number: {value!r}") from None


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
        if lowered.startswith(_META_PREFIX):
            out[lowered[len(_META_PREFIX):]] = str(value)
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
