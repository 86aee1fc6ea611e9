"""A throw-away local pipeline: LocalStack + one WorkerProcess + a ready GatewayClient.

Used by the benchmarks and ``aurasense loadtest --local``.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

from aurasense.client import GatewayClient
from core.settings import Settings
from aurasense.worker_process import WorkerProcess


class Sandbox(NamedTuple):
    settings: Settings
    worker: WorkerProcess
    client: GatewayClient


@contextmanager
def local_pipeline(root: Path, base: Settings | None = None,
                   kafka_nodes: int = 1) -> Iterator[Sandbox]:
    """``kafka_nodes=3``: a 3-node Kafka cluster (replication factor 3, min ISR 2)."""
    from stack.local import LocalStack
    from stack.processes import free_port
    from streams.admin import ensure_topics_sync

    root = Path(root)
    base = (base or Settings.from_env()).with_(data_dir=root, gateway_port=free_port())
    with LocalStack(root / "stack", base, create_topics=ensure_topics_sync,
                    kafka_nodes=kafka_nodes) as stack:
        settings = stack.settings()
        worker = WorkerProcess(settings, root / "logs" / "worker.log", supervise=True)
        client = GatewayClient(worker.gateway_url)
        try:
            worker.start()
            client.wait_ready()
            yield Sandbox(settings, worker, client)
        finally:
            client.close()
            worker.stop()
