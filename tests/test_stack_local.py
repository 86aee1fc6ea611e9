"""The local stack with real processes: uploads become MinIO-shaped events on bucket-events.

One module-scoped stack; the broker-restart test wipes the topic, so it runs last.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from urllib.parse import unquote_plus

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from schemas.topics import BUCKET_EVENTS
from stack.falkordb import ping
from stack.local import LocalStack


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with LocalStack(tmp_path_factory.mktemp("stack")) as s:
        yield s


@pytest.fixture(scope="module")
def s3(stack):
    return stack.s3.client()


async def _read_all(settings) -> list[dict]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False, fetch_max_wait_ms=50, request_timeout_ms=5000,
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(BUCKET_EVENTS, p) for p in range(settings.topic_partitions)])
        out, idle = [], 0
        while idle < 2:  # two empty polls in a row: caught up
            batch = await consumer.getmany(timeout_ms=150)
            idle = 0 if batch else idle + 1
            out += [{"key": m.key.decode(), **orjson.loads(m.value)} for ms in batch.values() for m in ms]
        return out
    finally:
        await consumer.stop()


def events_for(stack, keys: set[str], timeout: float = 20.0) -> list[dict]:
    """All bucket-events messages once every ``bucket/key`` in ``keys`` has arrived."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            events = asyncio.run(_read_all(stack.settings()))
        except Exception:  # broker coming back
            events = []
        if keys <= {e["key"] for e in events}:
            return events
        if time.monotonic() > deadline:
            missing = keys - {e["key"] for e in events}
            raise AssertionError(f"no event for {sorted(missing)} after {timeout}s")
        time.sleep(0.2)


def only(events: list[dict], key: str) -> list[dict]:
    return [e for e in events if e["key"] == key]


def test_settings_point_at_the_stack(stack):
    s = stack.settings()
    assert s.kafka_bootstrap == stack.broker.bootstrap and s.s3_endpoint == stack.s3.endpoint
    assert s.s3_access_key and s.s3_secret_key and s.audio_bucket == "audio"
    assert ping(Path(s.falkordb_socket))


def test_put_becomes_minio_event(stack, s3):
    put = s3.put_object(Bucket="audio", Key="uploads/a.wav", Body=b"RIFF....", ContentType="audio/wav",
                        Metadata={"user-id": "u-1"})
    [event] = only(events_for(stack, {"audio/uploads/a.wav"}), "audio/uploads/a.wav")
    assert event["EventName"] == "s3:ObjectCreated:Put" and event["Key"] == "audio/uploads/a.wav"
    record = event["Records"][0]
    assert record["eventVersion"] == "2.0" and record["eventSource"] == "minio:s3"
    assert record["s3"]["bucket"]["name"] == "audio"
    obj = record["s3"]["object"]
    assert unquote_plus(obj["key"]) == "uploads/a.wav"
    assert obj["eTag"] == put["ETag"].strip('"') and obj["size"] == 8
    assert obj["contentType"] == "audio/wav"
    assert obj["userMetadata"] == {"X-Amz-Meta-User-Id": "u-1"}
    assert len(obj["sequencer"]) == 16 and int(obj["sequencer"], 16) > 0


def test_key_with_spaces_and_unicode(stack, s3):
    key = "uploads/my voice note ü 日本.wav"
    s3.put_object(Bucket="audio", Key=key, Body=b"x")
    [event] = only(events_for(stack, {f"audio/{key}"}), f"audio/{key}")
    encoded = event["Records"][0]["s3"]["object"]["key"]
    assert " " not in encoded and "+" in encoded and unquote_plus(encoded) == key


def test_multipart_upload_is_one_event(stack, s3):
    key = "uploads/big.wav"
    upload = s3.create_multipart_upload(Bucket="audio", Key=key, Metadata={"user-id": "u-2"})
    parts = []
    for number, body in ((1, b"a" * (5 * 1024 * 1024)), (2, b"b" * 1024)):
        part = s3.upload_part(Bucket="audio", Key=key, PartNumber=number,
                              UploadId=upload["UploadId"], Body=body)
        parts.append({"PartNumber": number, "ETag": part["ETag"]})
    done = s3.complete_multipart_upload(Bucket="audio", Key=key, UploadId=upload["UploadId"],
                                        MultipartUpload={"Parts": parts})
    events = events_for(stack, {f"audio/{key}"})
    [event] = only(events, f"audio/{key}")
    obj = event["Records"][0]["s3"]["object"]
    assert event["EventName"].startswith("s3:ObjectCreated:")
    assert obj["eTag"] == done["ETag"].strip('"') and obj["size"] == 5 * 1024 * 1024 + 1024
    assert obj["userMetadata"] == {"X-Amz-Meta-User-Id": "u-2"}
    assert not [e for e in events if ".uploads" in e["key"] or e["key"].endswith(".part")]


def test_tagging_is_silent_and_delete_is_reported(stack, s3):
    s3.put_object_tagging(Bucket="audio", Key="uploads/a.wav",
                          Tagging={"TagSet": [{"Key": "t", "Value": "v"}]})
    s3.delete_object(Bucket="audio", Key="uploads/a.wav")
    s3.put_object(Bucket="audio", Key="uploads/marker-1", Body=b"m")
    events = only(events_for(stack, {"audio/uploads/marker-1"}), "audio/uploads/a.wav")
    assert [e["EventName"] for e in events] == ["s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"]
    assert "size" not in events[1]["Records"][0]["s3"]["object"]


def test_no_upload_missed_across_notifier_crash_and_s3_restart(stack, s3):
    stack.kill_notifier()
    s3.put_object(Bucket="audio", Key="uploads/while-notifier-down", Body=b"1")
    stack.restart_s3()
    s3.put_object(Bucket="audio", Key="uploads/after-s3-restart", Body=b"2")
    stack.start_notifier()
    events_for(stack, {"audio/uploads/while-notifier-down", "audio/uploads/after-s3-restart"})


def test_no_upload_missed_across_s3_restart_with_notifier_running(stack, s3):
    s3.put_object(Bucket="audio", Key="uploads/before-restart", Body=b"1")
    stack.restart_s3()
    s3.put_object(Bucket="audio", Key="uploads/after-restart", Body=b"2")
    events_for(stack, {"audio/uploads/before-restart", "audio/uploads/after-restart"})


def test_notifier_graceful_restart(stack, s3):
    stack.restart_notifier()
    s3.put_object(Bucket="audio", Key="uploads/after-notifier-restart", Body=b"3")
    events_for(stack, {"audio/uploads/after-notifier-restart"})


def notifier_retrying(stack, since: int, timeout: float = 30.0) -> None:
    """Wait until the notifier's log, past byte ``since``, says a send failed and will be retried:
    it has read the upload and holds it."""
    log, deadline = stack.notifier.log_path, time.monotonic() + timeout
    while b"send failed, will retry" not in log.read_bytes()[since:]:
        if time.monotonic() > deadline:
            raise AssertionError(f"the notifier never tried to send within {timeout}s")
        time.sleep(0.05)


def test_uploads_while_broker_down_arrive_after_it_returns(stack, s3):
    """Memory storage: the restarted broker is empty; what was uploaded meanwhile must arrive."""
    stack.stop_broker()
    since = stack.notifier.log_path.stat().st_size
    s3.put_object(Bucket="audio", Key="uploads/while-broker-down", Body=b"4")
    notifier_retrying(stack, since)  # it read the upload and failed against the dead broker
    stack.start_broker()
    s3.put_object(Bucket="audio", Key="uploads/after-broker-back", Body=b"5")
    events = events_for(stack, {"audio/uploads/while-broker-down", "audio/uploads/after-broker-back"})
    assert only(events, "audio/uploads/while-broker-down")


def test_event_read_while_broker_down_survives_s3_crash(stack, s3):
    """The notifier holds what it read; the crashed filer's unflushed change log is not needed."""
    stack.stop_broker()
    since = stack.notifier.log_path.stat().st_size
    s3.put_object(Bucket="audio", Key="uploads/before-s3-crash", Body=b"6")
    notifier_retrying(stack, since)  # the notifier read it and keeps retrying the send
    stack.s3.process.kill()  # SIGKILL: the filer's change log was not flushed
    stack.s3.start()
    stack.start_broker()
    events_for(stack, {"audio/uploads/before-s3-crash"})


def _children_of(data_dir: Path) -> list[int]:
    """Pids of live processes whose command line mentions ``data_dir``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(data_dir).encode() in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_two_stacks_side_by_side_and_clean_stop(stack, s3, tmp_path):
    other = LocalStack(tmp_path / "other").start()
    try:
        assert other.settings().kafka_bootstrap != stack.settings().kafka_bootstrap
        other.s3.client().put_object(Bucket="audio", Key="uploads/other", Body=b"o")
        s3.put_object(Bucket="audio", Key="uploads/mine", Body=b"m")
        assert not only(events_for(other, {"audio/uploads/other"}), "audio/uploads/mine")
        assert not only(events_for(stack, {"audio/uploads/mine"}), "audio/uploads/other")
        pids = other.pids()
        assert len(pids) == 4
    finally:
        other.stop()
    other.stop()  # idempotent
    assert not [p for p in pids if _alive(p)]
    assert _children_of(other.data_dir) == []
