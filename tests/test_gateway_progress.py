"""The SSE progress stream over fakes: one event per transition, then the end."""

from __future__ import annotations

import orjson

from schemas.events import SessionStatus
from tests.test_gateway_fakes import gw  # noqa: F401  (fixture)


def test_stream_sends_transitions_and_ends(gw):  # noqa: F811
    client, fakes = gw
    fakes.statuses["s1"] = SessionStatus(session_id="s1", user_id="guest-1", status="processing",
                                         stage="ingest")
    seen = []
    with client.stream("GET", "/v1/sessions/s1/events") as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data: "):
                data = orjson.loads(line[6:])
                seen.append((data["status"], data.get("stage")))
                if data.get("stage") == "ingest":
                    fakes.statuses["s1"] = fakes.statuses["s1"].replace(stage="transcribe",
                                                                      transcription="hi")
                elif data.get("stage") == "transcribe":
                    fakes.statuses["s1"] = fakes.statuses["s1"].replace(
                        status="completed", stage="respond")
    assert seen == [("processing", "ingest"), ("processing", "transcribe"),
                    ("completed", "respond"), ("completed", None)]  # last: the end event


def test_stream_for_unknown_or_foreign_session_is_404(gw):  # noqa: F811
    client, fakes = gw
    fakes.statuses["s2"] = SessionStatus(session_id="s2", user_id="usr-someone")
    assert client.get("/v1/sessions/s2/events").status_code == 401  # registered: needs the token
    assert client.get("/v1/sessions/s2/events", headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.get("/v1/sessions/nope/events").status_code == 404
