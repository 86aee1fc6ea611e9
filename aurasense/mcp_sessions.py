"""Session tools of the MCP server: status, tail and replay, scoped as the gateway scopes them.

The status is the gateway's ``GET /v1/sessions/{id}``, asked with the caller's token, so the
same rule decides (unknown and foreign sessions: the same "not found"). Tail and replay first
ask it; only a session the caller may see is read from the log (aurasense/ops, as ``aurasense
tail`` and ``replay`` read it) or sent through the pipeline again.
"""

from __future__ import annotations

import httpx
from mcp.server.mcpserver.exceptions import ToolError

from aurasense.ops.log import publish, read_all, topic_names
from aurasense.ops.records import PIPELINE_TOPICS, attempt_of, matches_session, to_json, with_attempt
from schemas import topics
from schemas.ids import SAFE_ID

# Where a session enters the stages: replaying its latest entry record runs the session again.
ENTRY_TOPICS = (topics.AUDIO_UPLOADED, topics.TEXT_SUBMITTED)


async def status(gateway_url: str, session_id: str, token: str | None) -> dict:
    """The session's status as the gateway shows it to this token; ``ToolError`` otherwise."""
    if not SAFE_ID.match(session_id):
        raise ToolError("session_id must be 1-64 letters, digits, '_', '-' or '.'")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with httpx.AsyncClient(base_url=gateway_url, timeout=10.0) as http:
            r = await http.get(f"/v1/sessions/{session_id}", headers=headers)
    except httpx.TransportError as exc:
        raise ToolError(f"cannot reach the gateway at {gateway_url}: {type(exc).__name__}") from None
    if r.status_code == 200:
        return r.json()
    if r.status_code == 404:
        raise ToolError(f"session {session_id} not found (unknown, or not yours)")
    if r.status_code == 401:
        raise ToolError("this session belongs to a registered user: pass their token")
    raise ToolError(f"the gateway answered {r.status_code} for session {session_id}")


async def records(bootstrap: str, session_id: str) -> list:
    """Every record of the session on the pipeline's topics, in log-time order."""
    existing = set(await topic_names(bootstrap))
    return [r for r in await read_all(bootstrap, [t for t in PIPELINE_TOPICS if t in existing])
            if matches_session(r, session_id)]


async def tail(bootstrap: str, session_id: str, limit: int) -> list[dict]:
    """The session's latest ``limit`` records, decoded (``aurasense tail all --session --json``)."""
    return [to_json(r) for r in (await records(bootstrap, session_id))[-limit:]]


async def replay(bootstrap: str, session_id: str, reprocess: bool) -> dict:
    """Send the session's latest entry record through the pipeline again: with ``reprocess`` as a
    new attempt (the stages run again), else as it was (the stages skip it: idempotent)."""
    mine = await records(bootstrap, session_id)
    entries = [r for r in mine if r.topic in ENTRY_TOPICS]
    if not entries:
        raise ToolError(f"nothing to replay: session {session_id} has no {' or '.join(ENTRY_TOPICS)} record")
    entry = entries[-1]
    attempt = max(attempt_of(r) for r in mine) + 1 if reprocess else attempt_of(entry)
    value = with_attempt(entry.value or b"", attempt) if reprocess else entry.value or b""
    [sent] = await publish(bootstrap, [(entry.topic, entry.key, value)])
    return {"session_id": session_id, "replayed": f"{entry.topic}[{entry.partition}]@{entry.offset}",
            "sent_to": f"{sent.topic}[{sent.partition}]@{sent.offset}", "attempt": attempt,
            "reprocess": reprocess}
