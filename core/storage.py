"""The audio bucket over the S3 API (boto3), with blocking calls kept off the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import boto3
from botocore.config import Config

from core.settings import Settings


def s3_client(settings: Settings, endpoint: str | None = None):
    return boto3.client(
        "s3",
        endpoint_url=endpoint or settings.s3_endpoint,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=settings.s3_secret_key,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      retries={"max_attempts": 2, "mode": "standard"},
                      connect_timeout=5, read_timeout=30),
    )


class ObjectMissing(Exception):
    """The object an event names is not in the bucket: a permanent failure, said plainly."""


def _missing(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code")
    return code in ("404", "NoSuchKey", "NotFound", "NoSuchBucket")


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]


class AudioStore:
    """Reads uploads, writes replies, and presigns URLs for clients."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bucket = settings.audio_bucket
        self._s3 = s3_client(settings)
        # Presigned URLs are signed for the address clients use, which may differ in production.
        self._presigner = s3_client(settings, settings.presign_endpoint)

    async def read(self, bucket: str, key: str, max_bytes: int) -> bytes:
        """The object's bytes; reads at most ``max_bytes + 1`` so oversize is detectable."""
        def _get() -> bytes:
            try:
                body = self._s3.get_object(Bucket=bucket, Key=key)["Body"]
            except self._s3.exceptions.ClientError as exc:
                if _missing(exc):
                    raise ObjectMissing("the uploaded audio is not in the bucket (deleted, expired "
                                        "or never written)") from None
                raise
            try:
                return body.read(max_bytes + 1)
            finally:
                body.close()
        return await asyncio.to_thread(_get)

    async def write(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._s3.put_object, Bucket=self.bucket, Key=key, Body=data,
                                ContentType=content_type)

    async def exists(self, key: str) -> bool:
        def _head() -> bool:
            try:
                self._s3.head_object(Bucket=self.bucket, Key=key)
                return True
            except self._s3.exceptions.ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                    return False
                raise
        return await asyncio.to_thread(_head)

    def expire_audio_after(self, hours: int) -> int:
        """Lifecycle rule: uploads and replies expire after ``hours`` (S3 counts in whole days)."""
        days = max(1, -(-hours // 24))
        rules = [{"ID": f"expire-{prefix.rstrip('/')}", "Status": "Enabled",
                  "Filter": {"Prefix": prefix}, "Expiration": {"Days": days}}
                 for prefix in (self.settings.upload_prefix, self.settings.reply_prefix)]
        self._s3.put_bucket_lifecycle_configuration(
            Bucket=self.bucket, LifecycleConfiguration={"Rules": rules})
        return days

    def presign_get(self, key: str, expires_s: int) -> str:
        return self._presigner.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s)

    def presign_put(self, key: str, content_type: str, expires_s: int,
                    metadata: dict[str, str] | None = None) -> str:
        params = {"Bucket": self.bucket, "Key": key, "ContentType": content_type}
        if metadata:
            params["Metadata"] = metadata
        return self._presigner.generate_presigned_url("put_object", Params=params, ExpiresIn=expires_s)

    def presign_post(self, key: str, content_type: str, max_bytes: int, expires_s: int) -> PresignedPost:
        """A POST form limited to this key, an audio content type and the size limit."""
        post = self._presigner.generate_presigned_post(
            self.bucket, key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_s)
        return PresignedPost(url=post["url"], fields=post["fields"])
