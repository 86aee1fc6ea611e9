"""Bad input keeps the pipeline running and loses nothing: a readable failure or a dead letter."""

from __future__ import annotations

import io
import wave

import orjson
import pytest

from schemas import topics
from streams.topic_reader import read_topic_sync
from tests.conftest import TEST_MAX_UPLOAD_BYTES
from tests.pipeline_helpers import new_user, publish, wait_consumed


def _put_object(s3, settings, user: str, name: str, data: bytes, content_type: str) -> str:
    key = f"{settings.upload_prefix}{user}/{name}"
    s3.put_object(Bucket=settings.audio_bucket, Key=key, Body=data, ContentType=content_type)
    return name.rsplit(".", 1)[0]


def _corrupt_wav(good: bytes) -> bytes:
    return good[:44] + b"\x00garbage" * 3  # header promises far more data than follows


def _silent_wav(seconds: float = 2.0) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buf.getvalue()


@pytest.mark.parametrize("name, data, content_type, reason", [
    ("notes.txt", b"this is not audio at all, just some text", "text/plain", "unsupported audio format"),
    ("empty.wav", b"", "audio/wav", "empty audio file"),
    ("huge.wav", b"RIFF" + b"\x00" * (TEST_MAX_UPLOAD_BYTES + 10), "audio/wav", "file too large"),
    ("silence.wav", _silent_wav(), "audio/wav", "no speech detected"),
])
def test_unusable_upload_fails_with_a_reason(client, s3, settings, name, data, content_type, reason):
    session = _put_object(s3, settings, new_user(), name, data, content_type)
    status = client.wait_done(session)
    assert status["status"] == "failed"
    assert reason in status["error_message"]
    assert status["completed_at"] is not None


def test_corrupt_wav_fails_with_a_reason(client, s3, settings, say):
    session = _put_object(s3, settings, new_user(), "broken.wav",
                          _corrupt_wav(say("Hello there")), "audio/wav")
    status = client.wait_done(session)
    assert status["status"] == "failed"
    assert "corrupt WAV" in status["error_message"]


def test_malformed_notifications_are_dead_lettered_with_origin_and_the_next_upload_completes(
        client, settings, say):
    bad = [b"{not json", orjson.dumps({"Records": "nope"}),
           orjson.dumps({"Records": [{"eventName": "s3:ObjectCreated:Put", "s3": {}}]})]
    sent = publish(settings, [(topics.BUCKET_EVENTS, b"audio/bad", v) for v in bad])
    upload = client.create_upload(new_user())
    client.put(upload, say("Where should I stay in New York?"))
    assert client.wait_done(upload.session_id)["status"] == "completed"

    letters = [orjson.loads(r.value) for r in read_topic_sync(settings.kafka_bootstrap,
                                                                topics.DEAD_LETTER)]
    for meta, payload in zip(sent, bad):
        letter = next(d for d in letters if (d["origin_topic"], d["origin_partition"],
                                             d["origin_offset"]) == (meta.topic, meta.partition, meta.offset))
        assert letter["payload"] == payload.decode()
        assert letter["stage"] == "ingest" and letter["error"]


def test_malformed_stage_event_is_dead_lettered(client, settings):
    sent = publish(settings, [(topics.AUDIO_UPLOADED, b"s-bad", orjson.dumps({"session_id": 42}))])
    wait_consumed(settings, sent)
    letters = [orjson.loads(r.value) for r in read_topic_sync(settings.kafka_bootstrap,
                                                                topics.DEAD_LETTER)]
    letter = next(d for d in letters if d["origin_topic"] == topics.AUDIO_UPLOADED
                  and d["origin_offset"] == sent[0].offset and d["origin_partition"] == sent[0].partition)
    assert letter["stage"] == "transcribe"
    assert "session_id" in letter["error"]
