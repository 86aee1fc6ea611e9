"""Stages and the status fold with a plain event in hand (no broker)."""

from __future__ import annotations

from core.settings import Settings
from schemas.events import (AudioResponded, AudioTranscribed, AudioUploaded, RequestRouted,
                            SessionFailed)
from schemas.s3_events import ObjectEvent
from streams.stages import ingest
from streams.stages.respond import reply_key
from streams.status import apply, stage_done

SETTINGS = Settings(max_upload_bytes=1000)


def _obj(key: str, size: int = 100, **kw) -> ObjectEvent:
    return ObjectEvent(event_name="ObjectCreated:Put", bucket="audio", key=key, size=size,
                       etag="e", **kw)


def test_ingest_takes_user_and_session_from_the_key():
    event = ingest.process(_obj("uploads/u1/s1.wav"), SETTINGS, now=10.0)
    assert (event.user_id, event.session_id, event.key, event.rejection) == ("u1", "s1", "uploads/u1/s1.wav", "")
    assert set(event.timings) == {"ingest"}


def test_identity_comes_from_the_key_and_metadata_may_only_repeat_it():
    same = ingest.process(_obj("uploads/u1/s1.wav", user_metadata={"user-id": "u1", "session-id": "s1"}), SETTINGS)
    assert (same.user_id, same.session_id, same.rejection) == ("u1", "s1", "")
    for claimed in ({"user-id": "victim"}, {"session-id": "someone-elses"}):
        forged = ingest.process(_obj("uploads/u1/s1.wav", user_metadata=claimed), SETTINGS)
        assert (forged.user_id, forged.session_id) == ("u1", "s1")  # the key's, never the claim
        assert forged.rejection.startswith("refused: the upload's metadata names another")


def test_a_key_without_a_safe_session_name_gets_a_stable_derived_one():
    odd = ingest.process(_obj("uploads/u1/weird name!.wav"), SETTINGS)
    assert len(odd.session_id) == 36  # uuid5 of bucket/key: stable across redeliveries
    assert odd.session_id == ingest.process(_obj("uploads/u1/weird name!.wav"), SETTINGS).session_id


def test_ingest_ignores_other_prefixes_buckets_and_removals():
    assert ingest.process(_obj("replies/u1/s1.wav"), SETTINGS) is None
    assert ingest.process(ObjectEvent("ObjectCreated:Put", "other", "uploads/u/s.wav", 5), SETTINGS) is None
    assert ingest.process(ObjectEvent("ObjectRemoved:Delete", "audio", "uploads/u/s.wav"), SETTINGS) is None


def test_the_events_size_is_not_trusted_and_folder_markers_are_not_uploads():
    # size -1 or 0 in the event says nothing: transcribe reads the object's real bytes
    assert ingest.process(_obj("uploads/u/s.wav", size=0), SETTINGS).rejection == ""
    assert ingest.process(_obj("uploads/u/", size=0), SETTINGS) is None


def _flow():
    base = dict(session_id="s", user_id="u")
    return [
        AudioUploaded(**base, bucket="audio", key="uploads/u/s.wav", size=5, uploaded_at=1.0,
                      timings={"ingest": {"started_at": 1, "compute_ms": 0, "finished_at": 1}}),
        AudioTranscribed(**base, bucket="audio", key="k", text="hello", language="en"),
        RequestRouted(**base, text="hello", agent="food"),
        AudioResponded(**base, agent="food", text="hello", reply_text="Try the jollof.",
                       reply_bucket="audio", reply_key="replies/u/s.wav", reply_url="http://x"),
    ]


def test_status_folds_the_stages_into_the_seed_fields():
    status = None
    for event in _flow():
        status = apply(status, event, now=5.0)
    assert status.status == "completed" and status.stage == "respond"
    assert (status.transcription, status.agent_used, status.response_text) == ("hello", "food", "Try the jollof.")
    assert status.response_audio_url == "http://x" and status.completed_at == 5.0
    assert "ingest" in status.timings


def test_a_finished_session_changes_only_its_duplicate_count():
    status = None
    for event in _flow():
        status = apply(status, event)
    again = apply(status, _flow()[-1])
    assert again.replace(duplicates_ignored=0) == status and again.duplicates_ignored == 1
    late_failure = apply(status, SessionFailed(session_id="s", user_id="u", stage="respond", error_message="x"))
    assert late_failure.status == "completed"


def test_a_rejected_upload_fails_at_once_and_a_new_attempt_starts_afresh():
    rejected = apply(None, AudioUploaded(session_id="s", user_id="u", bucket="b", key="k", size=0,
                                         rejection="empty audio file"))
    assert rejected.status == "failed" and rejected.error_message == "empty audio file"
    retry = apply(rejected, AudioUploaded(session_id="s", user_id="u", bucket="b", key="k", size=5, attempt=2))
    assert (retry.status, retry.attempt, retry.error_message) == ("processing", 2, None)
    assert not stage_done(retry, "transcribe", 2)  # the old attempt's stages do not count


def test_stage_done_skips_replays_of_the_same_attempt_only():
    status = None
    for event in _flow()[:2]:
        status = apply(status, event, done="transcribe" if isinstance(event, AudioTranscribed) else None)
    assert status.stages_done == ["transcribe"]
    assert stage_done(status, "transcribe", 1)
    assert not stage_done(status, "route", 1)
    assert not stage_done(status, "transcribe", 2)
    assert stage_done(status, "transcribe", 0)
    assert not stage_done(None, "transcribe", 1)


def test_reply_key_is_a_function_of_the_session():
    assert reply_key("replies/", "u", "s") == reply_key("replies/", "u", "s") == "replies/u/s.wav"


def test_newer_content_at_a_key_is_the_next_attempt_and_an_old_redelivery_is_not():
    from streams.runner import newer_content_is_a_new_attempt

    first = AudioUploaded(session_id="s", user_id="u", bucket="audio", key="uploads/u/s.wav",
                          size=5, etag="A", uploaded_at=10.0)
    status = apply(None, first)
    newer = first.replace(etag="B", uploaded_at=20.0)
    assert newer_content_is_a_new_attempt(newer, status).attempt == 2
    assert newer_content_is_a_new_attempt(first, status).attempt == 1  # the same upload again
    status2 = apply(status, newer.replace(attempt=2))
    assert newer_content_is_a_new_attempt(first, status2).attempt == 1  # old one redelivered
    assert stage_done(status2, "transcribe", 1)


def test_done_stages_are_recorded_per_attempt_not_read_from_timings():
    uploaded, transcribed = _flow()[:2]
    status = apply(apply(None, uploaded), transcribed, done="transcribe")
    timed_only = apply(apply(None, uploaded),
                       transcribed.replace(timings={**transcribed.timings, "route": {"compute_ms": 1.0}}))
    assert not stage_done(timed_only, "route", 1)  # a timing copied along is not a stage run
    retry = apply(status, uploaded.replace(attempt=2))
    assert status.stages_done == ["transcribe"] and retry.stages_done == []
    assert stage_done(status, "transcribe", 1) and not stage_done(retry, "transcribe", 2)


def test_where_ingest_logged_the_upload_is_the_last_event_until_transcribe_runs():
    from schemas.events import SessionIssued, UploadLogged

    note = UploadLogged(session_id="s", user_id="u", at="audio-uploaded/1@7")
    assert apply(None, note).last_event == "audio-uploaded/1@7"
    issued = apply(None, SessionIssued(session_id="s", user_id="u", key="k", issued_at=1.0,
                                       expires_at=2.0))
    noted = apply(issued, note)
    assert (noted.status, noted.last_event) == ("pending", "audio-uploaded/1@7")
    running = apply(noted, _flow()[0], at="audio-uploaded/1@7")
    assert apply(running, note.replace(at="audio-uploaded/1@9")).last_event == "audio-uploaded/1@7"
