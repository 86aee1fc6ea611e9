"""What a webhook sends and when: the event of a finished session, its JSON body, the backoff."""

from __future__ import annotations

import orjson

from schemas.events import SessionStatus

EVENTS = {"completed": "session.completed", "failed": "session.failed"}


def event_of(status: SessionStatus) -> str | None:
    """``session.completed`` / ``session.failed`` for a finished session; None before."""
    return EVENTS.get(status.status)


def delivery_id(status: SessionStatus) -> str:
    """The same for every try of one session's attempt: receivers dedupe on it (at-least-once)."""
    return f"{status.session_id}:{status.attempt}"


def payload(status: SessionStatus, created_at: float) -> bytes:
    """The body POSTed (the same on every try): the event, its delivery id, when the deliverer
    made it, and the session's status as ``GET /v1/sessions/{id}`` shows it."""
    return orjson.dumps({"type": event_of(status), "delivery_id": delivery_id(status),
                         "created_at": created_at, "session": status.to_dict()})


def backoff_delays(tries: int, base_s: float, max_s: float) -> list[float]:
    """The waits before tries 2..``tries``: ``base_s`` doubling each time, at most ``max_s``."""
    return [min(base_s * 2 ** n, max_s) for n in range(max(0, tries - 1))]
