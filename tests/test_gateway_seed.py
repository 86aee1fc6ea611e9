"""The seed's routes, fields and CORS, over fakes (fast)."""

from __future__ import annotations

import orjson
import pytest

from gateway.objects import ObjectInfo
from schemas.events import SessionStatus
from schemas.s3_events import parse_bucket_event
from tests.test_gateway_fakes import gw  # noqa: F401  (fixture)

ORIGIN = "http://page.example"


def test_upload_presigned_gives_a_post_form_for_a_guest_key(gw):  # noqa: F811
    client, _ = gw
    r = client.post("/api/audio/upload-presigned",
                    json={"file_name": "audio_1.wav", "content_type": "audio/wav"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert {"upload_url", "fields", "final_url", "session_id"} <= set(d)
    user, session = d["user_id"], d["session_id"]
    assert user.startswith("guest-")
    assert d["fields"]["key"] == f"uploads/{user}/{session}.wav"
    assert d["fields"]["Content-Type"] == "audio/wav" and "policy" in d["fields"]
    assert d["final_url"] == f"http://s3.example:8333/audio/uploads/{user}/{session}.wav"
    assert d["upload_url"].startswith("http://s3.example:8333/audio")


@pytest.mark.parametrize("body, code", [
    ({"file_name": "a.txt", "content_type": "text/plain"}, 415),
    ({"file_name": 5}, 400), ([1, 2], 400)])
def test_upload_presigned_rejects_bad_requests(gw, body, code):  # noqa: F811
    client, _ = gw
    r = client.post("/api/audio/upload-presigned", json=body)
    assert r.status_code == code and r.json()["error"]


def test_process_heads_the_object_and_publishes_its_real_etag(gw):  # noqa: F811
    client, fakes = gw
    d = client.post("/api/audio/upload-presigned", json={"file_name": "a.wav"}).json()
    key = d["fields"]["key"]
    body = {"audio_url": d["final_url"], "user_id": "user_123", "session_context": {"context": "food"}}
    missing = client.post("/api/audio/process", json=body)
    assert missing.status_code == 404 and "upload the audio first" in missing.json()["error"]

    fakes.objects[key] = ObjectInfo(size=1234, etag="abc123", content_type="audio/wav")
    r = client.post("/api/audio/process", json=body)
    assert r.status_code == 200, r.text
    assert r.json() == {"session_id": d["session_id"], "status": "processing",
                        "message": "Audio processing started"}
    (msg_key, value), = fakes.published
    assert msg_key == f"audio/{key}".encode()
    obj = parse_bucket_event(orjson.loads(value))[0]
    assert (obj.key, obj.size, obj.etag, obj.content_type) == (key, 1234, "abc123", "audio/wav")
    assert not obj.sequencer

    # Until ingest reports, the status says pending (the seed's poll loop keeps going).
    status = client.get(f"/api/audio/status/{d['session_id']}").json()
    assert status["status"] == "pending" and status["session_id"] == d["session_id"]


@pytest.mark.parametrize("url", ["not a url", "http://s3.example:8333/other/uploads/u/s.wav",
                                 "http://s3.example:8333/audio/replies/u/s.wav", "ftp://x/audio/uploads/a"])
def test_process_rejects_urls_outside_our_upload_prefix(gw, url):  # noqa: F811
    client, fakes = gw
    r = client.post("/api/audio/process", json={"audio_url": url, "user_id": "u"})
    assert r.status_code == 400 and r.json()["error"] and not fakes.published


def test_status_has_the_seed_fields(gw):  # noqa: F811
    client, fakes = gw
    fakes.statuses["s-1"] = SessionStatus(
        session_id="s-1", user_id="guest-1", status="completed", transcription="hello",
        response_text="hi", response_audio_url="http://x/r.wav", agent_used="food",
        cultural_context={"cuisine": "thai"}, created_at=1700000000.0, completed_at=1700000002.5)
    d = client.get("/api/audio/status/s-1").json()
    assert d == {"session_id": "s-1", "status": "completed", "transcription": "hello",
                 "response_text": "hi", "response_audio_url": "http://x/r.wav",
                 "agent_used": "food", "error_message": None, "cultural_context": {"cuisine": "thai"},
                 "created_at": "2023-11-14T22:13:20+00:00",
                 "completed_at": "2023-11-14T22:13:22.500000+00:00"}
    assert client.get("/api/audio/status/nope").status_code == 404


def test_cors_preflight_and_simple_requests(gw):  # noqa: F811
    client, _ = gw
    r = client.options("/api/audio/process", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", ORIGIN)
    allowed = r.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "authorization" in allowed
    r = client.get("/api/audio/status/unknown", headers={"Origin": ORIGIN})
    assert r.headers["access-control-allow-origin"] == "*"


def test_the_user_id_a_client_sends_is_a_guest_and_never_a_registered_user(gw):  # noqa: F811
    client, _ = gw
    ask = lambda user_id: client.post("/api/audio/upload-presigned",  # noqa: E731
                                      json={"file_name": "a.wav", "user_id": user_id})
    assert ask("user_123").json()["user_id"] == "guest-user_123"  # the guest namespace
    assert ask("guest-abc").json()["user_id"] == "guest-abc"  # a guest id given back: the same
    registered = client.post("/v1/users", json={}).json()["user_id"]
    assert ask(registered).status_code == 403
    assert ask("bad/../id").status_code == 400
