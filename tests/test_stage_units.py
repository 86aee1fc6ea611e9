"""The fast tier's unit tests of the pipeline's parts, each with a plain event in hand: the stage
runner (dedupe per attempt, retries, failure, the table's sink), the outbox (the record's topic,
sending again what the producer gave up on), the transcribe stage's cache, the route stage on
unclear speech. No broker, no models: the inputs are values, the outputs are looked at."""

from __future__ import annotations

import asyncio
import hashlib
from types import SimpleNamespace

import pytest

from core.settings import Settings
from schemas import topics
from schemas.events import AudioTranscribed, AudioUploaded, RequestRouted, SessionFailed
from speech.speech_check import UNCLEAR_KEY
from streams.outbox import Outbox
from streams.pipeline import STAGES
from streams.runner import Stage, StageRunner
from streams.stages import route, transcribe
from streams.status import StatusTable
from streams.transcript_cache import TranscriptCache
from tests.pipeline_helpers import RecordingOutbox


ORIGIN = SimpleNamespace(topic=topics.AUDIO_TRANSCRIBED, partition=0, offset=3, key=b"s1")


def unclear_speech(session: str = "s1", attempt: int = 1) -> AudioTranscribed:
    return AudioTranscribed(session_id=session, user_id="u1", attempt=attempt, bucket="audio",
                            key=f"uploads/u1/{session}.wav", text="kane kane kane",
                            voice_profile={UNCLEAR_KEY: "language unclear (detected th p=0.31)"})


class NoUsers:
    """A graph that knows no user: there is nowhere to keep a read-back, so unclear speech is
    asked again without classifying it (``agents.router.route``)."""

    async def get_user(self, user_id):
        return None


NO_USERS = SimpleNamespace(agents=SimpleNamespace(graph=NoUsers()))


def route_runner(process=None, attempts: int = 2):
    stage = next(s for s in STAGES if s.name == "route")
    if process is not None:
        stage = Stage(stage.name, stage.source, stage.sink, stage.record, process)
    statuses, outbox = StatusTable({}), RecordingOutbox()
    return StageRunner(stage, NO_USERS, statuses, outbox, attempts, backoff_s=0.0), statuses, outbox


def test_route_asks_again_for_unclear_speech_of_a_user_it_cannot_read_back_to():
    # an unknown user: onboarding leads the conversation, and asks its question again
    routed = asyncio.run(route.process(unclear_speech(), NO_USERS))
    assert (routed.agent, routed.confidence) == ("onboarding", 0.0)
    assert "language unclear" in routed.reason and routed.reason.endswith("onboarding asks again")


def test_the_runner_sends_to_the_tables_sink_records_the_stage_and_skips_a_replay():
    runner, statuses, outbox = route_runner()
    value = unclear_speech().encode()
    asyncio.run(runner.handle(value, ORIGIN))
    asyncio.run(runner.handle(value, ORIGIN))  # redelivered: the stage already ran for attempt 1
    [(topic, routed)] = outbox.sent
    assert topic == topics.REQUEST_ROUTED and isinstance(routed, RequestRouted)
    status = statuses.get("s1")
    assert status.stages_done == ["route"] and status.duplicates_ignored == 1
    assert status.last_event == f"{topics.REQUEST_ROUTED}/0@0"
    asyncio.run(runner.handle(unclear_speech(attempt=2).encode(), ORIGIN))  # a new attempt runs
    assert len(outbox.sent) == 2


def test_a_transient_failure_is_retried_and_a_lasting_one_fails_the_session_with_its_reason():
    calls = []

    async def flaky(event, deps):
        calls.append(event.session_id)
        if len(calls) == 1:
            raise ConnectionError("graph away")
        return await route.process(event, NO_USERS)

    runner, _, outbox = route_runner(flaky)
    asyncio.run(runner.handle(unclear_speech().encode(), ORIGIN))
    assert len(calls) == 2 and outbox.sent[0][0] == topics.REQUEST_ROUTED

    async def broken(event, deps):
        raise ConnectionError("graph away")

    runner, statuses, outbox = route_runner(broken)
    asyncio.run(runner.handle(unclear_speech("s2").encode(), ORIGIN))
    [(topic, failed)] = outbox.sent
    assert topic == topics.SESSION_FAILED and isinstance(failed, SessionFailed)
    assert statuses.get("s2").status == "failed"
    assert "route failed after 2 attempts: ConnectionError: graph away" == failed.error_message


def test_an_event_that_does_not_decode_is_dead_lettered():
    runner, _, outbox = route_runner()
    asyncio.run(runner.handle(b'{"not": "an event"}', ORIGIN))
    assert outbox.sent and outbox.sent[0][0] == "dead-letter"


class FlakyTopic:
    """A Faust topic whose producer gives up on the first send (the broker never acked it)."""

    def __init__(self) -> None:
        self.sends = 0

    async def send(self, key, value):
        self.sends += 1
        fut = asyncio.get_running_loop().create_future()
        if self.sends == 1:
            fut.set_exception(ConnectionError("no ack"))
        else:
            fut.set_result(SimpleNamespace(topic="t", partition=0, offset=self.sends))
        return fut


def test_the_outbox_sends_again_what_the_producer_gave_up_on_and_refuses_a_wrong_topic():
    topic = FlakyTopic()
    outbox = Outbox({topics.REQUEST_ROUTED: topic}, producer=None)
    event = RequestRouted(session_id="s", user_id="u", text="hi", agent="food")
    where = asyncio.run(outbox.send_event(event, topics.REQUEST_ROUTED))
    assert topic.sends == 2 and where.offset == 2
    with pytest.raises(TypeError, match="does not belong on audio-responded"):
        asyncio.run(outbox.send_event(event, topics.AUDIO_RESPONDED))


class BytesStore:
    def __init__(self, data: bytes) -> None:
        self.data = data

    async def read(self, bucket, key, max_bytes):
        return self.data


def test_transcribe_answers_known_audio_from_the_cache_without_the_model():
    settings, audio = Settings(), b"RIFF....WAVEfmt "
    cache = TranscriptCache({}, settings)
    heard = {"text": "jollof in Lagos", "language": "en", "language_probability": 0.99,
             "duration_s": 1.5, "voice_profile": {}}
    cache.put(hashlib.sha256(audio).hexdigest(), heard)
    deps = SimpleNamespace(settings=settings, store=BytesStore(audio), transcripts=cache,
                           stt=None, agents=None)  # no model: a miss would fail loudly
    event = AudioUploaded(session_id="s", user_id="u", bucket="audio", key="uploads/u/s.wav", size=len(audio))
    out = asyncio.run(transcribe.process(event, deps))
    assert out.from_cache and out.text == "jollof in Lagos"
    assert out.audio_sha256 == hashlib.sha256(audio).hexdigest()
