"""Bucket notifier: SeaweedFS filer change feed → S3 event JSON on a Kafka topic.

SeaweedFS has no S3 bucket notifications, so this process plays MinIO's Kafka
notification target. It follows the filer's ``SubscribeMetadata`` gRPC stream
from a checkpoint, turns object creates/overwrites/deletes under
``/buckets/<bucket>/`` into MinIO-shaped events and produces them with
``acks=all``.

Delivery is at-least-once: the checkpoint (ts_ns of the newest filer event
whose notification, and every one before it, the broker acknowledged) is
written atomically only after the acks. Any failure (filer or broker gone, send
timeout) ends the session; the next one resumes from the checkpoint, so events
may repeat but none is lost. With no checkpoint, the stream starts at 0 (all
history: on a fresh stack that is a handful of skipped internal entries) unless
``--first-start now`` is given.

    python -m stack.notifier --filer-grpc 127.0.0.1:18888 --bootstrap 127.0.0.1:9092 \\
        --topic bucket-events --bucket audio --checkpoint .aurasense/notifier.ckpt
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from stack import filer_wire
from stack.s3_events import Notification, to_notifications

log = logging.getLogger("stack.notifier")
SUBSCRIBE = "/filer_pb.SeaweedFiler/SubscribeMetadata"
_DONE = object()


@dataclass(frozen=True)
class NotifierConfig:
    """Everything the notifier needs; built from the command line."""

    filer_grpc: str
    bootstrap: str
    topic: str
    bucket: str
    checkpoint: Path
    region: str = "us-east-1"
    first_start: str = "all"  # "all" (since 0) or "now"
    batch_size: int = 500
    send_timeout_s: float = 10.0
    max_backoff_s: float = 5.0


class Checkpoint:
    """ts_ns of the last acknowledged filer event, stored atomically in a file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> int | None:
        try:
            return int(self.path.read_text().strip())
        except (OSError, ValueError):
            return None

    def save(self, ts_ns: int) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w") as f:
            f.write(str(ts_ns))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


class Notifier:
    """Runs sessions (subscribe → convert → produce → checkpoint) until stopped."""

    def __init__(self, config: NotifierConfig) -> None:
        self.config = config
        self.checkpoint = Checkpoint(config.checkpoint)
        self.forwarded = 0
        self._first_since = 0 if config.first_start == "all" else time.time_ns()

    def since_ns(self) -> int:
        """Where the next session starts (the checkpoint's event may repeat)."""
        saved = self.checkpoint.load()
        return self._first_since if saved is None else saved

    async def run_forever(self) -> None:
        """Run sessions, backing off (up to max_backoff_s) after each failure."""
        backoff = 0.2
        while True:
            started = time.monotonic()
            try:
                await self.session()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("session ended: %s: %s", type(exc).__name__, _short(exc))
            if time.monotonic() - started > 10:
                backoff = 0.2  # it ran a while: the outage is new, retry fast
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.config.max_backoff_s)

    async def session(self) -> None:
        """One subscription and one producer; returns or raises on any failure."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.config.bootstrap,
                                    request_timeout_ms=5000)
        producer = AIOKafkaProducer(
            bootstrap_servers=self.config.bootstrap, acks="all", enable_idempotence=False,
            request_timeout_ms=int(self.config.send_timeout_s * 1000), linger_ms=5,
        )
        try:
            await admin.start()
            await wait_for_topic(admin, self.config.bootstrap, self.config.topic)
            await producer.start()
            await self._pump(admin, producer)
        finally:
            await producer.stop()
            await admin.close()

    async def _pump(self, admin: AIOKafkaAdminClient, producer: AIOKafkaProducer) -> None:
        queue: asyncio.Queue = asyncio.Queue(maxsize=self.config.batch_size * 4)
        reader = asyncio.create_task(self._read_filer(queue, self.since_ns()))
        try:
            while True:
                batch, ended = await _next_batch(queue, self.config.batch_size)
                if any(notes for _, notes in batch):
                    await self._check_topic(admin)
                if batch:
                    await self._send_batch(producer, batch)
                if ended:
                    await reader  # re-raises why the stream ended
                    raise ConnectionError("filer stream ended")
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    async def _check_topic(self, admin: AIOKafkaAdminClient) -> None:
        # A broker restarted with memory storage has lost the topic; sending now
        # would auto-create it with the broker's default partition count.
        if self.config.topic not in await admin.list_topics():
            raise LookupError(f"topic {self.config.topic} is gone (broker restarted?)")

    async def _read_filer(self, queue: asyncio.Queue, since_ns: int) -> None:
        try:
            async with grpc.aio.insecure_channel(self.config.filer_grpc) as channel:
                call = channel.unary_stream(
                    SUBSCRIBE, request_serializer=bytes,
                    response_deserializer=filer_wire.decode_response,
                )
                request = filer_wire.encode_subscribe_request(
                    "aurasense-notifier", f"/buckets/{self.config.bucket}/", since_ns,
                    client_id=os.getpid(),
                )
                log.info("subscribed to filer %s since_ns=%d", self.config.filer_grpc, since_ns)
                async for response in call(request, wait_for_ready=False):
                    for event in filer_wire.flatten(response):
                        notes = to_notifications(event, self.config.bucket, self.config.region)
                        await queue.put((event.ts_ns, notes))
        finally:
            await queue.put(_DONE)

    async def _send_batch(self, producer: AIOKafkaProducer, batch: list) -> None:
        notes = [n for _, group in batch for n in group]
        futures = [await producer.send(self.config.topic, key=n.key.encode(),
                                       value=orjson.dumps(n.value)) for n in notes]
        if futures:
            await asyncio.wait_for(asyncio.gather(*futures), self.config.send_timeout_s + 5)
        self.checkpoint.save(max(ts for ts, _ in batch))
        if notes:
            self.forwarded += len(notes)
            log.info("forwarded %d event(s) (total %d), last %s %s", len(notes),
                     self.forwarded, notes[-1].value["EventName"], notes[-1].key)


async def _next_batch(queue: asyncio.Queue, limit: int) -> tuple[list, bool]:
    """Wait for one item, then take what else is queued (up to ``limit``).

    Returns (items, ended): ``ended`` once the reader has finished.
    """
    items = [await queue.get()]
    while len(items) < limit and not queue.empty():
        items.append(queue.get_nowait())
    ended = _DONE in items
    return [i for i in items if i is not _DONE], ended


async def wait_for_topic(admin: AIOKafkaAdminClient, bootstrap: str, topic: str) -> None:
    """Block until ``topic`` exists (never auto-create it with the broker's defaults)."""
    logged = False
    while topic not in await admin.list_topics():
        if not logged:
            log.info("waiting for topic %s on %s", topic, bootstrap)
            logged = True
        await asyncio.sleep(0.2)
    log.info("broker %s has topic %s", bootstrap, topic)


def _short(exc: Exception) -> str:
    if isinstance(exc, grpc.aio.AioRpcError):
        return f"{exc.code().name} {exc.details() or ''}"[:200]
    return str(exc).splitlines()[0][:200] if str(exc) else ""


def parse_args(argv: list[str] | None = None) -> NotifierConfig:
    """Command line → NotifierConfig."""
    p = argparse.ArgumentParser(prog="python -m stack.notifier", description=__doc__.split("\n")[0])
    p.add_argument("--filer-grpc", required=True, help="filer gRPC address HOST:PORT")
    p.add_argument("--bootstrap", required=True, help="Kafka bootstrap HOST:PORT")
    p.add_argument("--topic", default="bucket-events")
    p.add_argument("--bucket", default="audio")
    p.add_argument("--checkpoint", required=True, type=Path, help="checkpoint file")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--first-start", choices=("all", "now"), default="all",
                   help="with no checkpoint: replay all history (default) or start now")
    a = p.parse_args(argv)
    return NotifierConfig(a.filer_grpc, a.bootstrap, a.topic, a.bucket, a.checkpoint,
                          region=a.region, first_start=a.first_start)


async def _main(config: NotifierConfig) -> None:
    task = asyncio.create_task(Notifier(config).run_forever())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        log.info("stopped")


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m stack.notifier``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("aiokafka").setLevel(logging.ERROR)
    config = parse_args(argv)
    config.checkpoint.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(_main(config))


if __name__ == "__main__":
    main()
