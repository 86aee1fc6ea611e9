"""The Faust app, and nothing else: which broker, which store, which settings."""

from __future__ import annotations

import faust

from core.settings import Settings
from streams import codec, faust_compat  # noqa: F401  (checks the versions at import)


def broker_url(settings: Settings) -> str:
    """``kafka-safe://``: Faust's aiokafka transport with the repairs of streams/faust_compat.py."""
    return "kafka-safe://" + ";".join(settings.kafka_bootstrap.split(","))


def create_app(settings: Settings) -> faust.App:
    codec.register()
    datadir = settings.data_dir / "faust"
    datadir.mkdir(parents=True, exist_ok=True)
    return faust.App(
        settings.app_id,
        broker=broker_url(settings),
        store="memory://",  # tables are rebuilt from their changelog topics on start
        # No standby copies: a standby promoted to active at a rebalance must re-read its changelog
        # from the start (memory store), and Faust 0.15.3 on Kafka could hang in that recovery
        # (seen in the scale-out test); a new active partition recovers like a fresh start.
        table_standby_replicas=0,
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        topic_allow_declare=False,  # streams/admin.py creates every topic explicitly
        consumer_auto_offset_reset="earliest",
        key_serializer="orjson",  # tables; stage topics are raw bytes (streams/pipeline.py)
        value_serializer="orjson",
        producer_acks=-1,
        producer_linger_ms=0,
        producer_request_timeout=30.0,  # Faust's default (20 min) would park a stage that long
        broker_commit_interval=1.0,
        # A SIGKILLed worker's partitions move to the others within 10 s (Faust's default: 60 s);
        # the broker's group.min.session.timeout.ms is 6 s.
        broker_session_timeout=10.0,
        broker_heartbeat_interval=1.0,
        web_enabled=False,
        # Advertised to the other workers through the partition assignor: the gateway that
        # answers for this worker's partitions (streams/owners.py).
        canonical_url=f"http://{settings.gateway_host}:{settings.gateway_port}",
        datadir=str(datadir),
    )
