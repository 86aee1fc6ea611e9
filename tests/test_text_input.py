"""Typed text as an utterance, without a stack: the text rule, the text stage under the real stage
runner, the status fold, the gateway route over fakes, and the CLI's unreachable gateway.

The whole path through the real worker is tests/test_text_pipeline.py."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import orjson
import pytest

from aurasense.cli import main as cli_main
from gateway.auth import issue_token
from gateway.config import GatewayConfig
from schemas import topics
from schemas.events import (AudioResponded, AudioTranscribed, AudioUploaded, RequestRouted,
                            SessionIssued, TextSubmitted, UploadLogged)
from schemas.typed_text import MAX_TEXT_CHARS, text_problem
from stack.processes import free_port
from streams.pipeline import STAGES
from streams.runner import StageRunner
from streams.status import StatusTable, apply
from tests.pipeline_helpers import RecordingOutbox
from tests.test_gateway_fakes import fake_gateway


# --- the rule -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, reason", [
    (None, "text is required"),
    (42, "must be a string"),
    ("", "text is empty"),
    ("   ", "text is empty"),
    ("x" * (MAX_TEXT_CHARS + 1), f"{MAX_TEXT_CHARS + 1} characters long; the limit is {MAX_TEXT_CHARS}"),
    ("two\nlines", "control character (U+000A) at position 3"),
    ("bell\x07", "control character (U+0007) at position 4"),
    ("c1\x85", "control character (U+0085)"),
])
def test_a_text_that_is_not_an_utterance_says_why(text, reason):
    assert reason in text_problem(text)


@pytest.mark.parametrize("text", ["I'm hungry", "  padded  ", "x" * MAX_TEXT_CHARS,
                                  "jollof à Lagos, s'il vous plaît 🍛", "नमस्ते"])
def test_ordinary_text_in_any_script_is_an_utterance(text):
    assert text_problem(text) == ""


# --- the text stage under the real runner ------------------------------------------------------

def _text_runner() -> tuple[StageRunner, StatusTable, RecordingOutbox]:
    stage = next(s for s in STAGES if s.name == "text")
    statuses, outbox = StatusTable({}), RecordingOutbox()
    return StageRunner(stage, None, statuses, outbox, attempts=2, backoff_s=0.0), statuses, outbox


def _submitted(text: str = "  Where should I stay in Paris?  ", session: str = "s1") -> bytes:
    return TextSubmitted(session_id=session, user_id="usr-1", text=text, submitted_at=100.0).encode()


def _origin(offset: int = 0):
    return SimpleNamespace(topic=topics.TEXT_SUBMITTED, partition=0, offset=offset, key=b"s1")


def test_the_stage_table_sends_typed_text_to_the_transcript_topic():
    stage = next(s for s in STAGES if s.name == "text")
    assert (stage.source, stage.sink, stage.record) == (topics.TEXT_SUBMITTED,
                                                       topics.AUDIO_TRANSCRIBED, TextSubmitted)
    route = next(s for s in STAGES if s.name == "route")
    assert route.source == stage.sink  # from here on, typed text is what the user said


def test_typed_text_becomes_the_sessions_transcript_once():
    runner, statuses, outbox = _text_runner()
    asyncio.run(runner.handle(_submitted(), _origin(0)))
    [(topic, out)] = outbox.sent
    assert topic == topics.AUDIO_TRANSCRIBED and isinstance(out, AudioTranscribed)
    assert (out.text, out.source, out.user_id, out.voice_profile) == (
        "Where should I stay in Paris?", "text", "usr-1", {})
    status = statuses.get("s1")
    assert (status.status, status.stage, status.source) == ("processing", "text", "text")
    assert status.transcription == "Where should I stay in Paris?"
    assert status.last_event == f"{topics.AUDIO_TRANSCRIBED}/0@0" and "text" in status.timings

    asyncio.run(runner.handle(_submitted(), _origin(1)))  # a retry that got through twice
    asyncio.run(runner.handle(_submitted("something else"), _origin(2)))  # or a racing other text
    assert len(outbox.sent) == 1 and statuses.get("s1").duplicates_ignored == 2


def test_a_replayed_text_with_reprocess_runs_as_the_next_attempt():
    runner, statuses, outbox = _text_runner()
    asyncio.run(runner.handle(_submitted(), _origin(0)))
    statuses.table["s1"] = statuses.get("s1").replace(status="completed").to_dict()
    again = TextSubmitted.decode(_submitted()).replace(attempt=2)  # replay --reprocess
    asyncio.run(runner.handle(again.encode(), _origin(1)))
    assert [e.attempt for _, e in outbox.sent] == [1, 2]
    status = statuses.get("s1")
    assert (status.attempt, status.status, status.source) == (2, "processing", "text")


def test_a_bad_text_put_on_the_log_by_anything_ends_failed_with_the_reason():
    runner, statuses, outbox = _text_runner()
    asyncio.run(runner.handle(_submitted("ring\x07"), _origin()))
    status = statuses.get("s1")
    assert status.status == "failed" and status.stage == "text"
    assert "control character (U+0007)" in status.error_message
    assert outbox.sent[-1][1].error_message == status.error_message  # on session-failed too


def test_an_unparseable_text_event_is_dead_lettered():
    runner, statuses, outbox = _text_runner()
    asyncio.run(runner.handle(orjson.dumps({"session_id": "s1", "user_id": "u"}), _origin()))
    assert outbox.sent == [("dead-letter", "TextSubmitted: missing field 'text'")]
    assert statuses.get("s1") is None


# --- the status fold -----------------------------------------------------------------------------

def test_the_status_records_where_the_input_came_from():
    issued = apply(None, SessionIssued(session_id="a", user_id="u", key="k", issued_at=1.0,
                                       expires_at=2.0))
    assert issued.source == "speech"
    uploaded = apply(None, AudioUploaded(session_id="b", user_id="u", bucket="b", key="k", size=1))
    assert uploaded.source == "speech"
    pointer = apply(None, UploadLogged(session_id="c", user_id="u", at=f"{topics.TEXT_SUBMITTED}/1@5"))
    assert pointer.source == "" and pointer.last_event == f"{topics.TEXT_SUBMITTED}/1@5"
    typed = apply(pointer, TextSubmitted(session_id="c", user_id="u", text="hi", submitted_at=3.0))
    assert (typed.status, typed.source, typed.transcription) == ("processing", "text", "hi")


def test_a_typed_session_goes_pending_to_completed_like_a_spoken_one():
    events = [TextSubmitted(session_id="s", user_id="u", text="hi", submitted_at=1.0),
              AudioTranscribed(session_id="s", user_id="u", bucket="", key="", text="hi", source="text"),
              RequestRouted(session_id="s", user_id="u", text="hi", agent="onboarding"),
              AudioResponded(session_id="s", user_id="u", agent="onboarding", text="hi",
                             reply_text="Welcome", reply_bucket="b", reply_key="r", reply_url="url")]
    status, seen = None, []
    for event in events:
        status = apply(status, event)
        seen.append((status.status, status.stage))
    assert seen == [("processing", "gateway"), ("processing", "text"), ("processing", "route"),
                    ("completed", "respond")]
    assert status.source == "text" and status.response_text == "Welcome"


# --- the gateway route, over fakes ---------------------------------------------------------------

@pytest.fixture
def gw():
    client, fakes = fake_gateway()
    with client:
        yield client, fakes


def _bearer(user_id: str) -> dict:
    return {"Authorization": f"Bearer {issue_token(GatewayConfig.for_tests(), user_id)}"}


def test_text_is_published_as_the_token_users_and_is_pending_at_once(gw):
    client, fakes = gw
    r = client.post("/v1/utterances", json={"text": " I'm hungry "}, headers=_bearer("usr-alice"))
    assert r.status_code == 202, r.text
    body = r.json()
    assert (body["user_id"], body["status"], body["source"]) == ("usr-alice", "pending", "text")
    text, pointer = fakes.events
    assert isinstance(text, TextSubmitted) and isinstance(pointer, UploadLogged)
    assert (text.session_id, text.user_id, text.text) == (body["session_id"], "usr-alice", "I'm hungry")
    assert pointer.at == f"{topics.TEXT_SUBMITTED}/0@0"  # where the sweeper finds the text
    status = client.get(body["status_url"], headers=_bearer("usr-alice")).json()
    assert (status["status"], status["source"], status["transcription"]) == ("pending", "text", "I'm hungry")
    assert client.get(body["status_url"], headers=_bearer("usr-bob")).status_code == 404
    assert client.get(body["status_url"]).status_code == 401


def test_without_a_token_the_text_is_a_new_guests_and_a_body_cannot_name_a_user(gw):
    client, fakes = gw
    r = client.post("/v1/utterances", json={"text": "hello"})
    assert r.status_code == 202 and r.json()["user_id"].startswith("guest-")
    named = client.post("/v1/utterances", json={"text": "hello", "user_id": "usr-alice"},
                        headers=_bearer("usr-mallory"))
    assert named.status_code == 400 and "user_id" in named.json()["error"]
    assert "bearer token" in named.json()["error"]
    assert len(fakes.events) == 2  # the guest's text and its pointer only


@pytest.mark.parametrize("body, status, reason", [
    ({}, 400, "text is required"),
    ({"text": ""}, 400, "text is empty"),
    ({"text": " \u3000 "}, 400, "text is empty"),
    ({"text": "a" * 1001}, 400, "1001 characters long; the limit is 1000"),
    ({"text": "line\nbreak"}, 400, "control character (U+000A)"),
    ({"text": ["hi"]}, 400, "text must be a string"),
    ({"text": "hi", "session_id": "../etc"}, 400, "session_id must be"),
])
def test_bad_input_is_a_4xx_with_the_reason_and_nothing_is_published(gw, body, status, reason):
    client, fakes = gw
    r = client.post("/v1/utterances", json=body, headers=_bearer("usr-alice"))
    assert r.status_code == status and reason in r.json()["error"], r.text
    assert fakes.events == []


def test_bad_requests_in_the_gateways_usual_ways(gw):
    client, fakes = gw
    assert client.post("/v1/utterances", content=b"hi", headers={"Content-Type": "text/plain"}
                       ).status_code == 415
    assert client.post("/v1/utterances", content=b"{nope",
                       headers={"Content-Type": "application/json"}).status_code == 400
    forged = client.post("/v1/utterances", json={"text": "hi"}, headers={"Authorization": "Bearer x.y"})
    assert forged.status_code == 401 and forged.json()["error"] == "invalid or expired token"
    assert fakes.events == []


def test_guests_need_a_token_when_guest_access_is_off():
    client, _ = fake_gateway(GatewayConfig.for_tests(guest_access=False))
    with client:
        r = client.post("/v1/utterances", json={"text": "hello"})
        assert r.status_code == 401 and "bearer token" in r.json()["error"]
        assert client.post("/v1/utterances", json={"text": "hello"},
                           headers=_bearer("usr-alice")).status_code == 202


def test_a_retry_with_the_same_session_and_text_gets_that_session_and_sends_nothing(gw):
    client, fakes = gw
    alice = _bearer("usr-alice")
    first = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-retry"}, headers=alice)
    again = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-retry"}, headers=alice)
    assert first.status_code == again.status_code == 202 and again.json() == first.json()
    assert len(fakes.events) == 2  # one text, one pointer: the retry sent nothing

    other_text = client.post("/v1/utterances", json={"text": "bye", "session_id": "s-retry"}, headers=alice)
    as_bob = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-retry"},
                         headers=_bearer("usr-bob"))
    assert other_text.status_code == as_bob.status_code == 409
    assert "already in use" in as_bob.json()["error"] and len(fakes.events) == 2

    # Once the worker has the session, a retry answers from it: the session as it is now.
    done = apply(None, TextSubmitted(session_id="s-retry", user_id="usr-alice", text="hi",
                                     submitted_at=1.0)).replace(status="completed")
    fakes.statuses["s-retry"] = done
    late = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-retry"}, headers=alice)
    assert late.status_code == 202 and late.json()["status"] == "completed"
    assert len(fakes.events) == 2


def test_a_retry_while_only_the_pointer_is_known_is_still_a_retry(gw):
    client, fakes = gw
    fakes.statuses["s-ptr"] = apply(None, UploadLogged(session_id="s-ptr", user_id="usr-alice",
                                                       at=f"{topics.TEXT_SUBMITTED}/0@9"))
    r = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-ptr"}, headers=_bearer("usr-alice"))
    assert r.status_code == 202 and fakes.events == []
    # A pointer to an upload is not a text: that session id is taken.
    fakes.statuses["s-up"] = apply(None, UploadLogged(session_id="s-up", user_id="usr-alice",
                                                      at=f"{topics.AUDIO_UPLOADED}/0@9"))
    r = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-up"}, headers=_bearer("usr-alice"))
    assert r.status_code == 409 and fakes.events == []


def test_a_spoken_sessions_id_cannot_take_text(gw):
    client, fakes = gw
    alice = _bearer("usr-alice")
    up = client.post("/v1/uploads", json={"session_id": "s-spoken"}, headers=alice)
    assert up.status_code == 200
    r = client.post("/v1/utterances", json={"text": "hi", "session_id": "s-spoken"}, headers=alice)
    assert r.status_code == 409 and fakes.events == []


def test_a_gateway_without_a_pipeline_refuses_text_plainly():
    client, _ = fake_gateway()
    client.app.state.deps.publish_event = None  # no worker behind it: nothing to publish to
    with client:
        r = client.post("/v1/utterances", json={"text": "hello"})
    assert r.status_code == 501 and "no pipeline" in r.json()["error"]
    assert "retry-after" not in r.headers  # not an outage: nothing to wait out


def test_the_route_is_documented(gw):
    client, _ = gw
    doc = client.get("/openapi.json").json()["paths"]["/v1/utterances"]["post"]
    body = doc["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["text"] and body["properties"]["text"]["maxLength"] == MAX_TEXT_CHARS
    assert {"202", "400", "401", "409"} <= set(doc["responses"])


# --- the CLI --------------------------------------------------------------------------------------

def test_say_without_a_gateway_is_a_clear_error(capsys):
    url = f"http://127.0.0.1:{free_port()}"
    assert cli_main(["say", "--gateway", url, "hello"]) == 3
    assert f"cannot reach the gateway at {url}" in capsys.readouterr().err
