"""The production parts in containers (testcontainers): Redpanda, MinIO publishing its bucket
notifications to Kafka, Neo4j. Same interface as ``LocalStack``; used by the tests where a Docker
engine is reachable (``docker_available()``), the local processes otherwise.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from textwrap import dedent
from typing import Callable

from core.settings import Settings
from schemas.topics import BUCKET_EVENTS

REDPANDA_IMAGE = "docker.redpanda.com/redpandadata/redpanda:v24.3.5"
MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z"
NEO4J_IMAGE = "neo4j:5.26-community"
MINIO_KAFKA_ARN = "arn:minio:sqs::PRIMARY:kafka"


def docker_available() -> tuple[bool, str]:
    """(True, "") when a Docker engine answers, else (False, why)."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True, ""
    except Exception as exc:  # no socket, no permission, no engine
        return False, f"no Docker engine reachable ({type(exc).__name__}: {exc})"


def _networked_redpanda():
    from testcontainers.community.kafka import RedpandaContainer

    class NetworkedRedpanda(RedpandaContainer):
        """Advertises its internal listener under the network alias, so MinIO can publish to it."""

        ALIAS = "redpanda"

        def tc_start(self) -> None:
            host, port = self.get_container_host_ip(), self.get_exposed_port(self.redpanda_port)
            script = dedent(f"""
                #!/bin/bash
                /usr/bin/rpk redpanda start --mode dev-container --smp 1 --memory 1G \
                --kafka-addr PLAINTEXT://0.0.0.0:29092,OUTSIDE://0.0.0.0:9092 \
                --advertise-kafka-addr PLAINTEXT://{self.ALIAS}:29092,OUTSIDE://{host}:{port}
                """).strip().encode()
            self.create_file(script, RedpandaContainer.TC_START_SCRIPT)

    return NetworkedRedpanda(image=REDPANDA_IMAGE)


class ContainerStack:
    def __init__(self, data_dir: Path, settings: Settings | None = None, *,
                 create_topics: Callable[[Settings], None] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.base = settings or Settings()
        self.create_topics = create_topics
        self.neo4j_password = secrets.token_hex(12)
        self._containers: list = []
        self.network = None

    def start(self) -> "ContainerStack":
        from testcontainers.core.network import Network

        try:
            self.network = Network().create()
            self.redpanda = self._run(_networked_redpanda(), "redpanda")
            if self.create_topics:
                self.create_topics(self.settings())  # bucket-events must exist before MinIO publishes
            self.minio = self._run(self._minio(), "minio")
            self._configure_bucket()
            self.neo4j = self._run(self._neo4j(), "neo4j")
        except Exception:
            self.stop()
            raise
        return self

    def _run(self, container, alias: str):
        container.with_network(self.network).with_network_aliases(alias)
        self._containers.append(container)
        container.start()
        return container

    def _minio(self):
        from testcontainers.minio import MinioContainer

        minio = MinioContainer(image=MINIO_IMAGE)
        for name, value in {"MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY": "on",
                            "MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY": "redpanda:29092",
                            "MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY": BUCKET_EVENTS}.items():
            minio.with_env(name, value)
        return minio

    def _neo4j(self):
        from testcontainers.neo4j import Neo4jContainer

        return Neo4jContainer(image=NEO4J_IMAGE, password=self.neo4j_password)

    def _configure_bucket(self) -> None:
        from core.storage import s3_client

        s3, s = s3_client(self.settings()), self.base
        s3.create_bucket(Bucket=s.audio_bucket)
        s3.put_bucket_cors(Bucket=s.audio_bucket, CORSConfiguration={"CORSRules": [{
            "AllowedOrigins": ["*"], "AllowedMethods": ["GET", "PUT", "POST", "HEAD"],
            "AllowedHeaders": ["*"]}]})
        s3.put_bucket_notification_configuration(
            Bucket=s.audio_bucket, NotificationConfiguration={"QueueConfigurations": [{
                "QueueArn": MINIO_KAFKA_ARN, "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": s.upload_prefix}]}}}]})

    def settings(self) -> Settings:
        changes = {"kafka_bootstrap": self.redpanda.get_bootstrap_server()}
        if getattr(self, "minio", None):
            cfg = self.minio.get_config()
            changes.update(s3_endpoint=f"http://{cfg['endpoint']}", s3_access_key=cfg["access_key"],
                           s3_secret_key=cfg["secret_key"])
        if getattr(self, "neo4j", None):
            changes.update(neo4j_uri=self.neo4j.get_connection_url(), neo4j_user="neo4j",
                           neo4j_password=self.neo4j_password)
        return self.base.with_(**changes)

    def stop(self) -> None:
        for container in reversed(self._containers):
            try:
                container.stop()
            except Exception as exc:  # keep stopping the others
                print(f"[containers] stopping {type(container).__name__} failed: {exc}")
        self._containers.clear()
        if self.network is not None:
            self.network.remove()
            self.network = None

    def __enter__(self) -> "ContainerStack":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
