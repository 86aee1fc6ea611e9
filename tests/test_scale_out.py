"""Two workers in one consumer group share the partitions; killing one moves its partitions and
its table slice to the other, and its in-flight sessions still complete. Any gateway answers for
any session.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from aurasense.client import GatewayClient
from aurasense.worker_process import WorkerProcess
from stack.processes import free_port
from tests.pipeline_helpers import new_user, reply_objects

SENTENCES = ("Where should I stay in Paris?", "What can I eat for dinner in London?",
             "Find me a hotel in Mumbai.", "Recommend a vegetarian dish in New York.",
             "Where should I stay in London?", "I'm hungry, what's good for lunch in Paris?")


@pytest.fixture
def second_worker(worker, settings):
    other = settings.with_(gateway_port=free_port())
    proc = WorkerProcess(other, Path(settings.data_dir) / "logs" / "worker-2.log", name="worker-2")
    proc.start()
    yield proc
    proc.stop()
    GatewayClient(worker.gateway_url).wait_ready(timeout=120)  # the survivor takes all back


def _assigned(url: str) -> list[int]:
    """The session partitions a worker processes (its /healthz says)."""
    try:
        return httpx.get(f"{url}/healthz", timeout=5).json().get("session_partitions", [])
    except httpx.HTTPError:
        return []


def _wait_shared(urls: list[str], total: int, timeout: float = 120) -> dict[str, list[int]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = {u: _assigned(u) for u in urls}
        if all(counts.values()) and sorted(sum(counts.values(), [])) == list(range(total)):
            return counts
        time.sleep(0.3)
    raise AssertionError(f"partitions not shared within {timeout}s: {counts} (want {total} in all)")


def test_two_workers_share_partitions_and_survive_a_kill(worker, second_worker, settings, s3, say):
    urls = [worker.gateway_url, second_worker.gateway_url]
    shares = _wait_shared(urls, settings.topic_partitions)
    assert sorted(len(p) for p in shares.values()) == [2, 2]
    first, second = GatewayClient(urls[0]), GatewayClient(urls[1])
    for c in (first, second):
        c.wait_ready()

    user = new_user()
    onboard = first.create_upload(user)
    first.put(onboard, say("Hi, I'm new. My name is Kim and I live in Paris."))
    first.wait_done(onboard.session_id)
    sessions = []
    for text in SENTENCES:
        upload = first.create_upload(user)
        first.put(upload, say(text))
        sessions.append(upload.session_id)
    # Any gateway answers for any session, whichever worker holds it.
    for sid in sessions[:2]:
        assert first.wait_done(sid)["status"] == second.wait_done(sid)["status"] == "completed"

    second_worker.kill()
    first.wait_ready(timeout=120)
    done = {sid: first.wait_done(sid, timeout=180) for sid in sessions}
    assert all(s["status"] == "completed" for s in done.values()), done
    assert _assigned(urls[0]) == list(range(settings.topic_partitions))
    assert len(reply_objects(s3, settings, user)) == len(sessions) + 1
