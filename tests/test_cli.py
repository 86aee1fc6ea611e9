"""The ``aurasense`` CLI against the session's real stack and worker (called in-process)."""

from __future__ import annotations

import time
import uuid

import orjson
import pytest

from aurasense.cli import main
from schemas import topics
from schemas.events import AudioUploaded, DeadLetter, SessionStatus
from streams.status import apply, stage_done
from tests.pipeline_helpers import events_for, new_user, publish

COMMANDS = ([], ["topics"], ["tail"], ["replay"], ["loadtest"])


def test_a_new_attempt_starts_with_fresh_timings():
    """The status fold forgets attempt 1's stages when attempt 2 starts: if it kept them,
    ``stage_done`` would see "route" done and a reprocessed session would stall after transcribe."""
    old = SessionStatus(session_id="s", user_id="u", status="completed", stages_done=["transcribe", "route"],
                        timings={"route": {"started_at": 1.0, "compute_ms": 1.0, "finished_at": 1.0}})
    new = AudioUploaded(session_id="s", user_id="u", attempt=2, bucket="b", key="k", size=1)
    assert "route" not in apply(old, new).timings
    assert not stage_done(apply(old, new), "route", 2)


@pytest.fixture
def cli(settings, capsys):
    """``cli(*argv) -> (exit code, stdout)`` with the stack's connection options."""
    def _run(*argv: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["--bootstrap", settings.kafka_bootstrap, "--app-id", settings.app_id, *argv])
        return code, capsys.readouterr().out
    return _run


def _complete(client, say, text: str) -> dict:
    upload = client.create_upload(new_user())
    client.put(upload, say(text))
    status = client.wait_done(upload.session_id)
    assert status["status"] == "completed", status
    return status


@pytest.fixture(scope="module")
def done(client, say) -> dict:
    """One utterance that went all the way through."""
    return _complete(client, say, "Can you recommend a good curry for dinner?")


def _wait_status(client, session_id: str, ok, timeout: float = 20.0) -> dict:
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        status = client.status(session_id)
        if status and ok(status):
            return status
        time.sleep(0.1)
    raise AssertionError(f"status of {session_id} never matched: {status}")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "aurasense")
def test_help_works_for_every_command(command, capsys):
    assert main([*command, "--help"]) == 0
    assert "usage: aurasense" in capsys.readouterr().out


def test_usage_errors_exit_2_and_unreachable_broker_or_gateway_exit_3(capsys):
    assert main(["tail"]) == 2  # TOPIC missing
    assert main(["replay", "--to-stdout"]) == 2  # neither --topic nor --from-file
    assert main(["replay", "--topic", "x", "--reprocess"]) == 2  # --reprocess needs --into-pipeline
    assert main(["--bootstrap", "127.0.0.1:1", "topics"]) == 3
    assert main(["loadtest", "--uploads", "1", "--gateway", "http://127.0.0.1:1"]) == 3


def test_topics_lists_partitions_and_record_counts(cli, done, settings):
    code, out = cli("topics", "--json")
    assert code == 0
    listed = {t["name"]: t for t in orjson.loads(out)}
    assert listed[topics.AUDIO_RESPONDED]["partitions"] == settings.topic_partitions
    assert listed[topics.AUDIO_RESPONDED]["records"] >= 1
    assert listed[topics.BUCKET_EVENTS]["records"] >= 1


def test_tail_shows_a_session_across_topics(cli, done):
    sid = done["session_id"]
    code, out = cli("tail", "all", "--session", sid, "--json")
    assert code == 0
    records = [orjson.loads(line) for line in out.splitlines()]
    seen = {r["topic"] for r in records}
    assert {topics.BUCKET_EVENTS, topics.AUDIO_UPLOADED, topics.AUDIO_TRANSCRIBED,
            topics.REQUEST_ROUTED, topics.AUDIO_RESPONDED} <= seen
    assert all(r["key"] == sid for r in records if r["topic"] != topics.BUCKET_EVENTS)
    code, out = cli("tail", topics.AUDIO_RESPONDED, "--session", sid)  # pretty text
    assert code == 0 and sid in out and "reply_text:" in out
    code, out = cli("tail", "status", "--session", sid, "--json")  # the status changelog
    assert code == 0 and orjson.loads(out.splitlines()[-1])["value"]["status"] == "completed"


def test_replay_to_stdout_by_offset_range(cli, done):
    sid = done["session_id"]
    _, out = cli("tail", topics.AUDIO_TRANSCRIBED, "--session", sid, "--json")
    mine = orjson.loads(out.splitlines()[0])
    code, out = cli("replay", "--topic", topics.AUDIO_TRANSCRIBED, "--partition",
                    str(mine["partition"]), "--from-offset", str(mine["offset"]),
                    "--to-offset", str(mine["offset"]), "--to-stdout")
    assert code == 0
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert [(r["partition"], r["offset"], r["key"]) for r in lines] == \
        [(mine["partition"], mine["offset"], sid)]
    assert lines[0]["value"]["text"] == done["transcription"]
    code, _ = cli("replay", "--topic", topics.AUDIO_TRANSCRIBED, "--from-offset", "999999")
    assert code == 1  # nothing matched


def test_replay_into_pipeline_is_idempotent(cli, client, done, settings):
    sid = done["session_id"]
    before = client.status(sid)
    replies = len(events_for(settings, topics.AUDIO_RESPONDED, sid))
    code, out = cli("replay", "--topic", topics.REQUEST_ROUTED, "--session", sid, "--into-pipeline")
    assert code == 0 and f"-> {topics.REQUEST_ROUTED} key={sid}" in out
    after = _wait_status(client, sid, lambda s: s["duplicates_ignored"] > before["duplicates_ignored"])
    assert (after["completed_at"], after["attempt"]) == (before["completed_at"], before["attempt"])
    assert len(events_for(settings, topics.AUDIO_RESPONDED, sid)) == replies  # no second reply


def test_replay_reprocess_runs_the_session_again_as_a_new_attempt(cli, client, done, settings):
    sid = done["session_id"]
    attempt = client.status(sid)["attempt"] + 1  # 2, unless this session was reprocessed before
    code, out = cli("replay", "--topic", topics.AUDIO_UPLOADED, "--session", sid,
                    "--into-pipeline", "--reprocess")
    assert code == 0 and f"attempt={attempt}" in out
    status = _wait_status(client, sid, lambda s: s["attempt"] == attempt
                          and s["status"] in ("completed", "failed"))
    assert status["status"] == "completed", status
    assert status["completed_at"] > done["completed_at"]
    replies = events_for(settings, topics.AUDIO_RESPONDED, sid)
    assert sorted(r["attempt"] for r in replies)[-2:] == [attempt - 1, attempt]


def test_dead_letter_replay_sends_the_payload_back_to_its_origin(cli, client, s3, say, settings):
    sid, user = f"dl-{uuid.uuid4().hex[:8]}", new_user()
    key = f"cli-tests/{sid}.wav"  # outside the upload prefix: the notifier's event is ignored
    wav = say("Can you recommend a good curry for dinner?")
    s3.put_object(Bucket=settings.audio_bucket, Key=key, Body=wav, ContentType="audio/wav")
    event = AudioUploaded(session_id=sid, user_id=user, bucket=settings.audio_bucket, key=key,
                          size=len(wav), content_type="audio/wav", uploaded_at=time.time())
    letter = DeadLetter(origin_topic=topics.AUDIO_UPLOADED, origin_partition=0, origin_offset=0,
                        error="schema_version 2 unsupported (fixed since)", stage="transcribe",
                        payload=event.encode().decode(), key=sid, at=time.time())
    publish(settings, [(topics.DEAD_LETTER, b"audio-uploaded/0/0", letter.encode())])
    assert client.status(sid) is None
    code, out = cli("replay", "--topic", topics.DEAD_LETTER, "--session", sid, "--into-pipeline")
    assert code == 0 and f"-> {topics.AUDIO_UPLOADED} key={sid}" in out
    assert client.wait_done(sid, timeout=60)["status"] == "completed"


def test_loadtest_s3_mode_loses_nothing(cli, worker, say, tmp_path):
    wav = tmp_path / "hello.wav"
    wav.write_bytes(say("Hello there."))
    report = tmp_path / "report.json"
    code, out = cli("loadtest", "--uploads", "3", "--max", "--mode", "s3", "--gateway",
                    worker.gateway_url, "--audio", str(wav), "--json", str(report), "--no-progress")
    assert code == 0, out
    d = orjson.loads(report.read_bytes())
    assert (d["uploads"], d["completed"], d["lost"], d["upload_errors"]) == (3, 3, 0, 0)
    assert d["latency_ms"]["end_to_end"]["n"] == 3 and d["latency_ms"]["overhead"]["p50"] is not None
    assert "lost" in out and "end_to_end" in out


def test_loadtest_synthetic_mode_skips_the_notifier(cli, worker, say, settings, tmp_path, monkeypatch):
    for name, value in settings.to_env().items():  # S3 credentials come from the environment
        monkeypatch.setenv(name, value)
    wav = tmp_path / "hi.wav"
    wav.write_bytes(say("I prefer halal food and I don't drink alcohol."))
    report = tmp_path / "report.json"
    code, out = cli("loadtest", "--uploads", "2", "--rate", "10", "--mode", "synthetic", "--gateway",
                    worker.gateway_url, "--audio", str(wav), "--json", str(report), "--no-progress")
    assert code == 0, out
    d = orjson.loads(report.read_bytes())
    assert (d["mode"], d["completed"], d["lost"]) == ("synthetic", 2, 0)
    # Every session finished, so the workers have committed (nearly) everything: lag is counted
    # per topic the stages read (outputs like session-failed have no consumer to lag) and is small.
    assert set(d["consumer_lag"]) == set(topics.CONSUMED_TOPICS)
    assert all(0 <= n <= 10 for n in d["consumer_lag"].values()), d["consumer_lag"]
    assert "consumer lag" in out
