"""The whole local stack on loopback: FalkorDB, Apache Kafka, SeaweedFS S3, bucket notifier.

    with LocalStack(Path(".aurasense/stack")) as stack:
        settings = stack.settings()   # kafka_bootstrap, s3_*, falkordb_socket filled in

Data lives under ``data_dir`` (Kafka's log dirs, the bucket, the graph), so a stack stopped and
started again on the same directory keeps it. ``graph="neo4j"`` also starts Neo4j and points the
settings at it (FalkorDB still runs: it is cheap, and the settings pick Neo4j). ``kafka_nodes=3`` runs a 3-node KRaft cluster
(replication factor 3, min ISR 2) for the drills and load tests.

Every part is a child process of this one (own process group, killed with the
parent). Ports are free ones unless ``fixed_ports`` (then the ports in the
settings, and weed's defaults for its internal ports).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import sys
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse


from core.settings import Settings
from schemas.topics import BUCKET_EVENTS
from stack.falkordb import FalkorDBServer
from stack.kafka import KafkaCluster
from stack.neo4j import Neo4jServer
from stack.processes import ManagedProcess
from stack.seaweed import SeaweedPorts, SeaweedS3
from streams.admin import create_topic

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _say(message: str) -> None:
    print(f"[stack] {message}", flush=True)


def create_bucket_events_topic(settings: Settings) -> None:
    """Default topic hook: create only the bucket-events topic."""
    asyncio.run(create_topic(settings, BUCKET_EVENTS))


class LocalStack:
    """Starts and stops the local stack; see the module docstring."""

    def __init__(
        self,
        data_dir: Path,
        settings: Settings | None = None,
        *,
        fixed_ports: bool = False,
        create_topics: Callable[[Settings], None] | None = None,
        kafka_nodes: int = 1,
        graph: str | None = None,
        s3_ports: SeaweedPorts | None = None,
    ) -> None:
        """``s3_ports``: the S3 server's ports (default: weed's defaults with ``fixed_ports``,
        else free ones)."""
        self.data_dir = Path(data_dir).resolve()
        self.base = settings or Settings()
        self.create_topics = create_topics or create_bucket_events_topic
        graph = graph or self.base.local_graph
        if graph not in ("falkordb", "neo4j"):
            raise ValueError(f"graph must be falkordb or neo4j, not {graph!r}")
        self.graph = FalkorDBServer(self.data_dir)
        self.neo4j = Neo4jServer(self.data_dir) if graph == "neo4j" else None
        self.broker = KafkaCluster(self.data_dir, kafka_nodes,
                                   self._fixed_kafka_port() if fixed_ports else None)
        if s3_ports is None and fixed_ports:
            s3_ports = SeaweedPorts.defaults(self._fixed_s3_port())
        self.s3 = SeaweedS3(self.data_dir, s3_ports, region=self.base.s3_region)
        self.notifier = self._notifier_process()
        self._started = False

    def _fixed_kafka_port(self) -> int:
        return int(self.base.kafka_bootstrap.split(",")[0].rsplit(":", 1)[1])

    def _fixed_s3_port(self) -> int:
        return urlparse(self.base.s3_endpoint).port or 8333

    # --- lifecycle -----------------------------------------------------------

    def start(self) -> "LocalStack":
        """Start every part (idempotent); on failure stop what started and re-raise."""
        if self._started:
            return self
        self._started = True
        atexit.register(self.stop)
        try:
            self._start_all()
        except Exception:
            self.stop()
            raise
        return self

    def _start_all(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        took = self.graph.start()
        _say(f"falkordb ready on {self.graph.socket} in {took:.1f}s")
        if self.neo4j is not None:
            took = self.neo4j.start()
            _say(f"neo4j ready on {self.neo4j.uri} in {took:.1f}s")
        took = self.broker.start()
        _say(f"broker ready on {self.broker.bootstrap} in {took:.1f}s")
        self._create_topics()
        took = self.s3.start()
        _say(f"s3 ready on {self.s3.endpoint} (filer gRPC {self.s3.filer_grpc}) in {took:.1f}s")
        self.s3.ensure_bucket(self.base.audio_bucket)
        self.start_notifier()

    def stop(self) -> None:
        """Stop everything in reverse start order (idempotent)."""
        if not self._started:
            return
        self._started = False
        for part in (self.notifier, self.s3, self.broker, self.neo4j, self.graph):
            if part is None:
                continue
            try:
                part.stop()
            except Exception as exc:  # keep stopping the others
                _say(f"stopping {type(part).__name__} failed: {exc}")
        atexit.unregister(self.stop)
        _say("stopped")

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- what clients need ---------------------------------------------------

    def settings(self) -> Settings:
        """The base settings pointed at this stack."""
        return self.base.with_(
            kafka_bootstrap=self.broker.bootstrap,
            topic_replication=min(3, len(self.broker.nodes)),
            s3_endpoint=self.s3.endpoint,
            s3_access_key=self.s3.access_key,
            s3_secret_key=self.s3.secret_key,
            falkordb_socket=str(self.graph.socket),
            **(self.neo4j.settings_fields() if self.neo4j else {}),
        )

    def pids(self) -> list[int]:
        """Process ids of the running children (for leak checks)."""
        parts = (self.graph.process, self.s3.process, self.notifier,
                 *([self.neo4j.process] if self.neo4j else []))
        return [p.pid for p in parts if p.running() and p.pid] + self.broker.pids()

    # --- notifier ------------------------------------------------------------

    def _notifier_process(self) -> ManagedProcess:
        argv = [
            sys.executable, "-m", "stack.notifier",
            "--filer-grpc", self.s3.filer_grpc,
            "--bootstrap", self.broker.bootstrap,
            "--topic", BUCKET_EVENTS,
            "--bucket", self.base.audio_bucket,
            "--checkpoint", str(self.data_dir / "notifier.checkpoint"),
            "--region", self.base.s3_region,
        ]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
            str(_REPO_ROOT), os.environ.get("PYTHONPATH", "")]))}
        log = self.data_dir / "logs" / "notifier.log"
        return ManagedProcess("notifier", argv, log, env=env, cwd=_REPO_ROOT,
                              start_timeout=30, stop_grace=5)

    def start_notifier(self) -> None:
        """Start the notifier; ready once it has subscribed to the filer."""
        log = self.notifier.log_path
        offset = log.stat().st_size if log.exists() else 0
        self.notifier.ready = lambda: b"subscribed to filer" in _read_from(log, offset)
        took = self.notifier.start()
        _say(f"notifier ready (filer → {BUCKET_EVENTS}) in {took:.1f}s")

    def restart_notifier(self) -> None:
        """Stop (SIGTERM) and start the notifier again."""
        self.notifier.stop()
        self.start_notifier()

    def kill_notifier(self) -> None:
        """SIGKILL the notifier (crash test); ``start_notifier()`` brings it back."""
        self.notifier.kill()

    # --- restarts for tests ----------------------------------------------------

    def restart_broker(self) -> None:
        """Stop (SIGTERM) and start the broker again; its log dirs persist."""
        self.stop_broker()
        self.start_broker()

    def stop_broker(self) -> None:
        """Stop the broker only (the notifier keeps running and retries)."""
        self.broker.stop()

    def kill_broker(self, node_id: int | None = None) -> None:
        """SIGKILL the broker (one node of a cluster, or all); ``start_broker()`` brings it back."""
        self.broker.kill(node_id)

    def start_broker(self, node_id: int | None = None) -> None:
        """Start the broker (or one node) again on the same ports, with the data it had."""
        took = self.broker.start_node(node_id) if node_id else self.broker.start()
        _say(f"broker back on {self.broker.bootstrap} in {took:.1f}s")

    def restart_s3(self) -> None:
        """Restart weed mini; objects, bucket and the filer's change log persist."""
        took = self.s3.restart()
        _say(f"s3 back on {self.s3.endpoint} in {took:.1f}s")

    def _create_topics(self) -> None:
        started = time.monotonic()
        deadline = started + 20
        while True:
            try:
                self.create_topics(self.settings())
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        _say(f"topics ready in {time.monotonic() - started:.1f}s")


def _read_from(path: Path, offset: int) -> bytes:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read()
    except OSError:
        return b""
