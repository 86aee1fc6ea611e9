"""The broker SIGKILLed mid-stream and started again (one node, log dirs on disk): every
session completes exactly once, statuses from before the crash are still served, and the worker
rides it out."""

from __future__ import annotations

from schemas import topics
from tests.pipeline_helpers import events_for, new_user, reply_objects
from tests.test_pipeline_recovery import _stable, _wait_some_completed, speak_all

SENTENCES = ("Where should I stay in Paris?", "Recommend a vegan dish in London.",
             "Find me a hotel in Lagos.", "What can I eat for dinner in Mumbai?",
             "Where should I stay in New York?", "I'd like something spicy in Lagos.")


def test_sigkilled_broker_restarts_and_every_session_completes_once(
        pipeline_stack, worker, client, settings, s3, say):
    user = new_user()
    sessions = speak_all(client, say, user, SENTENCES)
    before = _wait_some_completed(client, sessions, at_least=2)

    pipeline_stack.kill_broker()
    pipeline_stack.start_broker()

    after = {sid: client.wait_done(sid, timeout=240) for sid in sessions}
    assert worker.process.running(), "the worker died with the broker"
    assert all(s["status"] == "completed" for s in after.values()), after
    for sid, status in before.items():  # completed before the crash: still served, unchanged
        assert _stable(after[sid]) == _stable(status)
    for sid in sessions:  # one reply per session, however often an event was redelivered
        keys = {e["reply_key"] for e in events_for(settings, topics.AUDIO_RESPONDED, sid)}
        assert keys == {after[sid]["response_audio_key"]}
    assert sorted(reply_objects(s3, settings, user)) == sorted(
        s["response_audio_key"] for s in after.values())
