"""Through the real worker: the seed's client flow, and the native API with a token."""

from __future__ import annotations

import time

import httpx

from schemas import topics
from tests.pipeline_helpers import events_for, reply_objects


def seed_client_flow(base: str, audio: bytes, headers: dict | None = None) -> dict:
    """What the seed's browser client does, step by step (with a WAV instead of a recording)."""
    with httpx.Client(base_url=base, timeout=30, headers=headers or {}) as http:
        up = http.post("/api/audio/upload-presigned",
                       json={"file_name": "audio_1.wav", "content_type": "audio/wav"}).json()
        stored = httpx.post(up["upload_url"], data=up["fields"], files={"file": ("blob", audio)})
        assert stored.status_code in (200, 201, 204), stored.text
        processing = http.post("/api/audio/process", json={
            "audio_url": up["final_url"], "user_id": "user_123",
            "session_context": {"context": "food_ordering"}}).json()
        assert processing["status"] == "processing" and processing["session_id"] == up["session_id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = http.get(f"/api/audio/status/{up['session_id']}").json()
            if status.get("status") in ("completed", "failed"):
                return {**status, "user_id": up["user_id"]}
            time.sleep(0.1)
    raise AssertionError(f"not done: {status}")


def test_seed_client_flow_completes_once(worker, settings, s3, say):
    status = seed_client_flow(worker.gateway_url, say("I'm hungry, what can I eat for dinner?"))
    assert status["status"] == "completed", status
    assert "dinner" in status["transcription"].lower() and status["agent_used"]
    assert status["response_text"] and status["response_audio_url"] and status["completed_at"]
    # The notifier's event and the gateway's are one upload: one ingest, one reply.
    assert len(events_for(settings, topics.AUDIO_UPLOADED, status["session_id"])) == 1
    assert len(reply_objects(s3, settings, status["user_id"])) == 1


def test_process_for_a_missing_object_is_a_clear_404(worker, settings):
    with httpx.Client(base_url=worker.gateway_url, timeout=30) as http:
        up = http.post("/api/audio/upload-presigned", json={"file_name": "a.wav"}).json()
        r = http.post("/api/audio/process", json={"audio_url": up["final_url"], "user_id": "u"})
    assert r.status_code == 404 and "upload the audio first" in r.json()["error"]


def test_registered_user_sees_own_sessions_only(worker, say):
    with httpx.Client(base_url=worker.gateway_url, timeout=30) as http:
        alice, bob = (http.post("/v1/users", json={}).json() for _ in range(2))
        auth = {"Authorization": f"Bearer {alice['token']}"}
        up = http.post("/v1/uploads", json={}, headers=auth).json()
        assert httpx.put(up["put"]["url"], content=say("Where should I stay in Paris?"),
                         headers=up["put"]["headers"]).status_code == 200
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            r = http.get(up["status_url"], headers=auth)
            if r.status_code == 200 and r.json()["status"] in ("completed", "failed"):
                break
            time.sleep(0.1)
        assert r.json()["status"] == "completed" and r.json()["user_id"] == alice["user_id"]
        as_bob = http.get(up["status_url"], headers={"Authorization": f"Bearer {bob['token']}"})
        assert as_bob.status_code == 404 and http.get(up["status_url"]).status_code == 401


def read_sse(url: str, headers: dict | None = None, timeout: float = 120) -> list[tuple[str, dict]]:
    """Every (event, data) of a Server-Sent Events stream until it ends."""
    import orjson
    events, name = [], ""
    with httpx.stream("GET", url, headers=headers, timeout=timeout) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, orjson.loads(line[6:])))
    return events


def test_progress_stream_shows_each_stage_then_ends(worker, say):
    import threading
    with httpx.Client(base_url=worker.gateway_url, timeout=30) as http:
        user = http.post("/v1/users", json={}).json()
        auth = {"Authorization": f"Bearer {user['token']}"}
        up = http.post("/v1/uploads", json={}, headers=auth).json()
        httpx.put(up["put"]["url"], content=say("Where should I stay in Paris?"),
                  headers=up["put"]["headers"]).raise_for_status()
        # The stream is for the owner only; EventSource passes the token as a query parameter.
        assert http.get(up["events_url"]).status_code == 401
        got: list = []
        reader = threading.Thread(target=lambda: got.extend(
            read_sse(f"{worker.gateway_url}{up['events_url']}?access_token={user['token']}")))
        # Stream opened before the session exists would 404; wait for the first status.
        deadline = time.monotonic() + 60
        while http.get(up["status_url"], headers=auth).status_code == 404:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        reader.start()
        reader.join(120)
    stages = [d["stage"] for e, d in got if e == "status"]
    assert got[-1] == ("end", {"status": "completed"})
    assert stages[-1] == "respond" and stages == sorted(set(stages), key=stages.index)
    assert got[-2][1]["transcription"]


def test_gateway_client_with_a_registered_user(worker, say):
    from aurasense.client import GatewayClient
    client = GatewayClient(worker.gateway_url)
    try:
        user = client.register()
        upload = client.create_upload(user)
        client.post_form(upload, say("Where should I stay in London?"))
        done = client.wait_done(upload.session_id)
        assert done["status"] == "completed" and done["user_id"] == user
        anonymous = httpx.get(f"{worker.gateway_url}/v1/sessions/{upload.session_id}")
        assert anonymous.status_code == 401  # a registered user's session needs the token
    finally:
        client.close()


def test_an_issued_session_is_pending_everywhere_before_its_audio_arrives(worker, client, settings):
    upload = client.create_upload("u-pending")
    assert client.status(upload.session_id)["status"] == "pending"  # at once, no 404
    issued = events_for(settings, topics.SESSION_ISSUED, upload.session_id)
    assert [e["key"] for e in issued] == [upload.key]  # on the log, for every gateway's table


def test_half_sent_headers_do_not_hold_a_connection_open(worker, settings):
    import socket

    limit = settings.gateway_header_timeout_s
    with socket.create_connection((settings.gateway_host, settings.gateway_port),
                                  timeout=limit + 15) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: aurasense\r\n")  # and never the blank line
        assert conn.recv(1) == b""  # closed by the server (a hang would raise socket.timeout)
    with httpx.Client(base_url=worker.gateway_url, timeout=10) as http:  # and it still serves
        assert http.get("/healthz").status_code == 200


def test_a_sessions_partition_is_known_without_any_producer_metadata(settings):
    """A worker that never sent to a session topic has no Kafka metadata for it; the gateway still
    finds the session's partition, the one the producer puts its events on."""
    import asyncio
    import uuid
    from types import SimpleNamespace

    from aurasense.ops.log import publish
    from streams.admin import create_topic
    from streams.owners import session_partition

    probe = f"probe-partitions-{uuid.uuid4().hex[:6]}"
    asyncio.run(create_topic(settings, probe))  # the session topics' partition count
    sessions = [str(uuid.uuid4()) for _ in range(12)]
    sent = asyncio.run(publish(settings.kafka_bootstrap, [(probe, s.encode(), b"{}") for s in sessions]))
    app = SimpleNamespace(conf=SimpleNamespace(topic_partitions=settings.topic_partitions))
    assert [session_partition(app, s) for s in sessions] == [m.partition for m in sent]
