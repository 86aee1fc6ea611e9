"""The pipeline at a glance: topics, tables, and which stage reads what and writes what.

    bucket-events ─ingest─▶ audio-uploaded ─transcribe─▶ audio-transcribed ─route─▶
    request-routed ─respond─▶ audio-responded          (failures ─▶ session-failed)
    text-submitted (gateway) ─text─▶ audio-transcribed   (typed text joins at the transcript)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import faust

from schemas import topics
from schemas.events import (AudioTranscribed, AudioUploaded, RequestRouted, SessionIssued,
                            TextSubmitted, UploadLogged)
from schemas.records import SchemaError
from schemas.s3_events import parse_bucket_records
from streams.chaos import DropChaos
from streams.delivery import consume
from streams.log_position import LogPosition
from streams.outbox import Outbox
from streams.runner import Stage, StageRunner
from streams.stages import ingest, respond, route, text, transcribe
from streams.status import StatusTable
from streams.sweeper import LostEventSweeper
from streams.topic_reader import read_record
from streams.transcript_cache import TranscriptCache

log = logging.getLogger(__name__)

STAGES: tuple[Stage, ...] = (
    Stage("transcribe", topics.AUDIO_UPLOADED, topics.AUDIO_TRANSCRIBED, AudioUploaded,
          transcribe.process, records_input=True),
    Stage("text", topics.TEXT_SUBMITTED, topics.AUDIO_TRANSCRIBED, TextSubmitted, text.process,
          records_input=True),
    Stage("route", topics.AUDIO_TRANSCRIBED, topics.REQUEST_ROUTED, AudioTranscribed, route.process),
    Stage("respond", topics.REQUEST_ROUTED, topics.AUDIO_RESPONDED, RequestRouted, respond.process),
)


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
                        DropChaos(settings.chaos_drop, tuple(s.name for s in STAGES)))
    app.timer(5.0, name="lost-event-sweeper")(pipeline.sweeper.check)
    _attach_status_note(pipeline, topics.SESSION_ISSUED, SessionIssued, "issue")
    _attach_status_note(pipeline, topics.UPLOAD_LOGGED, UploadLogged, "upload-logged")
    _attach_ingest(pipeline, settings)
    for stage in STAGES:
        _attach_stage(pipeline, stage, deps)
    return pipeline


def _raw_topic(app: faust.App, name: str) -> Any:
    # Raw bytes: the stages decode themselves, so a bad payload is dead-lettered, not lost.
    return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw", partitions=app.conf.topic_partitions)


def _table(app: faust.App, name: str) -> Any:
    return app.Table(name, default=None, partitions=app.conf.topic_partitions)


def _attach_stage(pipeline: Pipeline, stage: Stage, deps: Any) -> None:
    settings = deps.settings
    runner = StageRunner(stage, deps, pipeline.statuses, pipeline.outbox,
                         settings.stage_attempts, settings.retry_backoff_s, pipeline.chaos)

    async def agent(stream: Any) -> None:
        await consume(stream, lambda event: runner.handle(event.value, event.message),
                      pipeline.outbox.flush, _dead_letter(pipeline, stage.name))

    agent.__name__ = agent.__qualname__ = f"stage_{stage.name}"
    pipeline.app.agent(pipeline.topics[stage.source], name=f"stage-{stage.name}")(agent)


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


def _attach_ingest(pipeline: Pipeline, settings: Any) -> None:
    """Bucket notifications → one ``AudioUploaded`` per new upload, deduped on object identity."""

    async def stage_ingest(stream: Any) -> None:
        await consume(stream, lambda event: _ingest(pipeline, settings, event),
                      pipeline.outbox.flush, _dead_letter(pipeline, "ingest"))

    pipeline.app.agent(pipeline.topics[topics.BUCKET_EVENTS], name="stage-ingest")(stage_ingest)


async def _ingest(pipeline: Pipeline, settings: Any, event: Any) -> None:
    """Every valid record of the notification goes on; each invalid one is dead-lettered alone."""
    try:
        objects, errors = parse_bucket_records(event.value)
    except SchemaError as exc:
        errors, objects = [exc], []
    for error in errors:
        await pipeline.outbox.dead_letter("ingest", event.message, event.value, error)
    for obj in objects:
        await _ingest_object(pipeline, settings, obj)


async def _ingest_object(pipeline: Pipeline, settings: Any, obj: Any) -> None:
    uploaded = ingest.process(obj, settings)
    if uploaded is None:
        return
    if pipeline.seen_objects.get(obj.identity):
        log.info("ingest: duplicate notification for %s/%s ignored", obj.bucket, obj.key)
        return
    sent = await pipeline.outbox.send_event(uploaded)
    # Before the object counts as seen: where the upload is on the log, for the sweeper.
    await pipeline.outbox.send_event(UploadLogged(session_id=uploaded.session_id,
                                                  user_id=uploaded.user_id, attempt=uploaded.attempt,
                                                  at=str(LogPosition.of(sent))))
    pipeline.seen_objects[obj.identity] = True
