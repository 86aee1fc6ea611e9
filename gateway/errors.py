"""Every error answers JSON ``{"error": ...}``; nothing leaks a traceback."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("gateway: %s %s failed", request.method, request.url.path)
    return JSONResponse({"error": "internal error"}, status_code=500)
