"""Request and response helpers shared by the endpoints: JSON in (size-limited), JSON out."""

from __future__ import annotations

import asyncio

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from gateway.deps import GatewayDeps
from schemas.ids import SAFE_ID

ID_RULE = "1-64 characters of letters, digits, '_', '-', '.' (starting with a letter or digit)"


def deps_of(request: Request) -> GatewayDeps:
    return request.app.state.deps


def json_response(data: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json",
                    headers=headers)


async def raw_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body over {limit} bytes")
    raw = bytearray()
    timeout_s = deps_of(request).config.body_timeout_s
    try:
        async with asyncio.timeout(timeout_s):
            async for chunk in request.stream():
                raw += chunk
                if len(raw) > limit:
                    raise HTTPException(413, f"request body over {limit} bytes")
    except TimeoutError:
        raise HTTPException(408, f"request body not received within {timeout_s:g} s") from None
    except ClientDisconnect:  # the client left mid-body: its request, not a server error
        raise HTTPException(400, "the client disconnected before the body was complete") from None
    return bytes(raw)


def parse_object(raw: bytes) -> dict:
    try:
        data = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise HTTPException(400, "request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(400, "request body must be a JSON object")
    return data


async def json_body(request: Request) -> dict:
    """The request's JSON object; 415 unless it says it is JSON (an empty body may say nothing)."""
    raw = await raw_body(request, deps_of(request).config.max_body_bytes)
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if raw and kind != "application/json" and not kind.endswith("+json"):
        raise HTTPException(415, "send the body as JSON (Content-Type: application/json)")
    return parse_object(raw)


def safe_id(data: dict, name: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str) or not SAFE_ID.match(value):
        raise HTTPException(400, f"{name} must be {ID_RULE}")
    return value


def optional_str(data: dict, name: str, default: str, max_len: int = 255) -> str:
    value = data.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > max_len:
        raise HTTPException(400, f"{name} must be a string of at most {max_len} characters")
    return value
