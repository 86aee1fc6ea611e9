"""The native API over fakes (fast): users and tokens, uploads, upload events, sessions."""

from __future__ import annotations

import hashlib
import hmac

import orjson
import pytest

from gateway import auth
from gateway.config import GatewayConfig
from schemas.events import SessionStatus
from schemas.s3_events import minio_event
from tests.test_gateway_fakes import fake_gateway, gw  # noqa: F401  (fixture)


def _user(client) -> tuple[str, dict]:
    d = client.post("/v1/users", json={}).json()
    return d["user_id"], {"Authorization": f"Bearer {d['token']}"}


def test_tokens_round_trip_and_reject_forgery_and_expiry():
    config = GatewayConfig.for_tests(token_ttl_s=60)
    token = auth.issue_token(config, "usr-1", now=1000)
    assert auth.verify_token(config, token, now=1030) == "usr-1"
    assert auth.verify_token(config, token, now=2000) is None
    other = GatewayConfig(token_secret=b"other", webhook_secret=b"x")
    assert auth.verify_token(other, token, now=1030) is None
    assert auth.verify_token(config, token[:-2] + "AA", now=1030) is None
    assert auth.verify_token(config, "garbage", now=1030) is None


def test_registered_user_uploads_under_own_prefix_only(gw):  # noqa: F811
    client, _ = gw
    user, headers = _user(client)
    r = client.post("/v1/uploads", json={"content_type": "audio/webm;codecs=opus"}, headers=headers)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["key"] == f"uploads/{user}/{d['session_id']}.webm"
    conditions = orjson.loads(__import__("base64").b64decode(d["post"]["fields"]["policy"]))["conditions"]
    assert {"key": d["key"]} in conditions and ["content-length-range", 1, 1_000_000] in conditions
    other, _ = _user(client)
    assert client.post("/v1/uploads", json={"user_id": other}, headers=headers).status_code == 403
    # Without a token nobody uploads as a registered user.
    assert client.post("/v1/uploads", json={"user_id": user}).status_code == 403


def test_guest_uploads_without_token_keep_the_client_working(gw):  # noqa: F811
    client, _ = gw
    r = client.post("/v1/uploads", json={"user_id": "u-1234"})
    assert r.status_code == 200 and r.json()["key"].startswith("uploads/u-1234/")
    assert set(r.json()["put"]) == {"url", "headers"}


def test_guest_access_can_be_turned_off():
    client, _ = fake_gateway(GatewayConfig.for_tests(guest_access=False))
    assert client.post("/v1/uploads", json={"user_id": "u-1"}).status_code == 403
    assert client.post("/api/audio/upload-presigned", json={}).status_code == 401


def test_sessions_are_visible_to_their_owner_only_foreign_is_404_and_anonymous_401(gw):  # noqa: F811
    client, fakes = gw
    alice, alice_h = _user(client)
    bob, bob_h = _user(client)
    fakes.statuses["s-a"] = SessionStatus(session_id="s-a", user_id=alice, status="processing")
    fakes.statuses["s-g"] = SessionStatus(session_id="s-g", user_id="guest-x", status="processing")
    assert client.get("/v1/sessions/s-a", headers=alice_h).json()["user_id"] == alice
    foreign = client.get("/v1/sessions/s-a", headers=bob_h)
    unknown = client.get("/v1/sessions/s-zz", headers=bob_h)
    anonymous = client.get("/v1/sessions/s-a")
    assert foreign.status_code == unknown.status_code == 404 and foreign.json() == unknown.json()
    # a registered user's session asked without credentials (or with an empty Bearer): 401
    for asked in (anonymous, client.get("/v1/sessions/s-a", headers={"Authorization": "Bearer "})):
        assert asked.status_code == 401 and asked.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/v1/sessions/s-g").status_code == 200  # guest: the UUID is the secret
    assert client.get("/v1/sessions/s-a", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/v1/sessions/s-a", headers={"Authorization": "Basic x"}).status_code == 401


def test_session_id_reuse_is_refused(gw):  # noqa: F811
    client, fakes = gw
    fakes.statuses["taken"] = SessionStatus(session_id="taken", user_id="u-1")
    r = client.post("/v1/uploads", json={"user_id": "u-2", "session_id": "taken"})
    assert r.status_code == 409


def test_upload_events_need_a_signature_or_the_owners_token(gw):  # noqa: F811
    client, fakes = gw
    user, headers = _user(client)
    own = orjson.dumps(minio_event("audio", f"uploads/{user}/s1.wav", size=10, etag="e"))
    foreign = orjson.dumps(minio_event("audio", "uploads/someone/s1.wav", size=10, etag="e"))
    assert client.post("/v1/upload-events", content=own).status_code == 401
    assert client.post("/v1/upload-events", content=foreign, headers=headers).status_code == 403
    assert client.post("/v1/upload-events", content=own, headers=headers).status_code == 202
    sig = "sha256=" + hmac.new(b"test-webhook", foreign, hashlib.sha256).hexdigest()
    assert client.post("/v1/upload-events", content=foreign,
                       headers={auth.SIGNATURE_HEADER: sig}).status_code == 202
    assert client.post("/v1/upload-events", content=foreign,
                       headers={auth.SIGNATURE_HEADER: "sha256=00"}).status_code == 401
    assert [k for k, _ in fakes.published] == [f"audio/uploads/{user}/s1.wav".encode(),
                                               b"audio/uploads/someone/s1.wav"]


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"Records": []}', b'{"Records": [{"s3": 1}]}'])
def test_bad_upload_events_are_400(gw, body):  # noqa: F811
    client, _ = gw
    _, headers = _user(client)
    r = client.post("/v1/upload-events", content=body, headers=headers)
    assert r.status_code == 400 and r.json()["error"]


def test_bodies_over_the_limit_are_413(gw):  # noqa: F811
    client, _ = gw
    r = client.post("/v1/uploads", content=b"{" + b" " * 70_000 + b"}")
    assert r.status_code == 413


def test_json_endpoints_need_a_json_content_type(gw):  # noqa: F811
    client, _ = gw
    r = client.post("/v1/users", content=b"{}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/json" in r.json()["error"]
    assert client.post("/v1/users", content=b"{}", headers={"Content-Type": "application/json"}).status_code == 201


@pytest.mark.parametrize("path", ["/audio/uploads/../usr-x/s.wav", "/audio/uploads/a%0Ab.wav",
                                  "/audio/uploads/a%5Cb.wav"])
def test_hostile_audio_urls_are_400_not_500(gw, path):  # noqa: F811
    client, _ = gw
    r = client.post("/api/audio/process", json={"audio_url": f"http://127.0.0.1:9{path}"})
    assert r.status_code == 400 and "audio_url" in r.json()["error"]


def test_a_body_that_trickles_in_too_slowly_is_408():
    """The app called as a server would, with a client that sends one byte and stalls."""
    import asyncio

    client, _ = fake_gateway(GatewayConfig.for_tests(body_timeout_s=0.2))
    app = client.app
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "path": "/v1/users", "raw_path": b"/v1/users", "query_string": b"", "root_path": "",
             "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")]}
    sent: list = []

    async def receive():
        if not sent and not getattr(receive, "started", False):
            receive.started = True
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(5)  # the stalled client: what is under test, not synchronisation
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 408


def test_the_uvicorn_reach_refuses_an_untested_version():
    from gateway.uvicorn_compat import TESTED_UVICORN, check_version

    check_version(installed=lambda name: TESTED_UVICORN)
    with pytest.raises(RuntimeError, match="found 0.99"):
        check_version(installed=lambda name: "0.99")
