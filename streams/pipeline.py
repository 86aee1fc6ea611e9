"""The pipeline at a glance: topics, tables, and which stage reads what and writes what.

    bucket-events ─ingest─▶ audio-uploaded ─transcribe─▶ audio-transcribed ─route─▶
    request-routed ─respond─▶ audio-responded          (failures ─▶ session-failed)
    text-submitted (gateway) ─text─▶ audio-transcribed   (typed text joins at the transcript)

A stage ``carried_on`` also runs straight after the stage writing its source, in that stage's
task (streams/carried_on.py): transcribe's (or text's) output is still written to
audio-transcribed and read there, route's to request-routed, but route and respond need not wait
for those hops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust

from schemas import topics
from schemas.events import (AudioTranscribed, AudioUploaded, RequestRouted, SessionIssued,
                            TextSubmitted, UploadLogged)
from schemas.records import SchemaError
from streams.carried_on import CarriedRuns
from streams.chaos import DropChaos
from streams.delivery import consume
from streams.log_position import LogPosition
from streams.ingest_runner import IngestRunner
from streams.outbox import Outbox
from streams.runner import Stage, StageRunner
from streams.stages import ingest, respond, route, text, transcribe
from streams.status import StatusTable
from streams.sweeper import LostEventSweeper
from streams.topic_reader import read_record
from streams.transcript_cache import TranscriptCache

STAGES: tuple[Stage, ...] = (
    Stage("ingest", topics.BUCKET_EVENTS, topics.AUDIO_UPLOADED, None, ingest.process),
    Stage("transcribe", topics.AUDIO_UPLOADED, topics.AUDIO_TRANSCRIBED, AudioUploaded,
          transcribe.process, records_input=True),
    Stage("text", topics.TEXT_SUBMITTED, topics.AUDIO_TRANSCRIBED, TextSubmitted, text.process,
          records_input=True),
    Stage("route", topics.AUDIO_TRANSCRIBED, topics.REQUEST_ROUTED, AudioTranscribed, route.process,
          carried_on=True),
    Stage("respond", topics.REQUEST_ROUTED, topics.AUDIO_RESPONDED, RequestRouted, respond.process,
          carried_on=True),
)
# Notes about a session folded into its status (no output): (name, topic, record).
NOTES: tuple[tuple[str, str, type], ...] = (
    ("issue", topics.SESSION_ISSUED, SessionIssued),            # the gateway issued it: ``pending``
    ("upload-logged", topics.UPLOAD_LOGGED, UploadLogged),      # where ingest put the upload
)


def path_from(topic: str) -> tuple[str, ...]:
    """The stages an event on ``topic`` passes through, in order (``bucket-events``: ingest,
    transcribe, route, respond): derived from the table, for timings and benchmarks."""
    names: list[str] = []
    while stage := next((s for s in STAGES if s.source == topic and s.name not in names), None):
        names.append(stage.name)
        topic = stage.sink
    return tuple(names)


SPEECH_PATH = path_from(topics.BUCKET_EVENTS)
STAGE_NAMES = tuple(s.name for s in STAGES)


@dataclass
class Pipeline:
    app: faust.App
    topics: dict[str, Any]
    statuses: StatusTable
    seen_objects: Any
    outbox: Outbox
    sweeper: LostEventSweeper
    chaos: DropChaos


def build_pipeline(app: faust.App, deps: Any) -> Pipeline:
    """Declare the topics and tables on ``app`` and attach one agent per stage."""
    settings = deps.settings
    faust_topics = {t.name: _raw_topic(app, t.name) for t in topics.TOPICS}
    statuses = StatusTable(_table(app, topics.SESSION_STATUS_TABLE))
    seen = _table(app, topics.SEEN_OBJECTS_TABLE)
    deps.transcripts = TranscriptCache(_table(app, topics.TRANSCRIPTS_TABLE), settings)
    outbox = Outbox(faust_topics, app.producer)

    async def read_back(where: LogPosition):
        return await read_record(settings.kafka_bootstrap, where.topic, where.partition, where.offset)

    pipeline = Pipeline(app, faust_topics, statuses, seen, outbox,
                        LostEventSweeper(app, statuses.table, outbox, read_back,
                                         grace_s=settings.lost_event_grace_s),
                        DropChaos(settings.chaos_drop, tuple(s.name for s in STAGES if s.record is not None)))
    app.timer(5.0, name="lost-event-sweeper")(pipeline.sweeper.check)
    for name, topic, record in NOTES:
        _attach_status_note(pipeline, topic, record, name)
    runners = _runners(pipeline, deps)
    for stage in STAGES:
        _attach_stage(pipeline, stage, runners[stage.name], deps)
    return pipeline


def _raw_topic(app: faust.App, name: str) -> Any:
    # Raw bytes: the stages decode themselves, so a bad payload is dead-lettered, not lost.
    return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw", partitions=app.conf.topic_partitions)


def _table(app: faust.App, name: str) -> Any:
    return app.Table(name, default=None, partitions=app.conf.topic_partitions)


def _runners(pipeline: Pipeline, deps: Any) -> dict[str, StageRunner | IngestRunner]:
    """One runner per stage; a stage writing the source of a ``carried_on`` stage carries it on."""
    settings, carried = deps.settings, CarriedRuns()
    runners: dict[str, StageRunner | IngestRunner] = {}
    for stage in STAGES:
        if stage.record is None:  # the bucket's notifications: S3 event JSON, several records each
            runners[stage.name] = IngestRunner(stage, settings, pipeline.seen_objects, pipeline.outbox)
        else:
            runners[stage.name] = StageRunner(stage, deps, pipeline.statuses, pipeline.outbox,
                                              settings.stage_attempts, settings.retry_backoff_s,
                                              pipeline.chaos, carried)
    for stage in STAGES:
        for after in (s for s in STAGES if s.carried_on and s.source == stage.sink):
            runners[stage.name].then = runners[after.name]
    return runners


def _attach_stage(pipeline: Pipeline, stage: Stage, runner: StageRunner | IngestRunner,
                  deps: Any) -> None:

    async def agent(stream: Any) -> None:
        await consume(stream, lambda event: runner.handle(event.value, event.message),
                      pipeline.outbox.flush, _dead_letter(pipeline, stage.name),
                      lanes=stage_lanes(stage.name, deps.settings))

    agent.__name__ = agent.__qualname__ = f"stage_{stage.name}"
    pipeline.app.agent(pipeline.topics[stage.source], name=f"stage-{stage.name}")(agent)


def stage_lanes(name: str, settings: Any) -> int:
    """Events of different partitions a stage handles at once (streams/delivery.py): transcribe
    as many as Whisper runs side by side (``stt_parallel``), every other stage one."""
    return max(1, settings.stt_parallel) if name == "transcribe" else 1


def _dead_letter(pipeline: Pipeline, stage: str):
    """What the delivery loop does with an event its handler kept failing on."""
    async def send(event: Any, error: Exception) -> None:
        await pipeline.outbox.dead_letter(stage, event.message, event.value, error)
    return send


def _attach_status_note(pipeline: Pipeline, topic: str, record_type: type, name: str) -> None:
    """A note about a session folded into its status, in the session's partition: a session the
    gateway issued (``pending``), where ingest logged its upload (``last_event``)."""

    async def record(event: Any) -> None:
        try:
            note = record_type.decode(event.value)
        except SchemaError as exc:
            await pipeline.outbox.dead_letter(name, event.message, event.value, exc)
            return
        pipeline.statuses.record(note)

    async def agent(stream: Any) -> None:
        await consume(stream, record, pipeline.outbox.flush, _dead_letter(pipeline, name))

    agent.__name__ = agent.__qualname__ = f"stage_{name.replace('-', '_')}"
    pipeline.app.agent(pipeline.topics[topic], name=f"stage-{name}")(agent)
