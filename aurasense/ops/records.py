"""Log records for people: decoding, one-screen formatting, session matching, re-attempts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from schemas import topics
from schemas.records import SchemaError
from schemas.s3_events import parse_bucket_event
from streams.topic_reader import LogRecord

SESSION_TOPICS = tuple(t.name for t in topics.TOPICS
                       if t.name not in (topics.BUCKET_EVENTS, topics.DEAD_LETTER))
PIPELINE_TOPICS = tuple(t.name for t in topics.TOPICS)


def decode_value(value: bytes | None) -> Any:
    """The JSON value, or the raw text when it is not JSON (dead letters' sources, tests)."""
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value.decode("utf-8", "replace")


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", "replace")


def to_json(record: LogRecord) -> dict[str, Any]:
    return {"topic": record.topic, "partition": record.partition, "offset": record.offset,
            "timestamp_ms": record.timestamp_ms, "key": _text(record.key),
            "value": decode_value(record.value)}


def json_line(record: LogRecord) -> str:
    return orjson.dumps(to_json(record)).decode()


def from_json(line: str | bytes) -> LogRecord:
    """A record written by ``json_line`` (``replay --to-file`` then ``--from-file``)."""
    d = orjson.loads(line)
    value = d["value"]
    raw = value.encode() if isinstance(value, str) else orjson.dumps(value)
    return LogRecord(d["topic"], d["partition"], d["offset"], d["timestamp_ms"],
                     None if d["key"] is None else d["key"].encode(), raw)


def pretty(record: LogRecord) -> str:
    """A header line and the value's fields, long texts shortened, timings in one line."""
    when = dt.datetime.fromtimestamp(record.timestamp_ms / 1000).strftime("%H:%M:%S.%f")[:-3]
    head = f"{when}  {record.topic}[{record.partition}]@{record.offset}  key={_text(record.key)}"
    value = decode_value(record.value)
    if not isinstance(value, dict):
        return f"{head}\n    {str(value)[:300]!r}"
    lines = [head]
    for name, v in value.items():
        if v in (None, "", {}, []) or name == "schema_version":
            continue
        lines.append(f"    {name}: {_field(name, v)}")
    return "\n".join(lines)


def _field(name: str, value: Any) -> str:
    if name == "timings" and isinstance(value, dict):
        return ", ".join(f"{s} {t.get('compute_ms', 0):.0f} ms" for s, t in value.items()
                         if isinstance(t, dict))
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    return text if len(text) <= 160 else text[:157] + "..."


def session_of(record: LogRecord) -> set[str]:
    """The session ids a record belongs to (for bucket events: what ingest would derive)."""
    value = decode_value(record.value)
    if record.topic == topics.BUCKET_EVENTS:
        return _bucket_sessions(value)
    if record.topic == topics.DEAD_LETTER and isinstance(value, dict):
        inner = decode_value(str(value.get("payload", "")).encode())
        ids = _bucket_sessions(inner) | _field_session(inner)
        return ids | ({value["key"]} if value.get("key") and "/" not in value["key"] else set())
    ids = _field_session(value)
    return ids or ({_text(record.key)} if record.key else set())


def _field_session(value: Any) -> set[str]:
    sid = value.get("session_id") if isinstance(value, dict) else None
    return {sid} if isinstance(sid, str) else set()


def _bucket_sessions(value: Any) -> set[str]:
    if not isinstance(value, (dict, str)):
        return set()
    try:
        objects = parse_bucket_event(value if isinstance(value, dict) else value.encode())
    except SchemaError:
        return set()
    from streams.stages.ingest import identify
    return {identify(o)[1] for o in objects}


def matches_session(record: LogRecord, session_id: str) -> bool:
    """Keyed by the session, carrying it, or (bucket events) its object key naming it."""
    if record.key == session_id.encode() or session_id in session_of(record):
        return True
    if record.topic == topics.BUCKET_EVENTS:
        try:
            return any(session_id in o.key for o in parse_bucket_event(record.value or b""))
        except SchemaError:
            return False
    return False


def with_attempt(value: bytes, attempt: int) -> bytes:
    """A session event with ``attempt`` set (``replay --reprocess``); ``SchemaError`` if not one."""
    data = decode_value(value)
    if not isinstance(data, dict) or "session_id" not in data:
        raise SchemaError("not a session event (no session_id): cannot reprocess")
    return orjson.dumps({**data, "attempt": attempt})


def attempt_of(record: LogRecord) -> int:
    data = decode_value(record.value)
    attempt = data.get("attempt", 1) if isinstance(data, dict) else 1
    return attempt if isinstance(attempt, int) else 1


class NotReplayable(ValueError):
    """A record that cannot go back into the pipeline; ``str()`` says why."""


def replay_target(r: LogRecord) -> tuple[str, bytes | None, bytes, LogRecord]:
    """Where a record goes back to (topic, key, value, the record): its own topic, or a dead
    letter's origin. The CLI's ``replay`` and the operator page both send records there."""
    from schemas.events import DeadLetter

    if r.topic == topics.DEAD_LETTER:
        try:
            dl = DeadLetter.decode(r.value or b"")
        except SchemaError as exc:
            raise NotReplayable(f"dead-letter@{r.offset} is not a DeadLetter record: {exc}") from None
        return dl.origin_topic, dl.key.encode() if dl.key else None, dl.payload.encode(), r
    if r.topic not in PIPELINE_TOPICS:
        raise NotReplayable(f"{r.topic} is not a pipeline topic; only those can be re-published")
    return r.topic, r.key, r.value or b"", r

