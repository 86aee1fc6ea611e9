"""Drive uploads through the pipeline and account for every one of them.

Two ways in:
- ``S3Sender``: the real path — presigned PUT (from the gateway) to the bucket; the bucket
  notification (notifier or MinIO) starts the pipeline.
- ``SyntheticSender``: MinIO-shaped notifications published straight to bucket-events, for
  objects copied inside the bucket (server-side) from clips uploaded once, one key per session
  (identity comes from the key only); the notifier's own event for a copy is the same upload
  and is deduped. The audio repeats, so transcriptions after the first of each clip come from
  the worker's transcription cache (speech-to-text is not exercised: use s3 mode for that).

``run_load`` paces the sends, polls the gateway until every session is completed or
failed (or the deadline passes: lost), and returns a report.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

import httpx
import orjson

from aurasense.client import ClientError, GatewayClient
from aurasense.ops.latency import COLUMNS, breakdown
from aurasense.ops.speech import unique_wav
from aurasense.ops.stats import summarize
from core.settings import Settings


class GatewayUnreachable(RuntimeError):
    """The gateway did not answer or never became ready (the CLI exits 3)."""


@dataclass
class Upload:
    index: int
    session_id: str
    sent_at: float | None = None
    error: str | None = None
    status: dict | None = None
    last_poll: float = 0.0

    @property
    def finished(self) -> bool:
        return self.error is not None or (self.status or {}).get("status") in ("completed", "failed")


class Sender(Protocol):
    def send(self, upload: Upload) -> None: ...
    def close(self) -> None: ...


class S3Sender:
    def __init__(self, gateway_url: str, user_id: str, clips: list[bytes]) -> None:
        self.local = threading.local()
        self.gateway_url, self.user_id, self.clips = gateway_url, user_id, clips
        # Unique audio per upload and per run: a second run on the same stack must not be
        # answered from the transcription cache the first one filled.
        self.salt = secrets.randbits(48) << 16
        self.clients: list[GatewayClient] = []

    def _client(self) -> GatewayClient:
        if not hasattr(self.local, "client"):
            self.local.client = GatewayClient(self.gateway_url)
            self.clients.append(self.local.client)
        return self.local.client

    def send(self, upload: Upload) -> None:
        client = self._client()
        presigned = client.create_upload(self.user_id, session_id=upload.session_id)
        clip = self.clips[upload.index % len(self.clips)]
        client.put(presigned, unique_wav(clip, self.salt + upload.index))  # no cache hits
        upload.sent_at = time.time()

    def close(self) -> None:
        for c in self.clients:
            c.close()


class SyntheticSender:
    def __init__(self, settings: Settings, user_id: str, run_id: str, clips: list[bytes]) -> None:
        from core.storage import s3_client

        self.settings, self.user_id, self.run_id = settings, user_id, run_id
        self.s3 = s3 = s3_client(settings)
        self.objects = []  # (key, size, etag) of each clip, uploaded once
        for j, clip in enumerate(clips):
            key = f"{settings.upload_prefix}{user_id}/{run_id}-base{j}.wav"
            s3.put_object(Bucket=settings.audio_bucket, Key=key, Body=clip, ContentType="audio/wav")
            head = s3.head_object(Bucket=settings.audio_bucket, Key=key)
            self.objects.append((key, head["ContentLength"], head["ETag"].strip('"')))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.producer = self._call(self._start_producer())

    @property
    def base_sessions(self) -> list[str]:
        """The sessions the direct uploads themselves start (through the notifier, if any)."""
        return [f"{self.run_id}-base{j}" for j in range(len(self.objects))]

    def _call(self, coro) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    async def _start_producer(self):
        from aiokafka import AIOKafkaProducer
        from aurasense.ops.log import _start

        producer = AIOKafkaProducer(bootstrap_servers=self.settings.kafka_bootstrap,
                                    request_timeout_ms=15000)
        await _start(producer)
        return producer

    def send(self, upload: Upload) -> None:
        from schemas.s3_events import minio_event
        from schemas.topics import BUCKET_EVENTS

        base, size, _ = self.objects[upload.index % len(self.objects)]
        bucket = self.settings.audio_bucket
        key = f"{self.settings.upload_prefix}{self.user_id}/{upload.session_id}.wav"
        copied = self.s3.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": base})
        etag = copied["CopyObjectResult"]["ETag"].strip('"')
        now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
        event = minio_event(bucket, key, size=size, etag=etag,
                            sequencer=f"{self.run_id}{upload.index:08d}", content_type="audio/wav",
                            event_time=now)
        self._call(self.producer.send_and_wait(
            BUCKET_EVENTS, orjson.dumps(event), key=f"{self.settings.audio_bucket}/{key}".encode()))
        upload.sent_at = time.time()

    def close(self) -> None:
        try:
            self._call(self.producer.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


def check_gateway(url: str, timeout: float = 30.0) -> GatewayClient:
    """A client for a gateway that answers and is ready; ``GatewayUnreachable`` otherwise."""
    client = GatewayClient(url, timeout=10)
    try:
        client.http.get("/healthz")
        client.wait_ready(timeout)
    except (httpx.TransportError, ClientError) as exc:
        client.close()
        raise GatewayUnreachable(f"gateway {url}: {exc}") from None
    return client


def new_run_id() -> str:
    return f"lt{uuid.uuid4().hex[:6]}"


@dataclass
class LoadReport:
    mode: str
    uploads: list[Upload]
    started_at: float
    finished_at: float
    rate: float | None
    concurrency: int
    rows: list[dict] = field(default_factory=list)

    @property
    def completed(self) -> list[Upload]:
        return [u for u in self.uploads if (u.status or {}).get("status") == "completed"]

    @property
    def failed(self) -> list[Upload]:
        return [u for u in self.uploads if (u.status or {}).get("status") == "failed"]

    @property
    def upload_errors(self) -> list[Upload]:
        return [u for u in self.uploads if u.error is not None]

    @property
    def lost(self) -> list[Upload]:
        return [u for u in self.uploads if u.error is None and not u.finished]

    def to_dict(self) -> dict[str, Any]:
        done = [u.status["completed_at"] for u in self.completed + self.failed]
        sent = [u.sent_at for u in self.uploads if u.sent_at]
        span = (max(done) - min(sent)) if done and sent else None
        errors: dict[str, int] = {}
        for u in self.failed:
            msg = u.status.get("error_message") or "failed"
            errors[msg] = errors.get(msg, 0) + 1
        for u in self.upload_errors:
            errors[f"upload: {u.error}"] = errors.get(f"upload: {u.error}", 0) + 1
        return {
            "mode": self.mode, "uploads": len(self.uploads), "rate_per_s": self.rate,
            "concurrency": self.concurrency, "completed": len(self.completed),
            "failed": len(self.failed), "upload_errors": len(self.upload_errors),
            "lost": len(self.lost), "lost_sessions": [u.session_id for u in self.lost],
            "duration_s": span,
            "throughput_per_s": (len(self.completed) / span) if span else None,
            "latency_ms": {c: summarize(r[c] for r in self.rows) for c in COLUMNS},
            "errors": errors,
        }


def run_load(sender: Sender, poller: GatewayClient, session_ids: list[str], *, mode: str,
             rate: float | None, concurrency: int, timeout_s: float,
             progress: bool | None = None) -> LoadReport:
    """Send every upload (paced at ``rate``/s, or as fast as ``concurrency`` allows) and wait."""
    from tqdm import tqdm

    uploads = [Upload(i, sid) for i, sid in enumerate(session_ids)]
    started = time.time()
    dispatcher = threading.Thread(target=_dispatch, args=(sender, uploads, rate, concurrency),
                                  daemon=True)
    dispatcher.start()
    bar = tqdm(total=len(uploads), desc=f"loadtest {mode}", unit="session",
               disable=(None if progress is None else not progress), leave=False)
    try:
        _wait_all(poller, uploads, dispatcher, timeout_s, bar)
    finally:
        bar.close()
        dispatcher.join(timeout=1)
    report = LoadReport(mode, uploads, started, time.time(), rate, concurrency)
    report.rows = [breakdown(u.status, u.sent_at) for u in report.completed]
    return report


def _dispatch(sender: Sender, uploads: list[Upload], rate: float | None, concurrency: int) -> None:
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for u in uploads:
            if rate:
                delay = t0 + u.index / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            pool.submit(_send_one, sender, u)


def _send_one(sender: Sender, u: Upload) -> None:
    try:
        sender.send(u)
    except Exception as exc:  # counted and reported, never raised from a worker thread
        u.error = f"{type(exc).__name__}: {exc}"[:300]


def _wait_all(poller: GatewayClient, uploads: list[Upload], dispatcher: threading.Thread,
              timeout_s: float, bar) -> None:
    deadline, counted = None, 0
    while True:
        now = time.monotonic()
        for u in uploads:
            if u.sent_at and not u.finished and now - u.last_poll >= 0.1:
                u.last_poll = now
                try:
                    u.status = poller.status(u.session_id)
                except (httpx.HTTPStatusError, httpx.TransportError):
                    pass  # a 5xx under load, or the gateway restarting: ask again
        done = sum(u.finished for u in uploads)
        bar.update(done - counted)
        counted = done
        if done == len(uploads):
            return
        if deadline is None and not dispatcher.is_alive():
            deadline = time.monotonic() + timeout_s  # the last upload has been sent
        if deadline is not None and time.monotonic() > deadline:
            return
        time.sleep(0.05)
