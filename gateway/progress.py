"""Live progress: ``GET /v1/sessions/{id}/events``, a Server-Sent Events stream.

The status table is read every ``POLL_S`` (a dict lookup) and an ``event: status`` is sent on
every stage transition; the stream ends after ``completed`` or ``failed`` (``event: end``).
Comment lines keep idle connections alive through proxies.
"""

from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator

import orjson
from starlette.requests import Request
from starlette.responses import StreamingResponse

from gateway import sessions

POLL_S = 0.05
HEARTBEAT_S = 15.0
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _frame(event: str, data: dict) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def _transition(status) -> tuple:
    return status.status, status.stage, status.attempt


async def transitions(request: Request, session_id: str, poll_s: float = POLL_S,
                      heartbeat_s: float = HEARTBEAT_S) -> AsyncIterator[bytes]:
    yield b"retry: 1000\n\n"
    last, beat = None, time.monotonic()
    deadline = beat + request.app.state.deps.config.stream_max_s
    while time.monotonic() < deadline:
        status = await sessions.lookup(request, session_id)
        if status is not None and _transition(status) != last:
            last, beat = _transition(status), time.monotonic()
            yield _frame("status", sessions.public_view(status))
            if status.done:
                yield _frame("end", {"status": status.status})
                return
        elif time.monotonic() - beat >= heartbeat_s:
            beat = time.monotonic()
            yield b": keep-alive\n\n"
        await asyncio.sleep(poll_s)


async def session_events(request: Request) -> StreamingResponse:
    session_id = request.path_params["session_id"]
    await sessions.find(request, session_id)  # 401/404 before the stream starts
    return StreamingResponse(transitions(request, session_id), media_type="text/event-stream",
                             headers=HEADERS)
