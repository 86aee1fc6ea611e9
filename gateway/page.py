"""The two pages: ``GET /`` (a conversation: history, live progress, profile, voice or typed
input) and ``GET /ops`` (the operator's view of the log, behind the operator token). Each is one
self-contained HTML file (no external assets: they work offline) calling the JSON routes."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse

from gateway.ops_auth import require_operator

STATIC = Path(__file__).parent / "static"
PAGE = (STATIC / "index.html").read_text(encoding="utf-8")
OPS_PAGE = (STATIC / "ops.html").read_text(encoding="utf-8")
HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


async def index(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE, headers=HEADERS)


async def ops_index(request: Request) -> HTMLResponse:
    require_operator(request)
    return HTMLResponse(OPS_PAGE, headers={**HEADERS, "Cache-Control": "no-store"})
