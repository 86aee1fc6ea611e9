"""The OpenAPI 3.0 document the gateway serves at /openapi.json, kept next to the routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from gateway.http import json_response
from schemas.ids import ID_PATTERN
from schemas.typed_text import MAX_TEXT_CHARS, TEXT_RULE

# Routes left out on purpose (tests/test_gateway_openapi.py holds every other route to this
# document): /internal/* is workers asking each other for the sessions they own
# (gateway/peers.py, signed with the workers' shared secret), not a client API.
UNDOCUMENTED_PREFIXES = ("/internal/",)

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


RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                               "schema": {"type": "integer"}}}


def _errors(*codes: int) -> dict:
    """Error answers; a 503 (a dependency briefly unreachable, gateway/errors.py) says when to retry."""
    return {str(c): {**_ok("error", ERROR), **({"headers": RETRY_AFTER} if c == 503 else {})}
            for c in codes}


GUEST_OR_USER = [{}, {"bearer": []}]  # guests may call without a token
USER = [{"bearer": []}]
OPERATOR = [{"operator": []}, {"operatorBasic": []}]  # AURASENSE_OPERATOR_TOKEN (gateway/ops_auth.py)
PUBLIC = None


def _op(summary: str, responses: dict, body: dict | None = None, params: list | None = None,
        security: list | None = GUEST_OR_USER) -> dict:
    op = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body)}
    if params:
        op["parameters"] = params
    if security is not None:
        op["security"] = security
    return op


def _limit(default: int, most: int) -> dict:
    return {"name": "limit", "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": most, "default": default}}


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
HISTORY_TURN = _obj({**SESSION["properties"], "response_audio_url": {
    **NSTR, "description": "signed afresh on each read"}}, ("session_id", "user_id", "status"))
PROFILE = _obj({"user_id": STR, "name": NSTR, "home_city": NSTR, "neighbourhood": NSTR,
                "language": NSTR, "cultural_background": NSTR,
                "known": {"type": "boolean",
                          "description": "false until the user said anything about themself"},
                "onboarded": {"type": "boolean"}, "diets": {"type": "array", "items": STR},
                "allergies": {"type": "array", "items": _obj({"name": STR, "severity": NSTR})}},
               ("user_id", "known"))
INT = {"type": "integer"}
LAG = {"type": "integer", "nullable": True, "description": "the pipeline group's, on what the stages read"}
OPS_TOPICS = _obj({"topics": {"type": "array", "items": _obj(
    {"name": STR, "partitions": INT, "records": INT, "lag": LAG})}}, ("topics",))
OPS_SESSION = _obj({"session_id": STR, "user_id": STR, "status": STR, "stage": STR, "source": STR,
                    "agent_used": NSTR, "attempt": INT, "transcription": NSTR, "error_message": NSTR,
                    "created_at": {"type": "number"}, "completed_at": {"type": "number", "nullable": True},
                    "last_event": NSTR, "timings": {"type": "object", "description": "stage: compute ms"}})
LOG_RECORD = _obj({"topic": STR, "partition": INT, "offset": INT, "timestamp_ms": INT, "key": NSTR,
                   "value": {"description": "the decoded value (JSON), voiceprints and tokens redacted"}})
SESSION_RECORDS = _obj({"session_id": STR, "records": {"type": "array", "items": LOG_RECORD}},
                       ("session_id", "records"))
DEAD_LETTER = _obj({"id": {"type": "string", "description": "<partition>@<offset>, what replay takes"},
                    "timestamp_ms": INT, "sessions": {"type": "array", "items": STR}, "origin": STR,
                    "origin_topic": STR, "stage": STR, "error": STR, "payload": STR}, ("id", "error"))
REPLAY = {"oneOf": [_obj({"dead_letter": {"type": "string", "pattern": r"^\d{1,6}@\d{1,19}$"}},
                         ("dead_letter",), extra=False),
                    _obj({"session_id": ID}, ("session_id",), extra=False)]}
REPLAYED = _obj({"replayed": {"type": "array", "items": _obj({"from": STR, "to": STR, "key": NSTR})}},
                ("replayed",))
OPS_READ_ERRORS = (400, 401, 403, 503)  # 403: the operator page is off (no operator token set)

PATHS = {
    "/": {"get": _op("the voice page (hold to talk)", {
        "200": {"description": "page", "content": {"text/html": {"schema": STR}}}}, security=PUBLIC)},
    "/healthz": {"get": _op("readiness of the worker behind the gateway", {
        "200": _ok("ready", {"type": "object"}), "503": _ok("not ready", {"type": "object"})},
        security=PUBLIC)},
    "/v1/users": {"post": _op("a new user id and its bearer token", {
        "201": _ok("created", _obj({"user_id": STR, "token": STR, "token_type": STR,
                                    "expires_in": {"type": "integer"}})),
        **_errors(400, 413)}, body=_obj({}), security=PUBLIC)},
    "/v1/uploads": {"post": _op("presigned PUT and POST form for one utterance", {
        "200": _ok("presigned", UPLOAD), **_errors(400, 401, 403, 409, 413, 415, 501, 503)},
        body=_obj({"user_id": ID, "session_id": ID, "content_type": AUDIO, "webhook_url": WEBHOOK_URL}))},
    "/v1/upload-events": {"post": _op(
        "a bucket notification, published to bucket-events (token or webhook signature)", {
            "202": _ok("accepted", _obj({"accepted": {"type": "integer"}})),
            **_errors(400, 401, 403, 413, 503)}, body=S3_EVENT,
        params=[{"name": "X-Aurasense-Signature", "in": "header", "required": False,
                 "schema": STR, "description": "sha256=<hex HMAC-SHA256 of the body>"}])},
    "/v1/utterances": {"post": _op(
        "typed text through the same pipeline as speech (the user is the bearer token's, or a new "
        "guest); the same session_id and text again is a retry: the session, nothing sent again", {
            "202": _ok("accepted (or, for a retry, already accepted)", UTTERANCE_ACCEPTED),
            **_errors(400, 401, 409, 413, 415, 501, 503)}, body=UTTERANCE)},
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
                                                 **_errors(401, 404, 501, 503)}, security=USER),
        "put": _op("call back every later session of the token's user", {
            "201": _ok("registered (the secret is shown this once)", WEBHOOK),
            **_errors(400, 401, 413, 415, 501, 503)}, body=_obj({"url": WEBHOOK_URL}, ("url",), extra=False),
            security=USER),
        "delete": _op("no more callbacks for the token's user", {
            "204": {"description": "removed"}, **_errors(401, 501, 503)}, security=USER)},
    "/v1/me/sessions": {"get": _op("the token's user's latest turns, newest first", {
        "200": _ok("history", _obj({"sessions": {"type": "array", "items": HISTORY_TURN}}, ("sessions",))),
        **_errors(400, 401, 503)}, params=[_limit(50, 200)], security=USER)},
    "/v1/me/profile": {"get": _op("what the product stored about the token's user (read only)", {
        "200": _ok("profile", PROFILE), **_errors(401, 503)}, security=USER)},
    "/ops": {"get": _op("the operator page", {
        "200": {"description": "page", "content": {"text/html": {"schema": STR}}},
        **_errors(401, 403)}, security=OPERATOR)},
    "/ops/api/topics": {"get": _op("every topic: partitions, records, the pipeline group's lag", {
        "200": _ok("topics", OPS_TOPICS), **_errors(401, 403, 503)}, security=OPERATOR)},
    "/ops/api/sessions": {"get": _op("the latest sessions, newest first", {
        "200": _ok("sessions", _obj({"sessions": {"type": "array", "items": OPS_SESSION}}, ("sessions",))),
        **_errors(*OPS_READ_ERRORS)}, params=[_limit(20, 200)], security=OPERATOR)},
    "/ops/api/sessions/{session_id}/records": {"get": _op(
        "one session's records across every pipeline topic, oldest first", {
            "200": _ok("records", SESSION_RECORDS),
            **_errors(*OPS_READ_ERRORS)}, params=[SESSION_PARAM], security=OPERATOR)},
    "/ops/api/dead-letters": {"get": _op("dead letters, newest first", {
        "200": _ok("dead letters", _obj({"dead_letters": {"type": "array", "items": DEAD_LETTER}},
                                        ("dead_letters",))),
        **_errors(*OPS_READ_ERRORS)}, params=[_limit(50, 500)], security=OPERATOR)},
    "/ops/api/replay": {"post": _op(
        "a dead letter back to its origin topic, or a session's input records back to theirs "
        "(as `aurasense replay --into-pipeline`)", {
            "202": _ok("re-published", REPLAYED), **_errors(400, 401, 403, 404, 413, 415, 503)},
        body=REPLAY, security=OPERATOR)},
    "/api/audio/upload-presigned": {"post": _op("seed: presigned POST form for one utterance", {
        "200": _ok("presigned", _obj({"upload_url": STR, "fields": {"type": "object"},
                                      "final_url": STR, "session_id": STR, "user_id": STR})),
        **_errors(400, 401, 403, 413, 415, 503)},
        body=_obj({"file_name": STR, "content_type": AUDIO, "user_id": {
            "type": "string", "description": "without a token: the guest this upload is for"}}))},
    "/api/audio/process": {"post": _op("seed: start processing an uploaded object", {
        "200": _ok("accepted", _obj({"session_id": STR, "status": STR, "message": STR})),
        **_errors(400, 401, 403, 404, 413, 415, 503)},
        body=_obj({"audio_url": STR, "user_id": STR, "session_context": {"type": "object"}},
                  ("audio_url",)))},
    "/api/audio/status/{session_id}": {"get": _op("seed: a session's status", {
        "200": _ok("status", SEED_STATUS), **_errors(401, 404)}, params=[SESSION_PARAM])},
    "/openapi.json": {"get": _op("this document", {"200": _ok("OpenAPI 3.0", {"type": "object"})},
                                 security=PUBLIC)},
    "/metrics": {"get": _op("Prometheus metrics", {
        "200": {"description": "text exposition", "content": {"text/plain": {"schema": STR}}}},
        security=PUBLIC)},
}

SCHEMA = {
    "openapi": "3.0.3",
    "info": {"title": "Aurasense gateway", "version": "1.0.0",
             "description": "Presigned uploads, typed text, upload-event intake and session status of the "
                            "Aurasense voice pipeline, the signed-in user's history and profile, and the "
                            "operator's view of the log (/ops). Registered users (POST /v1/users) send "
                            "`Authorization: Bearer <token>`; guests call without one. A dependency "
                            "briefly unreachable answers 503 with `Retry-After`."},
    "paths": PATHS,
    "components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "operator": {"type": "http", "scheme": "bearer", "description": "AURASENSE_OPERATOR_TOKEN"},
        "operatorBasic": {"type": "http", "scheme": "basic",
                          "description": "any user name, AURASENSE_OPERATOR_TOKEN as the password"}}},
}


async def openapi_json(request: Request) -> Response:
    return json_response(SCHEMA)
