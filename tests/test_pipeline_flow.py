"""The whole flow: presigned upload → bucket notification → four stages → status + reply audio."""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from schemas import topics
from streams.topic_reader import read_topic_sync
from tests.pipeline_helpers import (assert_valid_wav, events_for, fetch, new_user,
                                    publish, reply_objects, wait_consumed)

STAGES = ("ingest", "transcribe", "route", "respond")


def test_several_uploads_complete_with_spoken_replies(client, settings, s3, say):
    user = new_user()
    said = [("Hi, I'm new here. My name is Grace and I live in London.", "onboarding", "london"),
            ("I'm hungry, what can I eat for dinner tonight?", "food", "dinner"),
            ("Where should I stay in Paris?", "travel", "paris")]
    for n, (text, agent, word) in enumerate(said):
        upload = client.create_upload(user)
        wav = say(text)
        # Both presigned forms a client may use: PUT and the POST policy form.
        client.put(upload, wav) if n % 2 == 0 else client.post_form(upload, wav)
        status = client.wait_done(upload.session_id)

        assert status["status"] == "completed", status
        assert status["session_id"] == upload.session_id and status["user_id"] == user
        assert word in status["transcription"].lower()
        assert status["agent_used"] == agent
        assert status["response_text"] and status["error_message"] is None
        assert status["input_key"] == upload.key
        profile = status["voice_profile"]
        assert profile["language"] == "en" and profile["duration_s"] > 1
        assert 60 < profile["words_per_minute"] < 300 and 50 < profile["median_pitch_hz"] < 400
        assert profile["cultural_voice_preference"]["language"] == "en"
        assert "voiceprint" not in profile  # biometric: internal topics only
        assert status["cultural_context"]["reply_voice"] == profile["cultural_voice_preference"]
        assert set(STAGES) <= set(status["timings"])
        assert status["completed_at"] >= status["created_at"] > 0
        assert assert_valid_wav(fetch(status["response_audio_url"])) > 0.5
    assert len(reply_objects(s3, settings, user)) == len(said)


def test_each_stage_emits_its_own_topic_keyed_by_session(client, settings, say):
    upload = client.create_upload(new_user())
    client.put(upload, say("Where should I stay in London?"))
    status = client.wait_done(upload.session_id)
    assert status["status"] == "completed"
    for topic in (topics.AUDIO_UPLOADED, topics.AUDIO_TRANSCRIBED, topics.REQUEST_ROUTED,
                  topics.AUDIO_RESPONDED):
        events = events_for(settings, topic, upload.session_id)
        assert len(events) == 1, topic
        assert events[0]["schema_version"] == 1
    # respond is carried on in route's task (streams/carried_on.py): it ran there, once, and its
    # own agent's read of request-routed was no duplicate.
    log = (Path(settings.data_dir) / "logs" / "worker.log").read_text()
    assert f"respond: session {upload.session_id} done, carried on ({topics.REQUEST_ROUTED}/" in log
    assert status["duplicates_ignored"] == 0


def test_duplicate_notification_and_replayed_event_give_no_second_reply(client, settings, s3, say):
    user = new_user()
    upload = client.create_upload(user)
    client.put(upload, say("Recommend me a vegetarian dish in Mumbai."))
    before = client.wait_done(upload.session_id)
    assert before["status"] == "completed"

    # Re-deliver the very notification the notifier sent, and replay the stage event.
    notification = next(r for r in read_topic_sync(settings.kafka_bootstrap, topics.BUCKET_EVENTS)
                        if upload.key.encode() in (r.key or b""))
    uploaded = events_for(settings, topics.AUDIO_UPLOADED, upload.session_id)[0]
    sent = publish(settings, [
        (topics.BUCKET_EVENTS, notification.key, notification.value),
        (topics.AUDIO_UPLOADED, upload.session_id.encode(), orjson.dumps(uploaded)),
        (topics.REQUEST_ROUTED, upload.session_id.encode(),
         orjson.dumps(events_for(settings, topics.REQUEST_ROUTED, upload.session_id)[0])),
    ])
    wait_consumed(settings, sent)

    after = client.status(upload.session_id)
    assert after["completed_at"] == before["completed_at"]
    assert after["duplicates_ignored"] >= 2  # the two replayed stage events
    assert after["response_audio_key"] == before["response_audio_key"]
    assert len(events_for(settings, topics.AUDIO_TRANSCRIBED, upload.session_id)) == 1
    assert len(events_for(settings, topics.AUDIO_RESPONDED, upload.session_id)) == 1
    assert reply_objects(s3, settings, user) == [before["response_audio_key"]]


def test_bucket_expires_audio_after_the_cleanup_hours(worker, s3, settings):
    rules = s3.get_bucket_lifecycle_configuration(Bucket=settings.audio_bucket)["Rules"]
    by_prefix = {r["Filter"]["Prefix"]: r["Expiration"]["Days"] for r in rules}
    expected_days = -(-settings.cleanup_audio_files_hours // 24)
    assert by_prefix == {settings.upload_prefix: expected_days, settings.reply_prefix: expected_days}


def test_identical_audio_is_answered_from_the_transcription_cache(client, settings, say):
    wav = say("What can I eat for lunch in Paris?")
    first, second = client.create_upload(new_user()), client.create_upload(new_user())
    client.put(first, wav)
    client.wait_done(first.session_id)
    client.put(second, wav)
    status = client.wait_done(second.session_id)
    assert status["status"] == "completed"
    events = {sid: events_for(settings, topics.AUDIO_TRANSCRIBED, sid)[0]
              for sid in (first.session_id, second.session_id)}
    assert events[first.session_id]["from_cache"] is False
    assert events[second.session_id]["from_cache"] is True
    assert events[second.session_id]["text"] == events[first.session_id]["text"]
    assert status["timings"]["transcribe"]["compute_ms"] < 200  # no model run


def test_new_audio_at_the_same_key_is_answered_as_the_next_attempt(client, say):
    upload = client.create_upload(new_user())
    client.put(upload, say("Where should I stay in London?"))
    first = client.wait_done(upload.session_id)
    assert first["status"] == "completed" and "london" in first["transcription"].lower()
    client.put(upload, say("Recommend a vegetarian dish in Paris."))  # the same presigned PUT
    deadline = time.monotonic() + 120
    while True:
        second = client.status(upload.session_id)
        if second["attempt"] == 2 and second["status"] in ("completed", "failed"):
            break
        assert time.monotonic() < deadline, second
        time.sleep(0.05)
    assert second["status"] == "completed" and "paris" in second["transcription"].lower()
    assert second["response_audio_key"] == first["response_audio_key"]  # the reply, replaced
