"""The OpenAPI 3.0 document the gateway serves at /openapi.json, kept next to the routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.http import json_response
from schemas.ids import ID_PATTERN
from schemas.typed_text import MAX_TEXT_CHARS, TEXT_RULE

ID = {"type": "string", "pattern": ID_PATTERN}
STR = {"type": "string"}
# One Server-Sent Event (OpenAPI 3.0/3.1 tools read a text/event-stream schema per event).
SSE_EVENT = {"type": "object", "required": ["data"],
             "properties": {"event": {"type": "string"}, "data": {"type": "string"},
                            "id": {"type": "string"}, "retry": {"type": "integer"}}}
NSTR = {"type": "string", "nullable": True}
AUDIO = {"type": "string", "example": "audio/wav",
         "description": "an audio type: audio/wav, audio/webm, audio/ogg, audio/mpeg, audio/mp4, "
                        "audio/aac, audio/flac (parameters such as ;codecs=opus are ignored)"}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": STR}}


def _obj(props: dict, required: tuple = (), extra: bool = True) -> dict:
    schema = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        schema["required"] = list(required)
    return schema


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(description: str, schema: dict | None = None) -> dict:
    return {"description": description, **(_json(schema) if schema else {})}


def _errors(*codes: int) -> dict:
    return {str(c): _ok("error", ERROR) for c in codes}


def _op(summary: str, responses: dict, body: dict | None = None, params: list | None = None,
        secure: bool = True) -> dict:
    op = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body)}
    if params:
        op["parameters"] = params
    if secure:
        op["security"] = [{}, {"bearer": []}]  # guests may call without a token
    return op


SESSION_PARAM = {"name": "session_id", "in": "path", "required": True, "schema": STR}
STATUS_FIELDS = {"session_id": STR, "status": {"type": "string",
                 "enum": ["pending", "processing", "completed", "failed"]},
                 "transcription": NSTR, "response_text": NSTR, "response_audio_url": NSTR,
                 "agent_used": NSTR, "error_message": NSTR, "cultural_context": {"type": "object"}}
SESSION = _obj({**STATUS_FIELDS, "user_id": STR, "stage": STR, "input_key": STR,
                "source": {"type": "string", "enum": ["", "speech", "text"],
                           "description": "speech (an upload) or text (typed); empty until known"},
                "created_at": {"type": "number"}, "completed_at": {"type": "number", "nullable": True},
                "timings": {"type": "object"}}, ("session_id", "user_id", "status"))
SEED_STATUS = _obj({**STATUS_FIELDS, "created_at": NSTR, "completed_at": NSTR},
                   ("session_id", "status"))
UPLOAD = _obj({"session_id": STR, "user_id": STR, "key": STR, "bucket": STR,
               "put": {"type": "object"}, "post": {"type": "object"}, "object_url": STR,
               "status_url": STR, "events_url": STR, "expires_in": {"type": "integer"},
               "max_bytes": {"type": "integer"}}, ("session_id", "key", "put", "post"))
WEBHOOK_URL = {"type": "string", "description": "http(s) URL called back when the session completes "
                                               "or fails (allow-listed; see the README's Webhooks)"}
UTTERANCE = _obj({"text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS,
                           "pattern": r"^[^\u0000-\u001f\u007f-\u009f]*$", "description": TEXT_RULE},
                  "session_id": ID, "webhook_url": WEBHOOK_URL}, ("text",), extra=False)
WEBHOOK = _obj({"scope": {"type": "string", "enum": ["session", "user"]}, "url": STR,
                "registration_id": STR, "registered_at": {"type": "number"},
                "secret": {"type": "string", "description": "HMAC key of Aurasense-Signature; shown once"}},
               ("scope", "url", "registration_id"))
WEBHOOK_STATE = _obj({"session_id": STR, "registration": {**WEBHOOK, "nullable": True},
                      "state": {"type": "string",
                                "enum": ["none", "pending", "retrying", "delivered", "gave_up"]},
                      "tries": {"type": "integer"}, "last_error": STR,
                      "response_status": {"type": "integer"}},
                     ("session_id", "state"))
UTTERANCE_ACCEPTED = _obj({"session_id": STR, "user_id": STR, "status": STR, "source": STR,
                           "status_url": STR, "events_url": STR},
                          ("session_id", "user_id", "status", "source"))
S3_EVENT = _obj({"Records": {"type": "array", "minItems": 1, "items": {"type": "object"}}},
                ("Records",))

PATHS = {
    "/": {"get": _op("the voice page (hold to talk)", {
        "200": {"description": "page", "content": {"text/html": {"schema": STR}}}}, secure=False)},
    "/healthz": {"get": _op("readiness of the worker behind the gateway", {
        "200": _ok("ready", {"type": "object"}), "503": _ok("not ready", {"type": "object"})},
        secure=False)},
    "/v1/users": {"post": _op("a new user id and its bearer token", {
        "201": _ok("created", _obj({"user_id": STR, "token": STR, "token_type": STR,
                                    "expires_in": {"type": "integer"}})),
        **_errors(400, 413)}, body=_obj({}), secure=False)},
    "/v1/uploads": {"post": _op("presigned PUT and POST form for one utterance", {
        "200": _ok("presigned", UPLOAD), **_errors(400, 401, 403, 409, 413, 415, 503)},
        body=_obj({"user_id": ID, "session_id": ID, "content_type": AUDIO, "webhook_url": WEBHOOK_URL}))},
    "/v1/upload-events": {"post": _op(
        "a bucket notification, published to bucket-events (token or webhook signature)", {
            "202": _ok("accepted", _obj({"accepted": {"type": "integer"}})),
            **_errors(400, 401, 403, 413)}, body=S3_EVENT,
        params=[{"name": "X-Aurasense-Signature", "in": "header", "required": False,
                 "schema": STR, "description": "sha256=<hex HMAC-SHA256 of the body>"}])},
    "/v1/utterances": {"post": _op(
        "typed text through the same pipeline as speech (the user is the bearer token's, or a new "
        "guest); the same session_id and text again is a retry: the session, nothing sent again", {
            "202": _ok("accepted (or, for a retry, already accepted)", UTTERANCE_ACCEPTED),
            **_errors(400, 401, 409, 413, 415, 503)}, body=UTTERANCE)},
    "/v1/sessions/{session_id}": {"get": _op("a session's status", {
        "200": _ok("status", SESSION), **_errors(401, 404)}, params=[SESSION_PARAM])},
    "/v1/sessions/{session_id}/events": {"get": _op(
        "Server-Sent Events: the session's stage transitions until completed or failed", {
            "200": {"description": "event stream: `status` events (data: the session status as JSON), "
                                   "then `end`",
                    "content": {"text/event-stream": {"schema": SSE_EVENT}}},
            **_errors(401, 404)},
        params=[SESSION_PARAM, {"name": "access_token", "in": "query", "required": False,
                                "schema": STR, "description": "bearer token (EventSource)"}])},
    "/v1/sessions/{session_id}/webhook": {"get": _op(
        "where the session is called back and how the delivery went", {
            "200": _ok("delivery state", WEBHOOK_STATE), **_errors(401, 404)},
        params=[SESSION_PARAM])},
    "/v1/users/me/webhook": {
        "get": _op("the token's user's webhook", {"200": _ok("registered", WEBHOOK),
                                                 **_errors(401, 404, 503)}),
        "put": _op("call back every later session of the token's user", {
            "201": _ok("registered (the secret is shown this once)", WEBHOOK),
            **_errors(400, 401, 413, 415, 503)}, body=_obj({"url": WEBHOOK_URL}, ("url",), extra=False)),
        "delete": _op("no more callbacks for the token's user", {
            "204": {"description": "removed"}, **_errors(401, 503)})},
    "/api/audio/upload-presigned": {"post": _op("seed: presigned POST form for one utterance", {
        "200": _ok("presigned", _obj({"upload_url": STR, "fields": {"type": "object"},
                                      "final_url": STR, "session_id": STR, "user_id": STR})),
        **_errors(400, 401, 413, 415)},
        body=_obj({"file_name": STR, "content_type": AUDIO}))},
    "/api/audio/process": {"post": _op("seed: start processing an uploaded object", {
        "200": _ok("accepted", _obj({"session_id": STR, "status": STR, "message": STR})),
        **_errors(400, 401, 403, 404, 413)},
        body=_obj({"audio_url": STR, "user_id": STR, "session_context": {"type": "object"}},
                  ("audio_url",)))},
    "/api/audio/status/{session_id}": {"get": _op("seed: a session's status", {
        "200": _ok("status", SEED_STATUS), **_errors(401, 404)}, params=[SESSION_PARAM])},
    "/metrics": {"get": _op("Prometheus metrics", {
        "200": {"description": "text exposition", "content": {"text/plain": {"schema": STR}}}},
        secure=False)},
}

SCHEMA = {
    "openapi": "3.0.3",
    "info": {"title": "Aurasense gateway", "version": "1.0.0",
             "description": "Presigned uploads, typed text, upload-event intake and session status of the "
                            "Aurasense voice pipeline. Registered users (POST /v1/users) send "
                            "`Authorization: Bearer <token>`; guests call without one."},
    "paths": PATHS,
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}


async def openapi_json(request: Request) -> Response:
    return json_response(SCHEMA)
