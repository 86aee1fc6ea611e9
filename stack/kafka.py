"""Apache Kafka on loopback, KRaft mode, from the pinned jars (``stack/java/kafka/pom.xml``).

    broker = KafkaBroker(data_dir)            # one node: broker and controller in one JVM
    cluster = KafkaCluster(data_dir, nodes=3) # replication factor 3, min ISR 2

Each node formats its log dir once with ``kafka.tools.StorageTool`` and runs ``kafka.Kafka``
with a heap of at most 512 MiB. Log dirs live under ``data_dir/kafka/node-<id>``, so a node
SIGKILLed and started again (on the same ports) keeps every topic, offset and table changelog.
Ready means a Metadata request answers and lists every node of the cluster.
"""

from __future__ import annotations

import asyncio
import base64
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from stack.jars import POM_ROOT, classpath
from stack.processes import ManagedProcess, free_port, port_open

HEAP = "512m"
LOG_CONFIG = POM_ROOT / "kafka" / "log4j2.yaml"


def java() -> str:
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("no `java` on PATH: the local Kafka broker needs Java 17 or newer")
    return found


def new_cluster_id() -> str:
    """A KRaft cluster id: a random UUID, base64url without padding (as StorageTool makes), never
    starting with "-" (Kafka's ``Uuid.randomUuid`` avoids those too: StorageTool would read one
    as an option, and the format failed about once in 64 starts)."""
    while (cluster_id := base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")).startswith("-"):
        pass
    return cluster_id


async def _metadata_brokers(bootstrap: str) -> int:
    from aiokafka.client import AIOKafkaClient

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=2000,
                            connections_max_idle_ms=5000)
    try:
        await client.bootstrap()
        return len(client.cluster.brokers())
    finally:
        await client.close()


def metadata_answers(bootstrap: str, brokers: int = 1) -> bool:
    """True when a Metadata request to ``bootstrap`` lists at least ``brokers`` brokers."""
    try:
        return asyncio.run(_metadata_brokers(bootstrap)) >= brokers
    except Exception:
        return False


@dataclass(frozen=True)
class NodePorts:
    node_id: int
    broker: int
    controller: int


class KafkaNode:
    """One KRaft node (broker + controller) of a cluster whose voters are ``voters``."""

    def __init__(self, root: Path, ports: NodePorts, voters: list[NodePorts], cluster_id: str,
                 log_path: Path) -> None:
        self.ports = ports
        self.dir = root / f"node-{ports.node_id}"
        self.config_path = self.dir / "server.properties"
        self._voters = voters
        self._cluster_id = cluster_id
        opts = ["-Xmx" + HEAP, "-Xms64m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true", f"-Dlog4j2.configurationFile={LOG_CONFIG}"]
        self._java = [java(), *opts, "-cp", classpath("kafka")]
        self.process = ManagedProcess(
            f"kafka-{ports.node_id}", [*self._java, "kafka.Kafka", self.config_path], log_path,
            ready=ports.broker, start_timeout=90, stop_grace=15,
        )

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.ports.broker}"

    def properties(self) -> dict[str, object]:
        replicas = min(3, len(self._voters))
        p = self.ports
        return {
            "process.roles": "broker,controller",
            "node.id": p.node_id,
            "controller.quorum.voters": ",".join(
                f"{v.node_id}@127.0.0.1:{v.controller}" for v in self._voters),
            "listeners": f"PLAINTEXT://127.0.0.1:{p.broker},CONTROLLER://127.0.0.1:{p.controller}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{p.broker}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": self.dir / "logs",
            "num.partitions": 4,
            "default.replication.factor": replicas,
            "min.insync.replicas": min(2, replicas),
            "offsets.topic.replication.factor": replicas,
            "offsets.topic.num.partitions": 8,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": min(2, replicas),
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": min(2, replicas),
            # Tests and `make run` start a group right away: no reason to wait 3 s for more members.
            "group.initial.rebalance.delay.ms": 0,
            "unclean.leader.election.enable": "false",
            "auto.create.topics.enable": "false",  # every topic is created explicitly
            "num.network.threads": 2,
            "num.io.threads": 4,
            "log.cleaner.dedupe.buffer.size": 8 * 1024 * 1024,
        }

    def format_once(self) -> None:
        """Write the config and format the log dir unless it is formatted already."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            "".join(f"{k}={v}\n" for k, v in self.properties().items()))
        if (self.dir / "logs" / "meta.properties").exists():
            return
        fmt = ManagedProcess(
            f"kafka-{self.ports.node_id}-format",
            [*self._java, "kafka.tools.StorageTool", "format", "-t", self._cluster_id,
             "-c", self.config_path],
            self.process.log_path, start_timeout=60,
        )
        fmt.start()
        code = fmt.proc.wait(60)
        if code != 0:
            raise RuntimeError(f"formatting the Kafka log dir {self.dir} failed (exit {code}); "
                               f"see {self.process.log_path}")

    def launch(self, cluster_size: int) -> None:
        """Format if needed and start the JVM; ``process.wait_ready()`` waits for it."""
        self.format_once()
        self.process.ready = lambda: (port_open(self.ports.broker)
                                      and metadata_answers(self.bootstrap, cluster_size))
        self.process.launch()

    def stop(self) -> None:
        self.process.stop()

    def kill(self) -> None:
        self.process.kill()


class KafkaCluster:
    """``nodes`` KRaft nodes on free loopback ports, data under ``data_dir/kafka``."""

    def __init__(self, data_dir: Path, nodes: int = 1, broker_port: int | None = None) -> None:
        self.root = Path(data_dir) / "kafka"
        self.root.mkdir(parents=True, exist_ok=True)
        ports = [NodePorts(i + 1, broker_port if (i == 0 and broker_port) else free_port(),
                           free_port()) for i in range(nodes)]
        self.nodes = [
            KafkaNode(self.root, p, ports, self._cluster_id(),
                      Path(data_dir) / "logs" / f"kafka-{p.node_id}.log")
            for p in ports
        ]

    def _cluster_id(self) -> str:
        # One id for the life of the data dir: a restart must find its own log dirs.
        path = self.root / "cluster.id"
        if not path.exists():
            path.write_text(new_cluster_id())
        return path.read_text().strip()

    @property
    def bootstrap(self) -> str:
        return ",".join(n.bootstrap for n in self.nodes)

    @property
    def process(self) -> ManagedProcess:
        """The first node's process (one-node stacks treat the cluster as one process)."""
        return self.nodes[0].process

    def start(self) -> float:
        """Start every node, then wait for each (a quorum needs a majority up at once).

        Launched from the calling thread: children die with the thread that forked them.
        """
        for node in self.nodes:
            node.launch(len(self.nodes))
        return max(node.process.wait_ready() for node in self.nodes)

    def start_node(self, node_id: int) -> float:
        """Start one node of a running cluster again (after ``kill(node_id)``)."""
        node = self.nodes[node_id - 1]
        node.launch(1)
        return node.process.wait_ready()

    def stop(self) -> None:
        for node in reversed(self.nodes):
            node.stop()

    def kill(self, node_id: int | None = None) -> None:
        """SIGKILL one node (``node_id``) or all of them."""
        for node in self.nodes:
            if node_id is None or node.ports.node_id == node_id:
                node.kill()

    def restart(self) -> float:
        self.stop()
        return self.start()

    def pids(self) -> list[int]:
        return [n.process.pid for n in self.nodes if n.process.running() and n.process.pid]

    def rss_bytes(self) -> int:
        """Resident memory of every running node, summed (from /proc)."""
        total = 0
        for pid in self.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        return total

