"""A dependency briefly down answers 503 + Retry-After, a real bug still 500 (gateway/errors.py).

The gateway here is built from the worker's real parts (the Faust producer behind the outbox, the
S3 client, the status log reader) pointed at a loopback port nothing listens on, as during a stack
restart.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiokafka.errors import KafkaTimeoutError, MessageSizeTooLargeError
from faust.exceptions import ProducerSendError
from starlette.exceptions import HTTPException
from starlette.testclient import TestClient

from core.settings import Settings
from core.storage import AudioStore
from gateway import auth
from gateway.app import create_gateway
from gateway.config import GatewayConfig
from gateway.deps import GatewayDeps
from gateway.errors import RETRY_AFTER_S, http_error, outage_of
from gateway.objects import ObjectHead
from schemas import topics
from schemas.s3_events import minio_event
from stack.processes import free_port
from streams.app import create_app
from streams.outbox import Outbox
from tests.test_gateway_fakes import fake_gateway

CONFIG = GatewayConfig.for_tests()
OPERATOR = "operator-token-for-tests"  # the operator routes are on, behind it


def down_gateway(tmp_path, announce_session=None) -> TestClient:
    """A gateway whose broker and bucket are a closed loopback port."""
    closed = free_port()
    settings = Settings(s3_access_key="k", s3_secret_key="s", kafka_bootstrap=f"127.0.0.1:{closed}",
                        s3_endpoint=f"http://127.0.0.1:{closed}", data_dir=tmp_path, operator_token=OPERATOR)
    app = create_app(settings)
    outbox = Outbox({t.name: app.topic(t.name, key_type=bytes, value_type=bytes, key_serializer="raw",
                                       value_serializer="raw") for t in topics.TOPICS}, app.producer)
    deps = GatewayDeps(
        settings=settings, store=AudioStore(settings), get_status=_no_status,
        publish_bucket_event=lambda key, value: outbox.send_raw(topics.BUCKET_EVENTS, key, value),
        announce_session=announce_session or outbox.send_event, publish_event=outbox.send_event,
        readiness=lambda: {"ready": True}, head_object=ObjectHead(settings), config=CONFIG)
    return TestClient(create_gateway(deps), raise_server_exceptions=False)


async def _no_status(session_id: str):
    return None


def _bearer(user_id: str) -> dict:
    return {"Authorization": f"Bearer {auth.issue_token(CONFIG, user_id)}"}


USER = auth.new_user_id()
KEY = f"uploads/{USER}/s1.wav"
REQUESTS = {  # route: (method, path, body, the dependency it reaches first)
    "presign": ("POST", "/v1/uploads", {}, "broker"),
    "typed text": ("POST", "/v1/utterances", {"text": "where can I eat?"}, "broker"),
    "upload event": ("POST", "/v1/upload-events", minio_event("audio", KEY, size=10, etag="e"), "broker"),
    "seed process": ("POST", "/api/audio/process",
                     {"audio_url": f"http://127.0.0.1:8333/audio/{KEY}"}, "object-store"),
    "history": ("GET", "/v1/me/sessions", None, "broker"),
    "operator topics": ("GET", "/ops/api/topics", None, "broker"),
    "operator replay": ("POST", "/ops/api/replay", {"session_id": "s1"}, "broker"),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_a_dependency_that_is_down_answers_503_with_retry_after(tmp_path, caplog, name):
    method, path, body, dependency = REQUESTS[name]
    with down_gateway(tmp_path) as client, caplog.at_level(logging.WARNING):
        who = OPERATOR if path.startswith("/ops/") else auth.issue_token(CONFIG, USER)
        r = client.request(method, path, json=body, headers={"Authorization": f"Bearer {who}"})
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == str(RETRY_AFTER_S)
        assert r.json()["unavailable"] == dependency and "unreachable" in r.json()["error"]
        metrics = client.get("/metrics").text
    assert (f'aurasense_gateway_unavailable_total{{dependency="{dependency}",route="{path}"}} 1.0'
            in metrics)
    said = [rec for rec in caplog.records if rec.name == "gateway.errors"]
    assert len(said) == 1 and said[0].exc_info is None and path in said[0].getMessage()


def _sent_with(cause: Exception) -> Exception:
    """What Faust's producer raises when aiokafka refused a record (faust/transport/drivers)."""
    try:
        raise ProducerSendError(f"Error while sending: {cause!r}") from cause
    except ProducerSendError as exc:
        return exc


@pytest.mark.parametrize("bug", [TypeError("announce() got an unexpected keyword argument"),
                                 _sent_with(MessageSizeTooLargeError())],  # the record, not the broker
                         ids=["type error", "record refused"])
def test_a_real_bug_on_the_same_route_stays_a_500(tmp_path, caplog, bug):
    async def broken(event):
        raise bug

    with down_gateway(tmp_path, announce_session=broken) as client, caplog.at_level(logging.WARNING):
        r = client.post("/v1/uploads", json={}, headers=_bearer(USER))
        assert (r.status_code, r.json()) == (500, {"error": "internal error"})
        assert "Retry-After" not in r.headers
        assert "aurasense_gateway_unavailable_total{" not in client.get("/metrics").text
    [logged] = [rec for rec in caplog.records if rec.name == "gateway.errors"]
    assert logged.levelno == logging.ERROR and logged.exc_info is not None  # with its traceback


def test_a_send_error_is_an_outage_only_when_the_broker_caused_it():
    assert outage_of(_sent_with(KafkaTimeoutError())) == "broker"
    assert outage_of(_sent_with(MessageSizeTooLargeError())) is None


def test_every_503_says_when_to_retry():
    answer = asyncio.run(http_error(None, HTTPException(503, "shedding load")))
    assert (answer.status_code, answer.headers["Retry-After"]) == (503, str(RETRY_AFTER_S))


def test_what_a_deployment_runs_without_is_a_501_with_nothing_to_wait_out():
    client, _ = fake_gateway()  # no worker: webhooks cannot be registered
    with client:
        r = client.delete("/v1/users/me/webhook", headers=_bearer(USER))
    assert r.status_code == 501 and "Retry-After" not in r.headers
