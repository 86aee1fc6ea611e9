"""``GET /``: a small page — hold to record, upload through the presigned form, live progress
(SSE), the transcription and the reply, spoken. It uses the seed's routes, as a guest."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse

PAGE = (Path(__file__).parent / "static" / "index.html").read_text(encoding="utf-8")


async def index(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Cache-Control": "no-cache"})
