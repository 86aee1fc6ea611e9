"""The operator's view of the log, ``/ops/api/...``, behind the operator token (gateway/ops_auth.py).

The same reads and writes as the ``aurasense`` CLI (aurasense/ops/): topics with record counts and
the pipeline group's lag, the latest sessions, dead letters, one session's records across every
topic (``aurasense tail all --session``), and the re-publish of ``aurasense replay
--into-pipeline``, idempotent because each stage skips a session whose stage already ran.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from aurasense.ops.lag import consumer_lag
from aurasense.ops.log import describe_topics, publish, read_all, topic_names
from aurasense.ops.records import (PIPELINE_TOPICS, NotReplayable, decode_value, matches_session, replay_target,
                                   session_of, to_json)
from core.settings import Settings
from gateway.http import deps_of, json_body, json_response, safe_id
from gateway.me import limit_param
from gateway.ops_auth import require_operator
from gateway.status_log import latest_statuses
from schemas import topics
from schemas.events import DeadLetter, SessionStatus
from schemas.ids import SAFE_ID
from schemas.records import SchemaError
from streams.topic_reader import LogRecord, read_record

# Where a session enters the stages: what replaying a session re-publishes.
INPUT_TOPICS = (topics.AUDIO_UPLOADED, topics.TEXT_SUBMITTED)
DEAD_LETTER_ID = re.compile(r"(\d{1,6})@(\d{1,19})")

Handler = Callable[[Request, Settings], Awaitable[Response]]


def operator_route(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The operator check first (a broker that does not answer is a 503: gateway/errors.py)."""
    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        require_operator(request)
        return await handler(request, deps_of(request).settings)
    return endpoint


@operator_route
async def topic_list(request: Request, settings: Settings) -> Response:
    """Every topic with partitions, records, and (for what the stages read) the group's lag."""
    infos = await describe_topics(settings.kafka_bootstrap)
    consumed = [i.name for i in infos if i.name in topics.CONSUMED_TOPICS]
    lag = await consumer_lag(settings.kafka_bootstrap, settings.app_id, consumed) if consumed else {}
    return json_response({"topics": [{"name": i.name, "partitions": i.partitions, "records": i.records,
                                      "lag": lag.get(i.name)} for i in infos]})


@operator_route
async def recent_sessions(request: Request, settings: Settings) -> Response:
    limit = limit_param(request, 20, 200)
    latest = (await latest_statuses(settings))[:limit]
    return json_response({"sessions": [_session_row(s) for s in latest]})


def _session_row(s: SessionStatus) -> dict:
    """What an operator needs of a session (not its cultural context, which can hold a token)."""
    return {"session_id": s.session_id, "user_id": s.user_id, "status": s.status, "stage": s.stage,
            "source": s.source, "agent_used": s.agent_used, "attempt": s.attempt,
            "transcription": s.transcription, "error_message": s.error_message,
            "created_at": s.created_at, "completed_at": s.completed_at, "last_event": s.last_event,
            "timings": {stage: t.get("compute_ms") for stage, t in s.timings.items()
                        if isinstance(t, dict)}}


@operator_route
async def dead_letters(request: Request, settings: Settings) -> Response:
    limit = limit_param(request, 50, 500)
    records = await read_all(settings.kafka_bootstrap, [topics.DEAD_LETTER])
    return json_response({"dead_letters": [_dead_letter_row(r) for r in reversed(records)][:limit]})


def _dead_letter_row(r: LogRecord) -> dict:
    row: dict[str, Any] = {"id": f"{r.partition}@{r.offset}", "timestamp_ms": r.timestamp_ms,
                           "sessions": sorted(session_of(r))}
    try:
        dl = DeadLetter.decode(r.value or b"")
    except SchemaError as exc:
        return {**row, "error": f"not a dead-letter record: {exc}", "payload": _short(r.value)}
    return {**row, "origin": f"{dl.origin_topic}[{dl.origin_partition}]@{dl.origin_offset}",
            "origin_topic": dl.origin_topic, "stage": dl.stage, "error": dl.error,
            "payload": _short(dl.payload.encode())}


def _short(raw: bytes | None, most: int = 300) -> str:
    text = (raw or b"").decode("utf-8", "replace")
    return text if len(text) <= most else text[:most - 1] + "…"


@operator_route
async def session_records(request: Request, settings: Settings) -> Response:
    """One session's records across every pipeline topic, ordered by time."""
    session_id = request.path_params["session_id"]
    if not SAFE_ID.match(session_id):
        raise HTTPException(400, "not a session id")
    existing = set(await topic_names(settings.kafka_bootstrap))
    records = await read_all(settings.kafka_bootstrap, [t for t in PIPELINE_TOPICS if t in existing])
    return json_response({"session_id": session_id,
                          "records": [_redacted(to_json(r)) for r in records
                                      if matches_session(r, session_id)]})


def _redacted(record: dict) -> dict:
    """Without the voiceprint (biometric) and a voice sign-in's token."""
    value = record["value"]
    if isinstance(value, dict):
        value = dict(value)
        if isinstance(value.get("voice_profile"), dict):
            value["voice_profile"] = {k: v for k, v in value["voice_profile"].items() if k != "voiceprint"}
        context = value.get("cultural_context")
        if isinstance(context, dict) and isinstance(context.get("auth"), dict) and "token" in context["auth"]:
            value["cultural_context"] = {**context, "auth": {**context["auth"], "token": "***"}}
    return {**record, "value": value}


@operator_route
async def replay(request: Request, settings: Settings) -> Response:
    """``{"dead_letter": "P@O"}`` back to its origin topic, or ``{"session_id": S}``'s input
    records back to theirs; as ``aurasense replay --into-pipeline`` (no new attempt)."""
    chosen = await _replay_source(settings, await json_body(request))
    try:
        plan = [replay_target(r) for r in chosen]
    except NotReplayable as exc:
        raise HTTPException(400, str(exc)) from None
    await publish(settings.kafka_bootstrap, [(topic, key, value) for topic, key, value, _ in plan])
    return json_response({"replayed": [
        {"from": f"{o.topic}[{o.partition}]@{o.offset}", "to": topic,
         "key": decode_value(key) if key else None} for topic, key, _, o in plan]}, 202)


async def _replay_source(settings: Settings, data: dict) -> list[LogRecord]:
    if set(data) not in ({"dead_letter"}, {"session_id"}):
        raise HTTPException(400, 'send {"dead_letter": "<partition>@<offset>"} or {"session_id": "<id>"}')
    if "dead_letter" in data:
        m = DEAD_LETTER_ID.fullmatch(str(data["dead_letter"]))
        if not m:
            raise HTTPException(400, "dead_letter must be <partition>@<offset>, e.g. 0@12")
        record = await read_record(settings.kafka_bootstrap, topics.DEAD_LETTER, int(m[1]), int(m[2]))
        if record is None:
            raise HTTPException(404, "no such dead letter on the log")
        return [record]
    session_id = safe_id(data, "session_id")
    records = await read_all(settings.kafka_bootstrap, INPUT_TOPICS)
    chosen = [r for r in records if matches_session(r, session_id)]
    if not chosen:
        raise HTTPException(404, "no input record of this session on the log")
    return chosen
