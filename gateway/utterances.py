"""``POST /v1/utterances``: typed text through the same pipeline as speech.

The text goes on the log as a ``TextSubmitted`` event; the text stage turns it into the session's
transcript (streams/stages/text.py), and route and respond answer it as they answer speech, reply
audio included. The session is read, and followed, on the usual status routes.

Who speaks comes only from the bearer token (or, without one, a new guest, as for the seed's
uploads): a body naming a user is refused. A client retrying with the same ``session_id`` and the
same text gets its session back and nothing is sent again; the text stage skips a repeat that
still gets through (two gateways at once), so a session is answered once.
"""

from __future__ import annotations

import time
import uuid

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway import auth, sessions, webhooks
from gateway.errors import not_offered
from gateway.http import deps_of, json_body, json_response, safe_id
from schemas import topics
from schemas.events import SessionStatus, TextSubmitted, UploadLogged
from schemas.typed_text import text_problem, utterance
from streams.log_position import LogPosition

FIELDS = frozenset({"text", "session_id", webhooks.FIELD})
IN_USE = "session_id already in use: omit it to get a new one"


async def create_utterance(request: Request) -> Response:
    deps, data = deps_of(request), await json_body(request)
    who = auth.caller(request, deps.config)
    auth.require_guest_access(deps.config, who)
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise HTTPException(400, f"unknown field(s): {', '.join(unknown)}; send text and, optionally, "
                                 "session_id and webhook_url (who is speaking comes from the bearer "
                                 "token)")
    problem = text_problem(data.get("text"))
    if problem:
        raise HTTPException(400, problem)
    text, session_id = utterance(data["text"]), safe_id(data, "session_id", str(uuid.uuid4()))
    if deps.publish_event is None:
        raise not_offered("no pipeline behind this gateway: typed text cannot be answered")
    known = await sessions.lookup(request, session_id)
    if known is not None:
        return _retried(deps, who, known, text)
    user_id = who or auth.new_guest_id()
    webhook = await webhooks.register_for_session(request, data, session_id, user_id)
    sent = await deps.publish_event(TextSubmitted(session_id=session_id, user_id=user_id, text=text,
                                                  submitted_at=time.time()))
    # Where the text is on the log, so the sweeper can send it again if it is lost before the
    # text stage records the session (as ingest does for an upload).
    await deps.publish_event(UploadLogged(session_id=session_id, user_id=user_id,
                                          at=str(LogPosition.of(sent))))
    # Only once the text is on the log: a failed send must leave nothing a retry would take as done.
    request.app.state.accepted.add(session_id, user_id, "", source="text", transcription=text)
    view = _view(session_id, user_id, "pending")
    return json_response({**view, "webhook": webhook} if webhook else view, 202)


def _retried(deps, who: str | None, known: SessionStatus, text: str) -> Response:
    """The same caller sending the same text again: its session as it is now. Anything else
    naming a session in use (another user's, an upload's, another text) is a 409."""
    if not auth.may_act_as(deps.config, who, known.user_id):
        raise HTTPException(409, IN_USE)
    # Only the gateway's pointer to a text is known yet (the text stage has not read it).
    unread = known.source == "" and (known.last_event or "").startswith(f"{topics.TEXT_SUBMITTED}/")
    if not unread and (known.source != "text" or known.transcription != text):
        raise HTTPException(409, IN_USE)
    return json_response(_view(known.session_id, known.user_id, known.status), 202)


def _view(session_id: str, user_id: str, status: str) -> dict:
    return {"session_id": session_id, "user_id": user_id, "status": status, "source": "text",
            "status_url": f"/v1/sessions/{session_id}",
            "events_url": f"/v1/sessions/{session_id}/events"}
