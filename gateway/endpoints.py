"""The native API (/v1): thin endpoints — validate, authorize, hand off, answer."""

from __future__ import annotations

import uuid

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway import auth, sessions, uploads, webhooks
from gateway.http import deps_of, json_body, json_response, parse_object, raw_body, safe_id
from schemas.records import SchemaError
from schemas.s3_events import parse_bucket_event


async def healthz(request: Request) -> Response:
    state = deps_of(request).readiness()
    return json_response(state, 200 if state.get("ready") else 503)


async def create_user(request: Request) -> Response:
    """A new user id and its bearer token (the start of onboarding)."""
    config = deps_of(request).config
    await json_body(request)  # no fields yet; still size-limited and must be JSON
    user_id = auth.new_user_id()
    return json_response({"user_id": user_id, "token": auth.issue_token(config, user_id),
                          "token_type": "bearer", "expires_in": config.token_ttl_s}, 201)


async def create_upload(request: Request) -> Response:
    """A presigned PUT and a presigned POST form for one utterance of one user."""
    deps, data = deps_of(request), await json_body(request)
    who = auth.caller(request, deps.config)
    user_id = safe_id(data, "user_id", who)
    if not auth.may_act_as(deps.config, who, user_id):
        raise HTTPException(403, f"not allowed to upload as {user_id}: send that user's bearer token")
    session_id = safe_id(data, "session_id", str(uuid.uuid4()))
    if await sessions.lookup(request, session_id) is not None:
        raise HTTPException(409, "session_id already in use: omit it to get a new one")
    content_type = uploads.audio_type(data.get("content_type", "audio/wav"))
    key = uploads.upload_key(deps, user_id, session_id, content_type)
    signed = uploads.presign(deps, key, content_type)
    # On the log before the upload is issued, so it is there before the session can finish.
    webhook = await webhooks.register_for_session(request, data, session_id, user_id)
    await uploads.issue(request, deps, user_id, session_id, key, signed["expires_in"])
    return json_response({
        "session_id": session_id, "user_id": user_id, "bucket": deps.store.bucket, "key": key,
        "expires_in": signed["expires_in"], "max_bytes": signed["max_bytes"],
        "put": {"url": signed["put_url"], "headers": {"Content-Type": content_type}},
        "post": {"url": signed["post_url"], "fields": signed["post_fields"]},
        "object_url": signed["final_url"], "status_url": f"/v1/sessions/{session_id}",
        "events_url": f"/v1/sessions/{session_id}/events",
        **({"webhook": webhook} if webhook else {}),
    })


async def post_upload_event(request: Request) -> Response:
    """A bucket notification (AWS or MinIO shape), published to bucket-events.

    Signed by the bucket webhook (``X-Aurasense-Signature: sha256=<HMAC of the body>``), or sent
    with a user's bearer token for objects under that user's own upload prefix.
    """
    deps = deps_of(request)
    raw = await raw_body(request, deps.config.max_body_bytes)
    signed = auth.valid_signature(deps.config, raw, request.headers.get(auth.SIGNATURE_HEADER))
    who = None if signed else auth.caller(request, deps.config)
    if not signed and who is None:
        raise HTTPException(401, "send a bearer token or the bucket webhook's signature header")
    data = parse_object(raw)
    try:
        objects = parse_bucket_event(data)
    except SchemaError as exc:
        raise HTTPException(400, str(exc)) from None
    if who is not None and any(uploads.owner_of(deps, o.key) != who for o in objects):
        raise HTTPException(403, f"a user may only announce objects under "
                                 f"{deps.settings.upload_prefix}{who}/")
    refused = next(filter(None, (uploads.metadata_mismatch(o) for o in objects)), "")
    if refused:
        raise HTTPException(403, refused)
    for obj in objects:
        request.app.state.metrics.upload_bytes.observe(obj.size)
    first = objects[0]
    await deps.publish_bucket_event(f"{first.bucket}/{first.key}".encode(), raw)
    return json_response({"accepted": len(objects)}, 202)


async def session_status(request: Request) -> Response:
    return json_response(sessions.public_view(await sessions.find(request, request.path_params["session_id"])))
