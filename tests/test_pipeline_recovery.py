"""A worker SIGKILLed mid-stream and restarted: every session completes once, state survives."""

from __future__ import annotations

import time

from aurasense.client import GatewayClient
from schemas import topics
from tests.pipeline_helpers import events_for, new_user, reply_objects

SENTENCES = ("Where should I stay in London?", "Recommend a vegetarian dish in Paris.",
             "Where should I stay in New York?", "I'm hungry, what's good for lunch?",
             "Find me a hotel in Mumbai.", "What can I eat for dinner in London?")
VOLATILE = {"duplicates_ignored"}  # replays after the crash are counted there, by design


def _stable(status: dict) -> dict:
    return {k: v for k, v in status.items() if k not in VOLATILE}


def test_sigkilled_worker_recovers_and_every_session_completes_once(worker, client, settings, s3, say):
    user = new_user()
    onboard = client.create_upload(user)
    client.put(onboard, say("Hi, I'm new. My name is Sam and I live in London."))
    client.wait_done(onboard.session_id)

    sessions = speak_all(client, say, user, SENTENCES)
    before = _wait_some_completed(client, sessions, at_least=2)

    worker.kill()
    worker.start()
    GatewayClient(worker.gateway_url).wait_ready()

    after = {sid: client.wait_done(sid, timeout=180) for sid in sessions}
    assert all(s["status"] == "completed" for s in after.values()), after
    for sid, status in before.items():  # recovered table == table before the crash
        assert _stable(after[sid]) == _stable(status)
    for sid in sessions:
        keys = {e["reply_key"] for e in events_for(settings, topics.AUDIO_RESPONDED, sid)}
        assert keys == {after[sid]["response_audio_key"]}
    replies = reply_objects(s3, settings, user)
    assert sorted(replies) == sorted({s["response_audio_key"] for s in after.values()}
                                     | {f"{settings.reply_prefix}{user}/{onboard.session_id}.wav"})


def speak_all(client, say, user: str, sentences) -> list[str]:
    """Upload each sentence as a new session of ``user``; their session ids."""
    sessions = []
    for text in sentences:
        upload = client.create_upload(user)
        client.put(upload, say(text))
        sessions.append(upload.session_id)
    return sessions


def _wait_some_completed(client, sessions, at_least: int, timeout: float = 120) -> dict:
    """Statuses of the sessions completed so far, once ``at_least`` are (others still in flight)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        statuses = {sid: client.status(sid) for sid in sessions}
        done = {sid: s for sid, s in statuses.items() if s and s["status"] == "completed"}
        if len(done) >= at_least:
            return done
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} sessions completed in {timeout}s")
