"""One frozen settings object, read once at the edge (CLI, worker entry point).

Stages, providers and the gateway take a ``Settings`` instance; none of them
reads the environment themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    # --- message log -------------------------------------------------------
    kafka_bootstrap: str = "127.0.0.1:9092"
    # "tansu" turns on streams/tansu_adapter.py; "kafka" (Kafka, Redpanda) leaves Faust as it is.
    broker_flavor: str = "kafka"
    topic_partitions: int = 4
    app_id: str = "aurasense"

    # --- object store (S3 API) -----------------------------------------------
    s3_endpoint: str = "http://127.0.0.1:8333"
    # The address clients (browsers, `make run`) use for presigned URLs; defaults to s3_endpoint.
    s3_public_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_access_key: str = ""
    s3_secret_key: str = ""
    audio_bucket: str = "audio"
    upload_prefix: str = "uploads/"
    reply_prefix: str = "replies/"
    max_upload_bytes: int = 10 * 1024 * 1024
    presign_expiry_s: int = 900
    reply_url_expiry_s: int = 24 * 3600

    # --- graph -------------------------------------------------------------
    falkordb_host: str = "127.0.0.1"
    falkordb_port: int = 6379
    falkordb_socket: str = ""  # unix socket of the embedded FalkorDB, preferred when set
    neo4j_uri: str = ""
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""

    # --- providers ---------------------------------------------------------
    groq_api_key: str = ""
    stt_model: str = "base"  # "base", "tiny.en", or a path to CTranslate2 Whisper weights
    stt_threads: int = 2
    max_audio_seconds: float = 60.0

    # --- processing --------------------------------------------------------
    stage_attempts: int = 3
    retry_backoff_s: float = 0.2

    # --- gateway -----------------------------------------------------------
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    web_port: int = 6066  # Faust's own web server (table routing between workers)

    data_dir: Path = field(default_factory=lambda: Path(".aurasense"))

    @property
    def presign_endpoint(self) -> str:
        return self.s3_public_endpoint or self.s3_endpoint

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls) -> "Settings":
        """Build settings from ``AURASENSE_*`` variables (and the conventional GROQ/NEO4J ones)."""
        d = cls()
        return cls(
            kafka_bootstrap=_env("AURASENSE_KAFKA_BOOTSTRAP", d.kafka_bootstrap),
            broker_flavor=_env("AURASENSE_BROKER_FLAVOR", d.broker_flavor),
            topic_partitions=_env_int("AURASENSE_TOPIC_PARTITIONS", d.topic_partitions),
            app_id=_env("AURASENSE_APP_ID", d.app_id),
            s3_endpoint=_env("AURASENSE_S3_ENDPOINT", d.s3_endpoint),
            s3_public_endpoint=_env("AURASENSE_S3_PUBLIC_ENDPOINT", d.s3_public_endpoint),
            s3_region=_env("AURASENSE_S3_REGION", d.s3_region),
            s3_access_key=_env("AURASENSE_S3_ACCESS_KEY", d.s3_access_key),
            s3_secret_key=_env("AURASENSE_S3_SECRET_KEY", d.s3_secret_key),
            audio_bucket=_env("AURASENSE_AUDIO_BUCKET", d.audio_bucket),
            max_upload_bytes=_env_int("AURASENSE_MAX_UPLOAD_BYTES", d.max_upload_bytes),
            falkordb_host=_env("AURASENSE_FALKORDB_HOST", d.falkordb_host),
            falkordb_port=_env_int("AURASENSE_FALKORDB_PORT", d.falkordb_port),
            falkordb_socket=_env("AURASENSE_FALKORDB_SOCKET", d.falkordb_socket),
            neo4j_uri=_env("NEO4J_URI", d.neo4j_uri),
            neo4j_user=_env("NEO4J_USER", d.neo4j_user),
            neo4j_password=_env("NEO4J_PASSWORD", d.neo4j_password),
            groq_api_key=_env("GROQ_API_KEY", d.groq_api_key),
            stt_model=_env("AURASENSE_STT_MODEL", d.stt_model),
            stt_threads=_env_int("AURASENSE_STT_THREADS", d.stt_threads),
            max_audio_seconds=float(_env("AURASENSE_MAX_AUDIO_SECONDS", str(d.max_audio_seconds))),
            gateway_host=_env("AURASENSE_GATEWAY_HOST", d.gateway_host),
            gateway_port=_env_int("AURASENSE_GATEWAY_PORT", d.gateway_port),
            web_port=_env_int("AURASENSE_WEB_PORT", d.web_port),
            data_dir=Path(_env("AURASENSE_DATA_DIR", str(d.data_dir))),
        )

    def __repr__(self) -> str:  # never print secrets
        hidden = {"s3_secret_key", "groq_api_key", "neo4j_password"}
        parts = [
            f"{k}={'***' if k in hidden and v else v!r}"
            for k, v in self.__dict__.items()
        ]
        return f"Settings({', '.join(parts)})"
