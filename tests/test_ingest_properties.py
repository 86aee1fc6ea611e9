"""Property tests (hypothesis) over the S3 event parser and ingest: whatever a notification holds,
the parser returns valid objects and a reason for each bad record, or one reason for the whole
notification; never another exception. What ingest makes of a valid object always encodes and
decodes back, and its key obeys the key rules."""

from __future__ import annotations

import json
from types import SimpleNamespace

from hypothesis import given, settings as hsettings, strategies as st

from core.settings import Settings
from schemas.events import AudioUploaded
from schemas.records import SchemaError
from schemas.s3_events import MAX_KEY_BYTES, key_problem, parse_bucket_records
from streams.stages import ingest
from tests.pipeline_helpers import RecordingOutbox

SETTINGS = Settings()

anything = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12)
sizes = st.integers(min_value=-2 ** 70, max_value=2 ** 70) | st.sampled_from([-1, 0, 2 ** 63, 2 ** 64]) | anything
keys = (st.text(max_size=40) | st.sampled_from(
    ["uploads/u1/s1.wav", "uploads/u1/", "uploads/../u2/s.wav", "uploads/u1/a\nb.wav",
     "uploads\\u1\\s.wav", "uploads/u1/" + "x" * 1100 + ".wav", "uploads/u1/%0A.wav"]) | anything)
metadata = st.dictionaries(st.sampled_from(["X-Amz-Meta-User-Id", "X-Amz-Meta-Session-Id", "x"]),
                           st.text(max_size=12) | anything, max_size=2)


@st.composite
def records(draw):
    obj = {"key": draw(keys), "size": draw(sizes), "eTag": draw(st.text(max_size=8) | anything),
           "userMetadata": draw(metadata | anything)}
    record = {"eventName": draw(st.sampled_from(["s3:ObjectCreated:Put", "ObjectCreated:Post", ""])
                                | anything),
              "s3": {"bucket": {"name": draw(st.sampled_from(["audio", "other", ""]) | anything)},
                     "object": obj}}
    return draw(st.sampled_from([record, {"s3": record["s3"]}, draw(anything)]))


notifications = st.one_of(
    st.builds(lambda rs: {"Records": rs}, st.lists(records(), min_size=0, max_size=4)),
    anything,
    st.just({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "audio"}))


@hsettings(max_examples=4 * hsettings.default.max_examples, deadline=None)  # 400; 80 in `make check`
@given(notifications)
def test_any_notification_parses_into_objects_and_reasons_and_ingest_never_breaks(data):
    raw = json.dumps(data).encode()  # the stdlib writes integers of any size, as a hostile producer may
    try:
        objects, errors = parse_bucket_records(raw)
    except SchemaError:
        return  # not a notification at all: one reason, the whole event dead-lettered
    assert all(isinstance(e, SchemaError) and str(e) for e in errors)
    for obj in objects:
        assert key_problem(obj.key) == "" and len(obj.key.encode()) <= MAX_KEY_BYTES
        assert 0 <= obj.size <= 5 * 1024 ** 4
        uploaded = ingest.process(obj, SETTINGS)
        if uploaded is not None:
            assert AudioUploaded.decode(uploaded.encode()) == uploaded
            assert not uploaded.key.endswith("/")


def test_a_valid_record_beside_an_invalid_one_still_goes_on():
    good = {"eventName": "s3:ObjectCreated:Put",
            "s3": {"bucket": {"name": "audio"}, "object": {"key": "uploads/u1/s1.wav", "size": 10}}}
    bad = {"eventName": "s3:ObjectCreated:Put", "s3": {"bucket": {}, "object": {"key": "uploads/u1/s2.wav"}}}
    objects, errors = parse_bucket_records(json.dumps({"Records": [bad, good]}))
    assert [o.key for o in objects] == ["uploads/u1/s1.wav"]
    assert [str(e) for e in errors] == ["bucket event record 0: no bucket name"]


def test_hostile_keys_are_refused_with_a_reason_that_never_echoes_them():
    for key in ("uploads/u1/a\nFORGED.wav", "uploads/../u2/s.wav", "uploads\\u1\\s.wav",
                "uploads/u1/" + "x" * 1100):
        record = {"eventName": "s3:ObjectCreated:Put",
                  "s3": {"bucket": {"name": "audio"}, "object": {"key": key, "size": 1}}}
        objects, errors = parse_bucket_records(json.dumps({"Records": [record]}))
        assert objects == [] and len(errors) == 1
        assert "FORGED" not in str(errors[0]) and "\n" not in str(errors[0])


def test_the_aws_test_event_is_ignored():
    assert parse_bucket_records(json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})) == ([], [])


# --- the ingest stage under its runner, with a plain notification in hand --------------------

def test_the_ingest_runner_sends_each_new_upload_once_and_dead_letters_only_the_bad_record():
    import asyncio

    from schemas import topics
    from streams.ingest_runner import IngestRunner
    from streams.pipeline import STAGES

    stage = next(s for s in STAGES if s.name == "ingest")
    outbox, seen = RecordingOutbox(), {}
    runner = IngestRunner(stage, SETTINGS, seen, outbox)
    good = {"eventName": "s3:ObjectCreated:Put", "s3": {"bucket": {"name": "audio"},
            "object": {"key": "uploads/u1/s1.wav", "size": 10, "eTag": "e1"}}}
    bad = {"eventName": "s3:ObjectCreated:Put", "s3": {"bucket": {}, "object": {"key": "uploads/u1/s2.wav"}}}
    notification = json.dumps({"Records": [bad, good]}).encode()
    asyncio.run(runner.handle(notification, SimpleNamespace(topic=topics.BUCKET_EVENTS, partition=0, offset=7)))
    asyncio.run(runner.handle(notification, SimpleNamespace(topic=topics.BUCKET_EVENTS, partition=0, offset=8)))
    where = [topic for topic, _ in outbox.sent]
    assert where == ["dead-letter", topics.AUDIO_UPLOADED, topics.UPLOAD_LOGGED, "dead-letter"]
    uploaded = outbox.sent[1][1]
    assert (uploaded.user_id, uploaded.session_id) == ("u1", "s1")
    assert outbox.sent[2][1].at == f"{topics.AUDIO_UPLOADED}/0@1"  # where the upload landed


def test_the_pipeline_table_is_the_one_list_of_stages():
    from schemas import topics
    from streams.pipeline import NOTES, SPEECH_PATH, STAGES, path_from

    assert SPEECH_PATH == ("ingest", "transcribe", "route", "respond")
    assert path_from(topics.TEXT_SUBMITTED) == ("text", "route", "respond")
    read = {s.source for s in STAGES} | {topic for _, topic, _ in NOTES}
    assert read == set(topics.CONSUMED_TOPICS)  # every consumed topic has its row
