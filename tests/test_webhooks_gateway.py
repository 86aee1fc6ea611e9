"""The webhook routes over fakes (no worker): who may register, what is refused and said, what goes
on the log; the delivery through the real worker is tests/test_webhooks_stack.py."""

from __future__ import annotations

import time

import pytest

from schemas.events import SessionStatus
from schemas.topics import WEBHOOK_DELIVERIES, WEBHOOK_REGISTRATIONS
from schemas.webhooks import WebhookDelivery, WebhookRegistered
from streams.webhooks import Webhooks
from streams.webhooks.signing import registration_secret
from streams.webhooks.view import WebhookView
from tests.test_gateway_fakes import fake_gateway

HOOK = "http://127.0.0.1:9/hook"
ALLOW_LOOPBACK = {"webhook_allowed_hosts": "127.0.0.1,localhost", "webhook_allowed_networks": "127.0.0.0/8"}


@pytest.fixture
def hooked():
    """A fake gateway with webhooks on: (client, fakes, the records it put on the log)."""
    client, fakes = fake_gateway(**ALLOW_LOOPBACK, webhook_signing_key="signing-key")
    logged: list[tuple[str, bytes, bytes]] = []

    async def publish(topic, key, value):
        logged.append((topic, key, value))

    settings = client.app.state.deps.settings
    client.app.state.webhooks = Webhooks(settings, WebhookView("unused:9092"), publish)
    with client:
        yield client, fakes, logged


def token(client) -> tuple[str, dict]:
    d = client.post("/v1/users", json={}).json()
    return d["user_id"], {"Authorization": f"Bearer {d['token']}"}


def test_a_user_registers_reads_and_removes_their_webhook(hooked):
    client, _, logged = hooked
    user, auth = token(client)
    put = client.put("/v1/users/me/webhook", json={"url": HOOK}, headers=auth)
    assert put.status_code == 201
    hook = put.json()
    assert hook["scope"] == "user" and hook["url"] == HOOK
    assert hook["secret"] == registration_secret(b"signing-key", hook["registration_id"])
    [(topic, key, value)] = logged
    on_log = WebhookRegistered.decode(value)
    assert topic == WEBHOOK_REGISTRATIONS and key == f"user:{user}".encode()
    assert on_log.user_id == user and on_log.url == HOOK and hook["secret"] not in value.decode()
    read = client.get("/v1/users/me/webhook", headers=auth).json()
    assert read["registration_id"] == hook["registration_id"] and "secret" not in read
    assert client.delete("/v1/users/me/webhook", headers=auth).status_code == 204
    assert client.get("/v1/users/me/webhook", headers=auth).status_code == 404


def test_a_users_webhook_needs_their_token_and_a_url_only(hooked):
    client, _, logged = hooked
    _, auth = token(client)
    assert client.put("/v1/users/me/webhook", json={"url": HOOK}).status_code == 401
    assert client.put("/v1/users/me/webhook", json={"url": HOOK},
                      headers={"Authorization": "Bearer forged.token"}).status_code == 401
    for body in ({}, {"url": HOOK, "user_id": "usr-someone-else"}):
        r = client.put("/v1/users/me/webhook", json=body, headers=auth)
        assert r.status_code == 400 and "url" in r.json()["error"]
    assert logged == []


def test_refused_urls_are_400_and_nothing_is_registered_or_started(hooked):
    client, fakes, logged = hooked
    _, auth = token(client)
    for url, reason in (("http://10.1.1.1/x", "host 10.1.1.1 is not in"),
                        ("https://example.com/hook", "not in AURASENSE_WEBHOOK_ALLOWED_HOSTS"),
                        ("gopher://127.0.0.1/", "http(s)"), (["not", "a", "url"], "URL")):
        typed = client.post("/v1/utterances", json={"text": "hello", "webhook_url": url}, headers=auth)
        assert typed.status_code == 400 and reason in typed.json()["error"], typed.text
    assert logged == [] and fakes.events == []


def test_a_webhook_url_goes_on_the_log_before_the_session_starts(hooked):
    client, fakes, logged = hooked
    user, auth = token(client)
    r = client.post("/v1/utterances", json={"text": "hello", "webhook_url": HOOK}, headers=auth)
    assert r.status_code == 202 and r.json()["webhook"]["scope"] == "session"
    [(_, key, value)] = logged
    assert key == f"session:{r.json()['session_id']}".encode()
    assert WebhookRegistered.decode(value).user_id == user and len(fakes.events) == 2  # text, pointer
    upload = client.post("/v1/uploads", json={"webhook_url": HOOK}, headers=auth)
    assert upload.status_code == 200 and upload.json()["webhook"]["url"] == HOOK


def test_the_delivery_state_is_shown_to_the_sessions_owner_only(hooked):
    client, fakes, _ = hooked
    user, auth = token(client)
    _, other = token(client)
    fakes.statuses["s-1"] = SessionStatus(session_id="s-1", user_id=user, status="completed",
                                          completed_at=time.time())
    assert client.get("/v1/sessions/s-1/webhook", headers=auth).json()["state"] == "none"
    client.put("/v1/users/me/webhook", json={"url": HOOK}, headers=auth)
    assert client.get("/v1/sessions/s-1/webhook", headers=auth).json()["state"] == "none"  # made later
    view = client.app.state.webhooks.view
    view.apply(WEBHOOK_DELIVERIES, WebhookDelivery(
        session_id="s-1", user_id=user, attempt=1, event="session.completed", registration_id="wh_1",
        url=HOOK, state="retrying", tries=2, last_error="HTTP 500", response_status=500).encode())
    state = client.get("/v1/sessions/s-1/webhook", headers=auth).json()
    assert (state["state"], state["tries"], state["last_error"]) == ("retrying", 2, "HTTP 500")
    assert client.get("/v1/sessions/s-1/webhook", headers=other).status_code == 404
    assert client.get("/v1/sessions/s-1/webhook").status_code == 401


def test_without_a_worker_an_allowed_webhook_url_is_a_501_and_a_refused_one_a_400():
    client, _ = fake_gateway(**ALLOW_LOOPBACK)
    with client:
        allowed = client.post("/v1/utterances", json={"text": "hello", "webhook_url": HOOK})
        refused = client.post("/v1/uploads", json={"user_id": "alice", "webhook_url": "http://10.0.0.1/"})
    assert allowed.status_code == 501 and "webhooks" in allowed.json()["error"]
    assert "retry-after" not in allowed.headers  # how it runs, not an outage
    assert refused.status_code == 400 and "not in AURASENSE_WEBHOOK_ALLOWED_HOSTS" in refused.json()["error"]
