"""Bucket notifier: SeaweedFS filer change feed → S3 event JSON on a Kafka topic.

SeaweedFS has no S3 bucket notifications, so this process plays MinIO's Kafka
notification target. It follows the filer's ``SubscribeMetadata`` gRPC stream
from a checkpoint, turns object creates/overwrites/deletes under
``/buckets/<bucket>/`` into MinIO-shaped events and produces them with
``acks=all``.

Delivery is at-least-once: the checkpoint (ts_ns of the newest filer event
whose notification, and every one before it, the broker acknowledged) is
written atomically only after the acks. A filer outage makes the reader
reconnect from the last event it read; a broker outage makes the sender retry
the same batch until acked (the reader keeps queueing meanwhile). A restart
of the notifier resumes from the checkpoint (inclusive), so events may repeat
but none is lost.

With no checkpoint the stream starts at 0, i.e. all history (on a fresh stack,
a handful of skipped internal entries), so an upload made before the notifier
first subscribes is never missed; ``--first-start now`` starts at the
notifier's own start time instead.

Limit (SeaweedFS): the filer flushes its change log to disk about once a
minute and on a graceful stop. If ``weed`` is SIGKILLed while this notifier
is *not running*, changes from that last minute are gone from the log.

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
    queue_size: int = 20000  # filer events held while the broker is away
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


class Backoff:
    """Exponential retry delay: 0.2 s doubling up to ``cap``; ``reset()`` after success."""

    def __init__(self, cap: float) -> None:
        self.cap, self.delay = cap, 0.2

    async def wait(self) -> None:
        await asyncio.sleep(self.delay)
        self.delay = min(self.delay * 2, self.cap)

    def reset(self) -> None:
        self.delay = 0.2


class Notifier:
    """Two loops joined by a bounded queue: filer reader → Kafka sender.

    The reader follows the filer from where it last read (reconnecting on its
    own); the sender retries a batch until the broker acks it, then checkpoints.
    So a broker outage never needs the filer's log again, and a filer restart
    never re-sends what is already queued. Only a restart of this process goes
    back to the checkpoint.
    """

    def __init__(self, config: NotifierConfig) -> None:
        self.config = config
        self.checkpoint = Checkpoint(config.checkpoint)
        self.forwarded = 0
        self._first_since = 0 if config.first_start == "all" else time.time_ns()
        self._producer: AIOKafkaProducer | None = None
        self._admin: AIOKafkaAdminClient | None = None

    def since_ns(self) -> int:
        """Where reading starts after a (re)start (the checkpoint's event may repeat)."""
        saved = self.checkpoint.load()
        return self._first_since if saved is None else saved

    async def run_forever(self) -> None:
        """Run the reader and the sender until cancelled."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=self.config.queue_size)
        reader = asyncio.create_task(self._read_forever(queue))
        try:
            await self._send_forever(queue)
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
            await self._disconnect()

    # --- filer side ------------------------------------------------------------

    async def _read_forever(self, queue: asyncio.Queue) -> None:
        since, backoff = self.since_ns(), Backoff(self.config.max_backoff_s)
        while True:
            try:
                async for event in self._subscribe(since):
                    notes = to_notifications(event, self.config.bucket, self.config.region)
                    await queue.put((event.ts_ns, notes))
                    since = max(since, event.ts_ns)
                    backoff.reset()
                log.warning("filer stream ended")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("filer stream failed: %s", _describe(exc))
            await backoff.wait()

    async def _subscribe(self, since_ns: int):
        """Yield filer events under /buckets/<bucket>/ from ``since_ns`` on."""
        async with grpc.aio.insecure_channel(self.config.filer_grpc) as channel:
            call = channel.unary_stream(SUBSCRIBE, request_serializer=bytes,
                                        response_deserializer=filer_wire.decode_response)
            request = filer_wire.encode_subscribe_request(
                "aurasense-notifier", f"/buckets/{self.config.bucket}/", since_ns,
                client_id=os.getpid(),
            )
            log.info("subscribed to filer %s since_ns=%d", self.config.filer_grpc, since_ns)
            async for response in call(request):
                for event in filer_wire.flatten(response):
                    yield event

    # --- broker side ---------------------------------------------------------------

    async def _send_forever(self, queue: asyncio.Queue) -> None:
        while True:
            batch = await _next_batch(queue, self.config.batch_size)
            await self._deliver(batch)
            self.checkpoint.save(max(ts for ts, _ in batch))

    async def _deliver(self, batch: list) -> None:
        """Send the batch's notifications; retry (reconnecting) until all are acked."""
        notes = [n for _, group in batch for n in group]
        backoff = Backoff(self.config.max_backoff_s)
        while notes:
            try:
                await self._connect()
                await self._send(notes)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("send failed, will retry %d event(s): %s", len(notes), _describe(exc))
                await self._disconnect()
                await backoff.wait()

    async def _send(self, notes: list[Notification]) -> None:
        futures = [await self._producer.send(self.config.topic, key=n.key.encode(),
                                             value=orjson.dumps(n.value)) for n in notes]
        await asyncio.wait_for(asyncio.gather(*futures), self.config.send_timeout_s + 5)
        self.forwarded += len(notes)
        log.info("forwarded %d event(s) (total %d), last %s %s", len(notes), self.forwarded,
                 notes[-1].value["EventName"], notes[-1].key)

    async def _connect(self) -> None:
        if self._producer is not None:
            return
        self._admin = AIOKafkaAdminClient(bootstrap_servers=self.config.bootstrap,
                                          request_timeout_ms=5000)
        await self._admin.start()
        # Checked once per connection, not per batch (a metadata round trip on every upload's
        # path): the broker never auto-creates topics (stack/kafka.py), so a topic lost later
        # fails the send, which reconnects and waits here again.
        await wait_for_topic(self._admin, self.config.bootstrap, self.config.topic)
        producer = AIOKafkaProducer(
            bootstrap_servers=self.config.bootstrap, acks="all", enable_idempotence=False,
            # No linger: what queued while the last batch awaited its acks is already the next
            # batch (_next_batch), and every upload's notification is on the critical path.
            request_timeout_ms=int(self.config.send_timeout_s * 1000), linger_ms=0,
        )
        await producer.start()
        self._producer = producer

    async def _disconnect(self) -> None:
        producer, admin, self._producer, self._admin = self._producer, self._admin, None, None
        for client in (producer, admin):
            try:
                if isinstance(client, AIOKafkaProducer):
                    await client.stop()
                elif client is not None:
                    await client.close()
            except Exception as exc:
                log.debug("closing kafka client: %s", exc)


async def _next_batch(queue: asyncio.Queue, limit: int) -> list:
    """Wait for one item, then take what else is queued (up to ``limit``)."""
    items = [await queue.get()]
    while len(items) < limit and not queue.empty():
        items.append(queue.get_nowait())
    return items


async def wait_for_topic(admin: AIOKafkaAdminClient, bootstrap: str, topic: str) -> None:
    """Block until ``topic`` exists (never auto-create it with the broker's defaults)."""
    logged = False
    while topic not in await admin.list_topics():
        if not logged:
            log.info("waiting for topic %s on %s", topic, bootstrap)
            logged = True
        await asyncio.sleep(0.2)
    log.info("broker %s has topic %s", bootstrap, topic)


def _describe(exc: Exception) -> str:
    """One short line for a log: type and first line of the message."""
    name = type(exc).__name__
    if isinstance(exc, grpc.aio.AioRpcError):
        return f"{name}: {exc.code().name} {exc.details() or ''}"[:240]
    text = str(exc).splitlines()[0] if str(exc) else ""
    return (text if text.startswith(name) else f"{name}: {text}")[:240]


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
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # our own lines say it
    config = parse_args(argv)
    config.checkpoint.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(_main(config))


if __name__ == "__main__":
    main()
