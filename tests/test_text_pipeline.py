"""Typed text through the real worker (broker, bucket, graph, agents, piper): the same pipeline as
speech from the transcript on, read on the same status routes, answered once."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson

from aurasense.cli import main as cli_main
from aurasense.client import GatewayClient
from aurasense.worker_process import WorkerProcess
from schemas import topics
from schemas.events import TextSubmitted
from tests.pipeline_helpers import (assert_valid_wav, events_for, fetch, new_user, publish,
                                    reply_objects, wait_consumed)


def _registered(worker) -> tuple[GatewayClient, str, str]:
    """A client speaking as a new registered user: (client, user_id, token)."""
    client = GatewayClient(worker.gateway_url)
    user = client.register()
    return client, user, client.http.headers["Authorization"].removeprefix("Bearer ")


def _typed(client: GatewayClient, text: str, session_id: str | None = None) -> dict:
    accepted = client.submit_text(text, session_id)
    status = client.wait_done(accepted["session_id"], timeout=120)
    assert status["status"] == "completed", status
    return status


def test_typed_text_is_routed_answered_and_spoken_like_speech(worker, settings, s3):
    client, user, _ = _registered(worker)
    try:
        first = _typed(client, "Hi, I'm new here. My name is Tunde, I live in London and I'm "
                               "allergic to peanuts.")
        food = _typed(client, "I'm hungry. Can you recommend something for dinner?")
    finally:
        client.close()
    assert first["agent_used"] == "onboarding" and food["agent_used"] == "food"
    for status in (first, food):
        assert status["user_id"] == user and status["source"] == "text"
        assert status["response_text"] and status["completed_at"]
        assert set(status["timings"]) == {"text", "route", "respond"}  # no transcription run
        assert assert_valid_wav(fetch(status["response_audio_url"])) > 0.5
    assert food["transcription"] == "I'm hungry. Can you recommend something for dinner?"
    [transcript] = events_for(settings, topics.AUDIO_TRANSCRIBED, food["session_id"])
    assert transcript["source"] == "text" and transcript["voice_profile"] == {}
    assert sorted(reply_objects(s3, settings, user)) == sorted(
        [first["response_audio_key"], food["response_audio_key"]])


def test_another_users_token_cannot_read_a_typed_session(worker):
    alice, _, _ = _registered(worker)
    bob, _, _ = _registered(worker)
    try:
        done = _typed(alice, "Where should I stay in Paris?")
        assert bob.status(done["session_id"]) is None  # 404, as for an unknown session
        anonymous = httpx.get(f"{worker.gateway_url}/v1/sessions/{done['session_id']}", timeout=30)
        assert anonymous.status_code == 401
        events = httpx.get(f"{worker.gateway_url}/v1/sessions/{done['session_id']}/events",
                           headers=bob.http.headers, timeout=30)
        assert events.status_code == 404
    finally:
        alice.close()
        bob.close()


def test_a_retried_session_is_answered_once(worker, settings, s3):
    client, user, _ = _registered(worker)
    session = f"typed-{new_user()}"
    try:
        first = client.submit_text("Where should I stay in London?", session)
        again = client.submit_text("Where should I stay in London?", session)  # the client retries
        assert again["session_id"] == first["session_id"] == session
        done = client.wait_done(session, timeout=120)
        late = client.submit_text("Where should I stay in London?", session)
        assert late["status"] == "completed"
        # Two gateways racing would both publish: the text stage answers the first only.
        [submitted] = events_for(settings, topics.TEXT_SUBMITTED, session)
        sent = publish(settings, [(topics.TEXT_SUBMITTED, session.encode(), orjson.dumps(submitted))])
        wait_consumed(settings, sent)
        after = client.status(session)
    finally:
        client.close()
    assert done["status"] == "completed" and done["source"] == "text"
    assert after["completed_at"] == done["completed_at"] and after["duplicates_ignored"] >= 1
    assert len(events_for(settings, topics.TEXT_SUBMITTED, session)) == 2  # ours, and the racer's
    assert len(events_for(settings, topics.AUDIO_TRANSCRIBED, session)) == 1
    assert len(events_for(settings, topics.AUDIO_RESPONDED, session)) == 1
    assert reply_objects(s3, settings, user) == [done["response_audio_key"]]


def test_bad_text_is_refused_with_the_reason_and_never_enters_the_log(worker, settings):
    alice, _, token = _registered(worker)
    alice.close()
    auth = {"Authorization": f"Bearer {token}"}
    cases = [({"text": "line one\nline two"}, "control character (U+000A)"),
             ({"text": "   "}, "text is empty"),
             ({"text": "a" * 1001}, "the limit is 1000"),
             ({"text": "hi", "user_id": "usr-someone-else"}, "unknown field(s): user_id")]
    with httpx.Client(base_url=worker.gateway_url, timeout=30, headers=auth) as http:
        for body, reason in cases:
            body["session_id"] = f"bad-{new_user()}"
            r = http.post("/v1/utterances", json=body)
            assert r.status_code == 400 and reason in r.json()["error"], (body, r.text)
            assert http.get(f"/v1/sessions/{body['session_id']}").status_code == 404
    logged = {orjson.loads(r)["session_id"] for r in _values(settings, topics.TEXT_SUBMITTED)}
    assert not any(sid.startswith("bad-") for sid in logged)


def _values(settings, topic: str) -> list[bytes]:
    from streams.topic_reader import read_topic_sync
    return [r.value for r in read_topic_sync(settings.kafka_bootstrap, topic)]


def test_an_uploaded_session_records_its_source_as_speech(client, say):
    upload = client.create_upload(new_user())
    client.put(upload, say("Where should I stay in Rome?"))
    status = client.wait_done(upload.session_id)
    assert status["status"] == "completed" and status["source"] == "speech"


def test_aurasense_say_prints_each_stage_then_the_answer(worker, capsys):
    client, user, token = _registered(worker)
    client.close()
    capsys.readouterr()
    code = cli_main(["say", "--gateway", worker.gateway_url, "--token", token,
                     "Hi, I'm new here, how does this work?"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out[0].startswith("session ") and f"(user {user}, typed text)" in out[0]
    steps = [line.split("s  ", 1)[1] for line in out[1:-2]]
    assert steps[0] in ("pending", "processing after gateway", "processing after text")
    assert steps[-1] == "completed after respond"
    assert out[-2].startswith("onboarding: ") and len(out[-2]) > len("onboarding: ")
    assert out[-1].startswith("reply audio: http")

    assert cli_main(["say", "--gateway", worker.gateway_url, "--token", token, "  "]) == 2
    assert "text is empty" in capsys.readouterr().err


def test_a_lost_text_event_is_sent_again_and_the_session_completes(worker, settings, s3):
    """The gateway notes where it put the text (upload-logged), so the sweeper can send it again
    if the text stage's event is committed but never processed (AURASENSE_CHAOS_DROP=text:1)."""
    worker.stop()  # the session worker makes way for one that loses the text event
    log_path = Path(settings.data_dir) / "logs" / "worker-chaos-text.log"
    drill = WorkerProcess(settings.with_(chaos_drop="text:1", lost_event_grace_s=2.0), log_path,
                          name="worker-chaos-text")
    try:
        drill.start()
        GatewayClient(drill.gateway_url).wait_ready()
        client = GatewayClient(drill.gateway_url)
        user = client.register()
        accepted = client.submit_text("Where should I stay in Paris?")
        status = client.wait_done(accepted["session_id"], timeout=120)
        client.close()
    finally:
        drill.stop()
        worker.start()
        GatewayClient(worker.gateway_url).wait_ready()
    session = accepted["session_id"]
    assert status["status"] == "completed" and status["source"] == "text", status
    lost = events_for(settings, topics.TEXT_SUBMITTED, session)
    assert len(lost) == 2 and lost[0] == lost[1]  # the very event, sent once more
    assert TextSubmitted.from_dict(lost[0]).user_id == user
    assert len(events_for(settings, topics.AUDIO_RESPONDED, session)) == 1
    assert reply_objects(s3, settings, user) == [status["response_audio_key"]]
    log = log_path.read_text()
    assert "chaos: text event" in log
    assert f"sweeper: session {session}: its event {topics.TEXT_SUBMITTED}/" in log
