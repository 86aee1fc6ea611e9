"""Records on the wire and the S3 event parser (AWS and MinIO shapes)."""

from __future__ import annotations

import orjson
import pytest

from schemas.events import AudioUploaded, DeadLetter, SessionStatus
from schemas.records import SchemaError
from schemas.s3_events import minio_event, parse_bucket_event
from schemas.topics import TABLES, TOPICS, all_topic_names

AWS_EVENT = {"Records": [{
    "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-2",
    "eventTime": "2026-11-24T12:00:00.250Z", "eventName": "ObjectCreated:Put",
    "s3": {"bucket": {"name": "audio", "arn": "arn:aws:s3:::audio"},
           "object": {"key": "uploads/u1/s%C3%A9ance+1.wav", "size": 4096,
                      "eTag": "\"0123abcd\"", "versionId": "v7",
                      "sequencer": "0055AED6DCD90281E5"}}}]}


def test_aws_shape_without_prefix_and_with_encoded_key():
    [obj] = parse_bucket_event(orjson.dumps(AWS_EVENT))
    assert obj.event_name == "ObjectCreated:Put" and obj.created
    assert (obj.bucket, obj.key) == ("audio", "uploads/u1/séance 1.wav")
    assert (obj.size, obj.etag, obj.version_id) == (4096, "0123abcd", "v7")
    assert obj.sequencer == "0055AED6DCD90281E5"
    assert obj.event_time == pytest.approx(1795521600.25)


def test_minio_shape_with_prefix_and_user_metadata():
    event = minio_event("audio", "uploads/u 2/s2.webm", size=10, etag="e1", sequencer="17",
                        content_type="audio/webm", metadata={"User-Id": "u2", "Session-Id": "s2"})
    assert event["Key"] == "audio/uploads/u 2/s2.webm"
    [obj] = parse_bucket_event(event)
    assert obj.event_name == "ObjectCreated:Put"
    assert obj.key == "uploads/u 2/s2.webm" and obj.content_type == "audio/webm"
    assert obj.user_metadata == {"user-id": "u2", "session-id": "s2"}


def test_minio_encodes_slashes_too():
    raw = minio_event("audio", "k", size=1)
    raw["Records"][0]["s3"]["object"]["key"] = "uploads%2Fu3%2Fs3.wav"
    assert parse_bucket_event(raw)[0].key == "uploads/u3/s3.wav"


def test_identity_ignores_the_sequencer_so_a_producer_event_matches_the_bucket_event():
    a = parse_bucket_event(minio_event("audio", "uploads/u/s.wav", size=1, etag="e", sequencer="1"))[0]
    b = parse_bucket_event(minio_event("audio", "uploads/u/s.wav", size=1, etag="e"))[0]
    c = parse_bucket_event(minio_event("audio", "uploads/u/s.wav", size=1, etag="other"))[0]
    assert a.identity == b.identity != c.identity


def test_removal_is_not_a_creation():
    [obj] = parse_bucket_event(minio_event("audio", "uploads/u/s.wav", size=0,
                                           event_name="s3:ObjectRemoved:Delete"))
    assert not obj.created


@pytest.mark.parametrize("raw, message", [
    (b"{nope", "not JSON"),
    (b"[]", "expected a JSON object"),
    (b"{}", "no 'Records'"),
    (orjson.dumps({"Records": [{"eventName": "s3:ObjectCreated:Put"}]}), "no 's3' object"),
    (orjson.dumps({"Records": [{"eventName": "x", "s3": {"bucket": {"name": "b"}, "object": {}}}]}),
     "no object key"),
    (orjson.dumps({"Records": [{"s3": {"bucket": {"name": "b"}, "object": {"key": "k"}}}]}),
     "no eventName"),
    (orjson.dumps({"Records": [{"eventName": "x", "s3": {"bucket": {"name": "b"},
                                                          "object": {"key": "k", "size": "big"}}}]}),
     "size is not a number"),
])
def test_malformed_notifications_say_what_is_wrong(raw, message):
    with pytest.raises(SchemaError, match=message):
        parse_bucket_event(raw)


def test_records_round_trip_and_reject_bad_payloads():
    event = AudioUploaded(session_id="s", user_id="u", bucket="b", key="k", size=3,
                          timings={"ingest": {"started_at": 1.0, "compute_ms": 0.0, "finished_at": 1.0}})
    assert AudioUploaded.decode(event.encode()) == event
    assert orjson.loads(event.encode())["schema_version"] == 1
    with pytest.raises(SchemaError, match="missing field 'size'"):
        AudioUploaded.decode(orjson.dumps({"session_id": "s", "user_id": "u", "bucket": "b", "key": "k"}))
    with pytest.raises(SchemaError, match="expected int, got str"):
        AudioUploaded.decode(orjson.dumps({**event.to_dict(), "size": "3"}))
    with pytest.raises(SchemaError, match="unsupported schema_version 2"):
        AudioUploaded.decode(orjson.dumps({**event.to_dict(), "schema_version": 2}))


def test_optional_fields_accept_null_and_default():
    status = SessionStatus.decode(orjson.dumps({"session_id": "s", "user_id": "u",
                                                "transcription": None}))
    assert status.status == "pending" and status.transcription is None
    letter = DeadLetter(origin_topic="t", origin_partition=0, origin_offset=5, error="e",
                        stage="ingest", payload="x")
    assert DeadLetter.decode(letter.encode()) == letter


def test_every_topic_and_changelog_is_listed_once():
    names = all_topic_names("aurasense")
    assert len(names) == len(set(names)) == len(TOPICS) + len(TABLES)
    assert "aurasense-session-status-changelog" in names
