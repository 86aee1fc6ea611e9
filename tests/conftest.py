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

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

from aurasense.client import GatewayClient  # noqa: E402
from aurasense.settings import Settings  # noqa: E402
from aurasense.storage import s3_client  # noqa: E402
from aurasense.worker_process import WorkerProcess  # noqa: E402
from stack.containers import ContainerStack, docker_available  # noqa: E402
from stack.local import LocalStack  # noqa: E402
from stack.processes import free_port  # noqa: E402
from streams.admin import ensure_topics_sync  # noqa: E402

# Small enough that the "too large" test uploads little; the default is 10 MB.
TEST_MAX_UPLOAD_BYTES = 2_000_000


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
                    max_upload_bytes=TEST_MAX_UPLOAD_BYTES, max_audio_seconds=30.0)
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
    from agents.providers.tts import make_tts

    tts, cache = make_tts(settings), {}

    def _say(text: str) -> bytes:
        if text not in cache:
            cache[text] = asyncio.run(tts.synthesize(text))
        return cache[text]
    return _say


# --- a graph of its own for the agent, memory and auth tests (one per test module) ---------

@pytest.fixture(scope="module")
def falkor_socket(tmp_path_factory):
    from stack.falkordb import FalkorDBServer

    server = FalkorDBServer(tmp_path_factory.mktemp("falkor"))
    server.start()
    yield str(server.socket)
    server.stop()


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def run(loop):
    return loop.run_until_complete


@pytest.fixture(scope="module")
def ctx(falkor_socket, loop):
    """The agents' context (catalogue loaded, memory) on this module's own graph."""
    from agents.base import build_context, close_context

    context = loop.run_until_complete(build_context(Settings(falkordb_socket=falkor_socket)))
    yield context
    loop.run_until_complete(close_context(context))
