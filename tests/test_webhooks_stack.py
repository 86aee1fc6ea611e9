"""Webhooks through the real worker (broker, bucket, graph, agents): registered with a session or
for a user, POSTed when the session completes or fails, retried after the receiver fails, signed;
refused for inside addresses; never for another user's session; committed only once delivered, and
delivered by another worker when the one that accepted the session dies."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import orjson
import pytest
from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.partitioner import DefaultPartitioner

from aurasense.client import GatewayClient
from aurasense.ops.lag import committed_offsets
from aurasense.worker_process import WorkerProcess
from schemas.topics import SESSION_STATUS_TABLE, WEBHOOK_DELIVERIES, changelog_topic
from stack.processes import free_port
from streams.topic_reader import read_topic_sync
from streams.webhooks.signing import SIGNATURE_HEADER, verify
from tests.pipeline_helpers import events_for

pytestmark = pytest.mark.stack


class Receiver:
    """A webhook receiver on loopback: records every call; a path under ``/fail-once/`` answers 500
    to its first call, one under ``/held/`` 503 until ``release(path)``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict, bytes, int]] = []
        self.released: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                first = not any(path == self.path for path, *_ in receiver.calls)
                code = 500 if self.path.startswith("/fail-once/") and first else 200
                if self.path.startswith("/held/") and self.path not in receiver.released:
                    code = 503
                receiver.calls.append((self.path, dict(self.headers), body, code))
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def release(self, path: str) -> None:
        self.released.add(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def wait_calls(self, path: str, n: int, timeout: float = 60.0) -> list[tuple[dict, bytes, int]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = [(h, b, c) for p, h, b, c in list(self.calls) if p == path]
            if len(got) >= n:
                return got
            time.sleep(0.05)
        raise AssertionError(f"{path}: {len(got)} calls within {timeout}s, wanted {n}")


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def registered(worker) -> tuple[GatewayClient, str]:
    client = GatewayClient(worker.gateway_url)
    return client, client.register()


def say_typed(client: GatewayClient, text: str, **extra) -> httpx.Response:
    return client.http.post("/v1/utterances", json={"text": text, **extra})


def wait_state(client: GatewayClient, session_id: str, wanted: str | set[str], timeout: float = 60.0) -> dict:
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            last = client.http.get(f"/v1/sessions/{session_id}/webhook").json()
        except httpx.HTTPError as exc:  # a worker was killed: its peers may not answer for a while
            last = {"error": str(exc)}
        if last.get("state") in ({wanted} if isinstance(wanted, str) else wanted):
            return last
        time.sleep(0.1)
    raise AssertionError(f"webhook of {session_id} not {wanted} within {timeout}s: {last}")


def test_a_webhook_is_retried_after_the_receiver_fails_and_its_signature_verifies(worker, settings, receiver):
    client, user = registered(worker)
    path = f"/fail-once/{uuid.uuid4().hex}"
    try:
        r = say_typed(client, "Where should I stay in London?", webhook_url=receiver.url(path))
        assert r.status_code == 202, r.text
        hook, session_id = r.json()["webhook"], r.json()["session_id"]
        assert hook["scope"] == "session" and hook["url"] == receiver.url(path)
        done = client.wait_done(session_id, timeout=120)
        assert done["status"] == "completed"
        (h1, b1, c1), (h2, b2, c2) = receiver.wait_calls(path, 2)
        state = wait_state(client, session_id, "delivered")
        anonymous = httpx.get(f"{worker.gateway_url}/v1/sessions/{session_id}/webhook", timeout=30)
    finally:
        client.close()
    assert (c1, c2) == (500, 200)
    for headers, body in ((h1, b1), (h2, b2)):
        assert verify(hook["secret"], headers[SIGNATURE_HEADER], body)
        assert not verify(hook["secret"], headers[SIGNATURE_HEADER], body.replace(b"London", b"Paris"))
    assert h1["Aurasense-Delivery"] == h2["Aurasense-Delivery"] == f"{session_id}:1"
    sent = orjson.loads(b2)
    assert sent["type"] == "session.completed" and h2["Aurasense-Event"] == "session.completed"
    assert sent["session"]["session_id"] == session_id and sent["session"]["user_id"] == user
    assert sent["session"]["response_text"] == done["response_text"]
    assert state["tries"] == 2 and state["response_status"] == 200 and state["last_error"] == ""
    assert state["registration"]["registration_id"] == hook["registration_id"]
    assert "secret" not in state["registration"]
    # Every state change is on the log, where any worker reads it.
    states = [(d["state"], d["tries"]) for d in events_for(settings, WEBHOOK_DELIVERIES, session_id)]
    assert states == [("pending", 0), ("retrying", 1), ("delivered", 2)]
    assert anonymous.status_code == 401  # a registered user's session


def test_a_users_webhook_hears_a_failed_session_until_it_is_removed(worker, receiver):
    client, user = registered(worker)
    path = f"/user/{uuid.uuid4().hex}"
    try:
        put = client.http.put("/v1/users/me/webhook", json={"url": receiver.url(path)})
        assert put.status_code == 201, put.text
        assert client.http.get("/v1/users/me/webhook").json()["url"] == receiver.url(path)
        upload = client.create_upload(user)
        client.put(upload, b"")  # an empty file: the session fails
        failed = client.wait_done(upload.session_id, timeout=120)
        [(headers, body, _)] = receiver.wait_calls(path, 1)
        wait_state(client, upload.session_id, "delivered")
        assert client.http.delete("/v1/users/me/webhook").status_code == 204
        assert client.http.get("/v1/users/me/webhook").status_code == 404
        after = client.create_upload(user)
        client.put(after, b"")
        client.wait_done(after.session_id, timeout=120)
        none = client.http.get(f"/v1/sessions/{after.session_id}/webhook").json()
        no_token = httpx.put(f"{worker.gateway_url}/v1/users/me/webhook", json={"url": receiver.url(path)})
    finally:
        client.close()
    assert failed["status"] == "failed" and "empty" in failed["error_message"]
    assert verify(put.json()["secret"], headers[SIGNATURE_HEADER], body)
    sent = orjson.loads(body)
    assert sent["type"] == "session.failed" and sent["session"]["error_message"] == failed["error_message"]
    assert none["state"] == "none" and none["registration"] is None
    assert [p for p, *_ in receiver.calls].count(path) == 1
    assert no_token.status_code == 401


@pytest.mark.parametrize("url, reason", [
    ("http://169.254.169.254/latest/meta-data/", "link-local"),  # allowed host, metadata address
    ("http://10.0.0.5/hook", "not in AURASENSE_WEBHOOK_ALLOWED_HOSTS"),
    ("file:///etc/passwd", "http(s) URL"),
])
def test_a_webhook_to_an_inside_address_is_refused(worker, url, reason):
    client, user = registered(worker)
    session_id = f"ssrf-{uuid.uuid4().hex[:12]}"
    try:
        upload = client.http.post("/v1/uploads", json={"user_id": user, "session_id": session_id,
                                                       "webhook_url": url})
        typed = say_typed(client, "Where should I stay in Paris?", session_id=session_id,
                          webhook_url=url)
        put = client.http.put("/v1/users/me/webhook", json={"url": url})
        mine = client.http.get("/v1/users/me/webhook")
        session = client.status(session_id)
    finally:
        client.close()
    for refused in (upload, typed, put):
        assert refused.status_code == 400 and reason in refused.json()["error"], refused.text
        assert refused.json()["error"].startswith("webhook url refused: ")
    assert mine.status_code == 404 and session is None  # nothing registered, no session started


def test_another_users_session_cannot_be_hooked(worker, receiver):
    alice, alice_id = registered(worker)
    bob, bob_id = registered(worker)
    alice_path, bob_path = f"/alice/{uuid.uuid4().hex}", f"/bob/{uuid.uuid4().hex}"
    try:
        assert bob.http.put("/v1/users/me/webhook", json={"url": receiver.url(bob_path)}).status_code == 201
        r = say_typed(alice, "Where should I stay in Lagos?", webhook_url=receiver.url(alice_path))
        session_id = r.json()["session_id"]
        again = say_typed(bob, "Where should I stay in Lagos?", session_id=session_id,
                          webhook_url=receiver.url(bob_path))
        upload = bob.http.post("/v1/uploads", json={"session_id": session_id,
                                                    "webhook_url": receiver.url(bob_path)})
        as_alice = bob.http.post("/v1/uploads", json={"user_id": alice_id,
                                                      "webhook_url": receiver.url(bob_path)})
        alice.wait_done(session_id, timeout=120)
        receiver.wait_calls(alice_path, 1)
        wait_state(alice, session_id, "delivered")
        peek = bob.http.get(f"/v1/sessions/{session_id}/webhook")
    finally:
        alice.close()
        bob.close()
    assert again.status_code == 409 and upload.status_code == 409 and as_alice.status_code == 403
    assert peek.status_code == 404
    to_bob = [orjson.loads(b)["session"]["session_id"] for p, _, b, _ in receiver.calls if p == bob_path]
    assert session_id not in to_bob


def finished_at(settings, session_id: str) -> tuple[TopicPartition, int]:
    """Where the session's first ``completed`` status is in the session-status changelog."""
    changelog = changelog_topic(settings.app_id, SESSION_STATUS_TABLE)
    found = [(r.partition, r.offset) for r in read_topic_sync(settings.kafka_bootstrap, changelog)
             if r.value and orjson.loads(r.value).get("session_id") == session_id
             and orjson.loads(r.value).get("status") == "completed"]
    partition, offset = min(found)
    return TopicPartition(changelog, partition), offset


def webhooks_committed(settings, tp: TopicPartition) -> int:
    group = f"{settings.app_id}-webhooks"
    return asyncio.run(committed_offsets(settings.kafka_bootstrap, group, [tp]))[tp] or 0


def test_the_deliverer_commits_past_a_session_only_once_its_delivery_is_done(worker, settings, receiver):
    client, _ = registered(worker)
    path = f"/held/{uuid.uuid4().hex}"
    try:
        r = say_typed(client, "Do people tip in Paris?", webhook_url=receiver.url(path))
        session_id = r.json()["session_id"]
        client.wait_done(session_id, timeout=120)
        retrying = wait_state(client, session_id, "retrying")
        tp, offset = finished_at(settings, session_id)
        while_retrying = webhooks_committed(settings, tp)
        receiver.release(path)
        delivered = wait_state(client, session_id, "delivered")
        deadline = time.monotonic() + 30
        while webhooks_committed(settings, tp) <= offset and time.monotonic() < deadline:
            time.sleep(0.2)
        after = webhooks_committed(settings, tp)
    finally:
        client.close()
    assert retrying["last_error"] == "HTTP 503" and retrying["next_try_at"] > 0
    assert while_retrying <= offset < after  # at least once: committed only after delivery
    assert delivered["tries"] >= 2


def one_session_id_per_partition(partitions: int) -> list[str]:
    """Session ids whose records land on partitions 0..N-1 (the producers' default partitioner),
    so that every deliverer of the group holds one of them."""
    partitioner, found = DefaultPartitioner(), {}
    while len(found) < partitions:
        sid = f"hook-{uuid.uuid4().hex[:12]}"
        found.setdefault(partitioner(sid.encode(), list(range(partitions)), list(range(partitions))), sid)
    return [found[p] for p in range(partitions)]


def wait_webhook_group(settings, members: int, timeout: float = 60.0) -> None:
    async def described() -> dict:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
        await admin.start()
        try:
            [response] = await admin.describe_consumer_groups([f"{settings.app_id}-webhooks"])
            return response.to_object()["groups"][0]
        finally:
            await admin.close()
    deadline, group = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        group = asyncio.run(described())
        if group["state"] == "Stable" and len(group["members"]) == members:
            return
        time.sleep(0.5)
    raise AssertionError(f"the webhooks group did not settle with {members} members: {group}")


def test_a_delivery_survives_the_worker_that_accepted_the_session(worker, settings, receiver):
    """Sessions accepted by a second worker, which is SIGKILLed while it is retrying their callbacks
    (the receiver answers 503): the worker left delivers them, from the registrations on the log."""
    # The second worker retries for long, so that what it holds is still retrying when it dies.
    other = WorkerProcess(settings.with_(gateway_port=free_port(), webhook_attempts=200,
                                         webhook_max_backoff_s=1.0),
                          Path(settings.data_dir) / "logs" / "worker-webhooks.log", name="worker-webhooks")
    other.start()
    accepting, left = GatewayClient(other.gateway_url), GatewayClient(worker.gateway_url)
    sessions = {sid: f"/held/{uuid.uuid4().hex}" for sid in one_session_id_per_partition(settings.topic_partitions)}
    try:
        accepting.wait_ready(timeout=180)
        wait_webhook_group(settings, 2)
        accepting.register()
        left.http.headers["Authorization"] = accepting.http.headers["Authorization"]
        secrets = {}
        for sid, path in sessions.items():
            r = say_typed(accepting, "Where should I stay in Mumbai?", session_id=sid,
                          webhook_url=receiver.url(path))
            assert r.status_code == 202, r.text
            secrets[sid] = r.json()["webhook"]["secret"]
        # Each is tried by the deliverer holding its partition (the session worker's gives up soon).
        trying = {sid: wait_state(accepting, sid, {"retrying", "gave_up"}, timeout=120) for sid in sessions}
        held = [sid for sid, state in trying.items() if state["deliverer"] == other.gateway_url]
        other.kill()
        for path in sessions.values():
            receiver.release(path)
        delivered = {sid: wait_state(left, sid, "delivered", timeout=120) for sid in held}
        calls = {sid: receiver.wait_calls(sessions[sid], 2) for sid in held}
    finally:
        accepting.close()
        other.stop()
        left.wait_ready(timeout=120)  # the session worker holds every partition again
        left.close()
    assert held, f"the second worker delivered none of {trying}"
    for sid in held:
        assert delivered[sid]["deliverer"] == worker.gateway_url and delivered[sid]["response_status"] == 200
        headers, body, code = calls[sid][-1]
        assert code == 200 and verify(secrets[sid], headers[SIGNATURE_HEADER], body)
        assert orjson.loads(body)["session"]["session_id"] == sid
