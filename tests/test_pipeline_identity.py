"""Identity comes only from what the gateway signed (the key's user prefix): an upload whose
metadata names another user or session is refused, at the gateway with 403, and in ingest (for
the bucket's own notifications) as ``failed`` with the reason. The other user's data is untouched."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import orjson

from schemas.s3_events import minio_event

ALICE_SAYS = "Hi, I'm new here. My name is Alice, I live in London and I'm allergic to peanuts."
MALLORY_SAYS = "I have no allergies at all anymore."


def _register(http: httpx.Client) -> tuple[str, dict]:
    user = http.post("/v1/users", json={}).json()
    return user["user_id"], {"Authorization": f"Bearer {user['token']}"}


def _speak(http: httpx.Client, auth: dict, wav: bytes) -> dict:
    up = http.post("/v1/uploads", json={}, headers=auth).json()
    assert httpx.put(up["put"]["url"], content=wav, headers=up["put"]["headers"]).status_code == 200
    return up


def _allergies(settings, user_id: str) -> list:
    from agents.providers.graph_backend import make_graph_store

    async def read():
        graph = make_graph_store(settings)
        await graph.connect()
        try:
            return (await graph.get_user(user_id) or {}).get("allergies") or []
        finally:
            await graph.close()
    return asyncio.run(read())


def test_metadata_naming_another_user_is_refused_everywhere(worker, settings, s3, say):
    with httpx.Client(base_url=worker.gateway_url, timeout=30) as http:
        alice, alice_auth = _register(http)
        onboarded = _speak(http, alice_auth, say(ALICE_SAYS))
        assert _wait_done_as(worker, alice_auth, onboarded["session_id"])["status"] == "completed"
        assert "peanut" in _allergies(settings, alice)

        mallory, mallory_auth = _register(http)
        up = _speak(http, mallory_auth, say(MALLORY_SAYS))
        _wait_done_as(worker, mallory_auth, up["session_id"])  # Mallory's own session, as Mallory

        # 1. At the gateway: Mallory's own key and token, metadata naming Alice and a new session.
        head = s3.head_object(Bucket=settings.audio_bucket, Key=up["key"])
        forged = minio_event(settings.audio_bucket, up["key"], size=head["ContentLength"],
                             etag=head["ETag"].strip('"'), content_type="audio/wav",
                             metadata={"user-id": alice, "session-id": str(uuid.uuid4())})
        r = http.post("/v1/upload-events", content=orjson.dumps(forged), headers=mallory_auth)
        assert r.status_code == 403 and "another user" in r.json()["error"], r.text

    # 2. From the bucket itself: an object under Mallory's prefix whose metadata names Alice.
    key = f"{settings.upload_prefix}{mallory}/{uuid.uuid4()}.wav"
    s3.put_object(Bucket=settings.audio_bucket, Key=key, Body=say(MALLORY_SAYS),
                  ContentType="audio/wav", Metadata={"user-id": alice})
    session = key.rsplit("/", 1)[1].removesuffix(".wav")
    status = _wait_done_as(worker, mallory_auth, session)
    assert status["status"] == "failed" and status["user_id"] == mallory
    assert "another user" in status["error_message"]
    assert "peanut" in _allergies(settings, alice)  # Alice's allergy is still there


def _wait_done_as(worker, auth: dict, session: str) -> dict:
    from aurasense.client import GatewayClient

    as_owner = GatewayClient(worker.gateway_url, token=auth["Authorization"].removeprefix("Bearer "))
    try:
        return as_owner.wait_done(session, timeout=120)
    finally:
        as_owner.close()
