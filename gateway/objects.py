"""HEAD on the audio bucket: what an object really is (size, eTag, content type, metadata)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from core.settings import Settings
from core.storage import s3_client


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    etag: str
    content_type: str = ""
    version_id: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


class ObjectHead:
    """``await head(key) -> ObjectInfo | None`` (None: no such object)."""

    def __init__(self, settings: Settings) -> None:
        self.bucket = settings.audio_bucket
        self._s3 = s3_client(settings)

    async def __call__(self, key: str) -> ObjectInfo | None:
        return await asyncio.to_thread(self._head, key)

    def _head(self, key: str) -> ObjectInfo | None:
        try:
            found = self._s3.head_object(Bucket=self.bucket, Key=key)
        except self._s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return ObjectInfo(size=int(found.get("ContentLength", 0)),
                          etag=str(found.get("ETag", "")).strip('"'),
                          content_type=found.get("ContentType", ""),
                          version_id=found.get("VersionId", "") or "",
                          metadata=dict(found.get("Metadata", {})))
