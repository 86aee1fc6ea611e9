"""One stack and one worker for the whole test session (real broker, S3 server, graph).

Where a Docker engine answers, the stack is Redpanda + MinIO (bucket notifications to Kafka) +
Neo4j in containers (stack/containers.py); otherwise the local processes (stack/local.py).
``AURASENSE_TEST_STACK=local|containers`` forces one. Free ports everywhere, so a second session
(or `make run`) can run beside it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# `make check` (the fast tier, under a minute) runs the property and fuzz tests with fewer
# examples (`--hypothesis-profile=check`); `make test` with Hypothesis's default (100).
hypothesis_settings.register_profile("check", max_examples=20)

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

from aurasense.client import GatewayClient  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.storage import s3_client  # noqa: E402
from aurasense.worker_process import WorkerProcess  # noqa: E402
from stack.containers import ContainerStack, docker_available  # noqa: E402
from stack.local import LocalStack  # noqa: E402
from stack.processes import free_port  # noqa: E402
from streams.admin import ensure_topics_sync  # noqa: E402

# Every graph test runs on FalkorDB and on Neo4j (ctx, graph_settings, neo4j_server, ...).
pytest_plugins = ["tests.graph_backends"]

# Small enough that the "too large" test uploads little; the default is 10 MB.
TEST_MAX_UPLOAD_BYTES = 2_000_000
# Webhook receivers in the tests listen on loopback; 169.254.169.254 is allowed as a host only so
# that the address check (link-local) is what refuses it (tests/test_webhooks_stack.py).
WEBHOOK_TEST_SETTINGS = dict(webhook_allowed_hosts="127.0.0.1,169.254.169.254",
                             webhook_allowed_networks="127.0.0.0/8", webhook_backoff_s=1.0,
                             webhook_attempts=5, webhook_timeout_s=5.0)


def pytest_configure(config):
    import onnxruntime

    # Why: piper draws noise; unseeded, each run speaks a slightly different take and Whisper
    # may hear a name differently.  The suite tests behaviour, not luck: the same takes every
    # run (how well takes are heard is bench/stt_wer.py's job, over several seeds).
    onnxruntime.set_seed(7)


@pytest.fixture(scope="session")
def pipeline_stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipeline")
    base = Settings(data_dir=root, gateway_port=free_port(), token_secret=secrets.token_hex(16),
                    max_upload_bytes=TEST_MAX_UPLOAD_BYTES, max_audio_seconds=30.0,
                    gateway_header_timeout_s=3.0, operator_token=secrets.token_hex(16),
                    **WEBHOOK_TEST_SETTINGS)
    with _stack_class()(root / "stack", base, create_topics=ensure_topics_sync) as stack:
        yield stack


def _stack_class():
    wanted = os.environ.get("AURASENSE_TEST_STACK", "auto")
    if wanted == "containers" or (wanted == "auto" and docker_available()[0]):
        return ContainerStack
    return LocalStack


@pytest.fixture(scope="session")
def settings(pipeline_stack) -> Settings:
    return pipeline_stack.settings()


@pytest.fixture(scope="session")
def worker(settings, pipeline_stack):
    proc = WorkerProcess(settings, Path(settings.data_dir) / "logs" / "worker.log")
    proc.start()
    GatewayClient(proc.gateway_url).wait_ready()
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def neo4j_pipeline(tmp_path_factory, neo4j_server):
    """A second whole pipeline (stack + worker) whose graph is the session's Neo4j: (client, settings)."""
    from tests.graph_backends import wipe_neo4j

    root = tmp_path_factory.mktemp("pipeline-neo4j")
    base = Settings(data_dir=root, gateway_port=free_port(), token_secret=secrets.token_hex(16),
                    **neo4j_server.settings_fields())
    asyncio.run(wipe_neo4j(base))
    with LocalStack(root / "stack", base, create_topics=ensure_topics_sync) as stack:
        settings = stack.settings()
        proc = WorkerProcess(settings, root / "logs" / "worker.log")
        proc.start()
        c = GatewayClient(proc.gateway_url)
        c.wait_ready()
        yield c, settings
        c.close()
        proc.stop()


@pytest.fixture(scope="session")
def client(worker):
    c = GatewayClient(worker.gateway_url)
    yield c
    c.close()


@pytest.fixture(scope="session")
def s3(settings):
    return s3_client(settings)


@pytest.fixture(scope="session")
def say(settings):
    """``say(text) -> WAV bytes``, spoken by piper (loaded once)."""
    from speech.tts import make_tts

    tts, cache = make_tts(settings), {}

    def _say(text: str) -> bytes:
        if text not in cache:
            cache[text] = asyncio.run(tts.synthesize(text))
        return cache[text]
    return _say


# --- a graph of its own for the agent, memory and auth tests: tests/graph_backends.py -------

@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def run(loop):
    return loop.run_until_complete


# --- the fast tier: `make check` runs what needs no stack (-m "not stack") --------------------

# Fixtures that start real processes (broker, S3 server, graphs, workers) or load the models.
STACK_FIXTURES = {"pipeline_stack", "settings", "worker", "client", "s3", "say", "stack",
                  "neo4j_server", "neo4j_settings", "neo4j_pipeline", "falkor_socket",
                  "graph_settings", "graph_backend", "ctx", "group"}
STACK_MODULES = {"test_stack_processes", "test_supervisor", "test_stack_neo4j", "test_compose",
                 "test_gateway_page"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if STACK_FIXTURES & set(item.fixturenames) or item.module.__name__.split(".")[-1] in STACK_MODULES:
            item.add_marker(pytest.mark.stack)
