"""The Faust app, and nothing else: which broker, which store, which settings."""

from __future__ import annotations

import faust

from aurasense.settings import Settings
from streams import codec, tansu_adapter


def broker_url(settings: Settings) -> str:
    """``tansu://`` selects streams/tansu_adapter.py; Kafka and Redpanda use ``kafka-safe://``
    (streams/faust_fixes.py). Both are Faust's aiokafka transport with the fixes applied."""
    scheme = "tansu" if settings.broker_flavor == "tansu" else "kafka-safe"
    return f"{scheme}://{settings.kafka_bootstrap}"


def create_app(settings: Settings) -> faust.App:
    codec.register()
    datadir = settings.data_dir / "faust"
    datadir.mkdir(parents=True, exist_ok=True)
    quirks = tansu_adapter.app_settings() if settings.broker_flavor == "tansu" else {}
    return faust.App(
        settings.app_id,
        broker=broker_url(settings),
        store="memory://",  # tables are rebuilt from their changelog topics on start
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=1,
        topic_allow_declare=False,  # streams/admin.py creates every topic explicitly
        consumer_auto_offset_reset="earliest",
        key_serializer="orjson",  # tables; stage topics are raw bytes (streams/pipeline.py)
        value_serializer="orjson",
        producer_acks=-1,
        producer_linger_ms=0,
        producer_request_timeout=30.0,  # Faust's default (20 min) would park a stage that long
        broker_commit_interval=1.0,
        web_enabled=False,
        # Advertised to the other workers through the partition assignor: the gateway that
        # answers for this worker's partitions (streams/owners.py).
        canonical_url=f"http://{settings.gateway_host}:{settings.gateway_port}",
        datadir=str(datadir),
        **quirks,
    )
