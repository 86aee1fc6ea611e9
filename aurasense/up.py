"""The whole product on this machine, on one data directory: the local stack plus N workers.

    service = LocalService(Path(".aurasense/data"), Settings.from_env(), workers=2)
    service.start_stack()      # broker, S3 server, graph, notifier
    service.start_workers()    # supervised workers (Faust stages + gateway), ready
    ...
    service.stop()             # workers first, then the stack

Everything lives under the data directory (Kafka's log dirs, the bucket, the graph's append-only
file, the notifier's checkpoint, the workers' logs), so a service stopped and started again on
it serves the same profiles and sessions. With ``fixed`` (``aurasense up``) the addresses are
the settings' ports (Kafka ``kafka_bootstrap``, S3 ``s3_endpoint``, gateways from ``gateway_port``
up; the S3 server's internal ports are kept per data dir, ``s3_ports``), so a restart keeps them;
a port already taken is refused before anything starts. Without it (``aurasense demo``), free ports.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, replace
from pathlib import Path
from urllib.parse import urlparse

from aurasense.client import GatewayClient
from core.settings import Settings
from aurasense.worker_process import WorkerProcess
from stack.local import LocalStack
from stack.processes import free_port, port_open
from stack.seaweed import SeaweedPorts
from streams.admin import ensure_topics_sync


S3_PORTS_FILE = "s3-ports.json"


class PortTaken(RuntimeError):
    """A port the service must listen on is in use already."""


def persistent_secret(data_dir: Path) -> str:
    """The data dir's token secret, made once: tokens issued before a restart stay valid after it."""
    path = Path(data_dir) / "token.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def s3_ports(data_dir: Path, settings: Settings) -> SeaweedPorts:
    """The S3 server's ports on this data dir: S3 itself from the settings; its internal ones
    (master, volume, filer, admin, gRPC) those kept by ``keep_s3_ports`` after the dir's first
    start, else weed's defaults when they are free (else free ones, so a second service on another
    dir can run beside it)."""
    path, s3 = Path(data_dir) / S3_PORTS_FILE, urlparse(settings.s3_endpoint).port or 8333
    if path.exists():
        return replace(SeaweedPorts(**json.loads(path.read_text())), s3=s3)
    ports = SeaweedPorts.defaults(s3)
    internal = [v for k, v in asdict(ports).items() if k not in ("s3", "grpc")] + list(ports.grpc.values())
    if any(not 0 < p < 65536 or port_open(p) for p in internal):
        ports = replace(SeaweedPorts.free(), s3=s3)
    return ports


def keep_s3_ports(data_dir: Path, ports: SeaweedPorts) -> None:
    """Kept once the S3 server started on them (a port lost to a race is not kept)."""
    (Path(data_dir) / S3_PORTS_FILE).write_text(json.dumps(asdict(ports)))


def service_ports(settings: Settings, workers: int, weed: SeaweedPorts) -> dict[str, int]:
    """Every TCP port ``aurasense up`` listens on, by what listens there."""
    kafka = int(settings.kafka_bootstrap.split(",")[0].rsplit(":", 1)[1])
    return {"kafka": kafka,
            **{f"s3 {k}".replace("s3 s3", "s3"): getattr(weed, k)
               for k in ("s3", "master", "volume", "filer", "admin")},
            **{f"s3 {k} gRPC".replace("s3 s3", "s3"): v for k, v in weed.grpc.items()},
            **{f"gateway {i}": settings.gateway_port + i for i in range(workers)}}


def check_ports_free(ports: dict[str, int]) -> None:
    """Raise ``PortTaken`` naming every port out of range or already answering."""
    bad = [f"{port} ({what}): out of range" for what, port in ports.items() if not 0 < port < 65536]
    bad += [f"{port} ({what}): in use" for what, port in ports.items()
            if 0 < port < 65536 and port_open(port)]
    if bad:
        raise PortTaken("ports not available: " + "; ".join(bad) + ". Stop what holds them, or choose "
                        "others with AURASENSE_KAFKA_BOOTSTRAP, AURASENSE_S3_ENDPOINT, AURASENSE_GATEWAY_PORT")


class LocalService:
    """The local stack and ``workers`` supervised workers on ``data_dir``; see the module docstring."""

    def __init__(self, data_dir: Path, base: Settings, workers: int = 1, fixed: bool = True) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if workers > base.topic_partitions:  # a worker without a partition is never ready
            raise ValueError(f"{workers} workers but {base.topic_partitions} partitions per topic: "
                             f"at most {base.topic_partitions} workers (AURASENSE_TOPIC_PARTITIONS)")
        self.data_dir = Path(data_dir).resolve()
        self.n_workers, self.fixed = workers, fixed
        self.base = base.with_(data_dir=self.data_dir,
                               token_secret=base.token_secret or persistent_secret(self.data_dir))
        if not fixed:
            self.base = self.base.with_(gateway_port=free_port())
        self.stack: LocalStack | None = None
        self.workers: list[WorkerProcess] = []

    def start_stack(self) -> Settings:
        """Check the ports, start broker, S3 server, graph and notifier; the settings pointing at them."""
        weed = s3_ports(self.data_dir, self.base) if self.fixed else None
        if weed is not None:
            check_ports_free(service_ports(self.base, self.n_workers, weed))
        self.stack = LocalStack(self.data_dir, self.base, fixed_ports=self.fixed, s3_ports=weed,
                                create_topics=ensure_topics_sync)
        self.stack.start()
        if weed is not None:
            keep_s3_ports(self.data_dir, weed)
        self.settings = self.stack.settings()
        return self.settings

    def start_workers(self, timeout: float = 180.0) -> list[str]:
        """Start the workers, wait until every gateway is ready; their URLs."""
        first = self.settings.gateway_port
        ports = [first + i if self.fixed or i == 0 else free_port() for i in range(self.n_workers)]
        self.workers = [WorkerProcess(self.settings.with_(gateway_port=port),
                                      self.data_dir / "logs" / f"worker-{i}.log", name=f"worker-{i}",
                                      supervise=True)
                        for i, port in enumerate(ports)]
        for worker in self.workers:
            worker.start()
        for worker in self.workers:
            client = GatewayClient(worker.gateway_url)
            try:
                client.wait_ready(timeout=timeout)
            finally:
                client.close()
        return self.gateways()

    def gateways(self) -> list[str]:
        return [w.gateway_url for w in self.workers]

    def addresses(self) -> dict:
        """Where a user, a producer and a load test connect (no secrets)."""
        return {"page": f"{self.gateways()[0]}/" if self.workers else None,
                "gateways": self.gateways(),
                "s3_endpoint": self.settings.s3_endpoint,
                "bucket": self.settings.audio_bucket,
                "kafka_bootstrap": self.settings.kafka_bootstrap,
                "falkordb_socket": self.settings.falkordb_socket}

    def pids(self) -> list[int]:
        """Process ids of every running child (for status and leak checks)."""
        stack = self.stack.pids() if self.stack else []
        return stack + [w.process.pid for w in self.workers if w.process.running()]

    def stop(self) -> None:
        """Workers first (they are the stack's clients), then the stack; idempotent."""
        for worker in self.workers:
            worker.stop()
        self.workers = []
        if self.stack is not None:
            self.stack.stop()

    def __enter__(self) -> "LocalService":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
