"""One frozen settings object, read once at the edge (CLI, worker entry point).

Stages, providers and the gateway take a ``Settings`` instance; none of them
reads the environment themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping


_ENV_NAMES = {"neo4j_uri": "NEO4J_URI", "neo4j_user": "NEO4J_USER",
              "neo4j_password": "NEO4J_PASSWORD", "groq_api_key": "GROQ_API_KEY",
              "cleanup_audio_files_hours": "CLEANUP_AUDIO_FILES_HOURS"}


def _env_name(field_name: str) -> str:
    return _ENV_NAMES.get(field_name, f"AURASENSE_{field_name.upper()}")


_PARSERS = {"int": int, "float": float, "Path": Path, "str": str}


@dataclass(frozen=True)
class Settings:
    # --- message log -------------------------------------------------------
    kafka_bootstrap: str = "127.0.0.1:9092"
    topic_partitions: int = 4
    topic_replication: int = 1  # 3 on the 3-node cluster (min ISR 2)
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
    cleanup_audio_files_hours: int = 24  # bucket lifecycle: audio expires after this (rounded up to days)

    # --- graph -------------------------------------------------------------
    falkordb_host: str = "127.0.0.1"
    falkordb_port: int = 6379
    falkordb_socket: str = ""  # unix socket of the embedded FalkorDB, preferred when set
    local_graph: str = "falkordb"  # what a local stack (`make run`) starts: "falkordb" or "neo4j"
    neo4j_uri: str = ""
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""

    # --- providers ---------------------------------------------------------
    groq_api_key: str = ""
    groq_base_url: str = ""  # empty: the SDK's default
    groq_timeout_s: float = 20.0
    groq_max_retries: int = 2
    groq_max_backoff_s: float = 4.0
    stt_model: str = "base"  # "base", "tiny.en", or a path to CTranslate2 Whisper weights
    stt_threads: int = 2
    stt_parallel: int = 2  # Whisper inferences at once, each on stt_threads cores (bench/speech_throughput.py)
    stt_prompt: str = "domain"  # Whisper's initial prompt: "domain" (cities, dishes), "none", or the text
    stt_fallback: str = "offline"  # with Groq: fall back to the offline model on errors ("none": don't)
    stt_fallback_warm: str = ""  # "true": load the offline fallback model at start too
    tts_engine: str = "piper"  # "piper", "hibari" or "espeak-ng"
    espeak_voice: str = "en-us"
    neo4j_database: str = ""
    voice_token_ttl_s: int = 24 * 3600  # tokens issued by voice sign-in
    max_audio_seconds: float = 60.0

    # --- processing --------------------------------------------------------
    stage_attempts: int = 3
    retry_backoff_s: float = 0.2
    # A session whose event was committed but not processed for this long has it sent again
    # (streams/sweeper.py).
    lost_event_grace_s: float = 10.0
    chaos_drop: str = ""  # drills: "respond:1" loses the first event respond would process

    # --- gateway -----------------------------------------------------------
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    gateway_header_timeout_s: float = 10.0  # a request whose headers take longer is dropped
    token_secret: str = ""  # HMAC key of user tokens; the same on every worker
    webhook_secret: str = ""  # HMAC key of bucket webhooks (X-Aurasense-Signature); defaults to token_secret
    token_ttl_s: int = 30 * 24 * 3600
    cors_origins: str = "*"  # comma-separated
    guest_access: int = 1  # 1: the seed's client works without a token (guest ids, unguessable sessions)
    operator_token: str = ""  # bearer/Basic password of GET /ops (the operator page); empty: /ops is off
    web_port: int = 6066  # Faust's own web server (table routing between workers)

    # --- webhooks to clients (streams/webhooks/) -------------------------------
    webhook_allowed_hosts: str = ""  # comma-separated: names, addresses, *.example.com, or *; empty: none
    webhook_allowed_networks: str = ""  # CIDRs of non-public addresses allowed anyway (127.0.0.0/8)
    webhook_signing_key: str = ""  # derives each registration's secret; defaults to token_secret
    webhook_attempts: int = 6  # POSTs per delivery before it is given up
    webhook_backoff_s: float = 1.0  # the wait after the first failed POST, doubling each time
    webhook_max_backoff_s: float = 60.0
    webhook_timeout_s: float = 10.0  # per POST

    # --- MCP (agents/providers/mcp_config.py, aurasense/mcp_server.py) ----------
    # External MCP servers the food and travel agents ask first: "name=URL-or-command,..." or JSON
    # ({"places": "http://host/mcp"} or a list of {"name", "url"|"command"}); empty: catalogue only.
    mcp_servers: str = ""
    mcp_timeout_s: float = 2.0  # per external server call (a kept connection); then the catalogue
    mcp_port: int = 8765  # `aurasense mcp --transport http`

    data_dir: Path = field(default_factory=lambda: Path(".aurasense"))

    @property
    def presign_endpoint(self) -> str:
        return self.s3_public_endpoint or self.s3_endpoint

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Build settings from ``AURASENSE_<FIELD>`` variables (and GROQ_API_KEY, NEO4J_*)."""
        environ = os.environ if environ is None else environ
        changes = {}
        for f in fields(cls):
            raw = environ.get(_env_name(f.name))
            if raw is not None:
                changes[f.name] = _PARSERS.get(f.type, str)(raw)
        return cls(**changes)

    def to_env(self) -> dict[str, str]:
        """The environment that makes ``from_env`` rebuild these settings in a child process."""
        return {_env_name(f.name): str(getattr(self, f.name)) for f in fields(self)}

    def __repr__(self) -> str:  # never print secrets
        hidden = {"s3_secret_key", "groq_api_key", "neo4j_password", "token_secret", "webhook_secret",
                  "operator_token", "webhook_signing_key"}
        parts = [
            f"{k}={'***' if k in hidden and v else v!r}"
            for k, v in self.__dict__.items()
        ]
        return f"Settings({', '.join(parts)})"
