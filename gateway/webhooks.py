"""Webhook routes: a callback URL for one's own sessions, and how a session's callback went.

- ``webhook_url`` in ``POST /v1/uploads`` or ``POST /v1/utterances``: that session only;
- ``PUT /v1/users/me/webhook`` ``{"url": ...}``: every session of the bearer token's user that
  finishes from then on (``GET`` reads it, ``DELETE`` removes it; registered users only);
- ``GET /v1/sessions/{id}/webhook``: the delivery state, for whoever may read the session.

A registration answers its secret once (``secret``); the URL is checked against the allow-list
(streams/webhooks/targets.py) and refused with a 400 that says why. Delivery: streams/webhooks/.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway import me, sessions
from gateway.errors import not_offered
from gateway.http import deps_of, json_body, json_response
from schemas.webhooks import PENDING, SESSION_SCOPE, USER_SCOPE, WebhookRegistered
from streams.webhooks import Webhooks, WebhooksUnavailable
from streams.webhooks.targets import RefusedTarget, TargetPolicy, check_url

FIELD = "webhook_url"


def _webhooks(request: Request) -> Webhooks:
    hooks = getattr(request.app.state, "webhooks", None)
    if hooks is None:  # how this gateway runs, not an outage: no dependency to wait for
        raise not_offered("no worker behind this gateway: webhooks cannot be registered")
    return hooks


async def _register(request: Request, scope: str, subject: str, user_id: str, url: object) -> dict:
    try:
        check_url(url, TargetPolicy.from_settings(deps_of(request).settings))  # its form first
        reg, secret = await _webhooks(request).register(scope, subject, user_id, url)
    except RefusedTarget as exc:
        raise HTTPException(400, f"webhook url refused: {exc}") from None
    except WebhooksUnavailable as exc:  # no signing key configured: not an outage
        raise not_offered(str(exc)) from None
    return {**_registration(reg), "secret": secret}


def _registration(reg: WebhookRegistered) -> dict:
    return {"scope": reg.scope, "url": reg.url, "registration_id": reg.registration_id,
            "registered_at": reg.registered_at}


async def register_for_session(request: Request, data: dict, session_id: str, user_id: str) -> dict | None:
    """The body's ``webhook_url`` registered for this session (the caller was authorized as
    ``user_id`` already); None when the body has none."""
    if data.get(FIELD) is None:
        return None
    return await _register(request, SESSION_SCOPE, session_id, user_id, data[FIELD])


async def user_webhook(request: Request) -> Response:
    """GET, PUT (``{"url": ...}``) or DELETE the bearer token's user's webhook."""
    who = me.signed_in(request)
    if request.method == "PUT":
        data = await json_body(request)
        unknown = sorted(set(data) - {"url"})
        if unknown or "url" not in data:
            raise HTTPException(400, "send {\"url\": \"https://...\"} and nothing else")
        return json_response(await _register(request, USER_SCOPE, who, who, data["url"]), 201)
    hooks = _webhooks(request)
    if request.method == "DELETE":
        await hooks.remove(USER_SCOPE, who, who)
        return Response(status_code=204)
    reg = hooks.view.registration(USER_SCOPE, who)
    if reg is None:
        raise HTTPException(404, "no webhook registered for this user")
    return json_response(_registration(reg))


async def session_webhook(request: Request) -> Response:
    """Where the session is called back and how it went: ``none`` (no webhook), ``pending``,
    ``retrying`` (``tries`` so far, ``last_error``, ``next_try_at``), ``delivered`` or ``gave_up``."""
    status = await sessions.find(request, request.path_params["session_id"])
    hooks = getattr(request.app.state, "webhooks", None)
    if hooks is None:  # no worker: nothing can have been registered through this gateway
        return json_response({"session_id": status.session_id, "registration": None, "state": "none"})
    view = hooks.view
    reg = view.registration_for(status)
    answer = {"session_id": status.session_id, "registration": _registration(reg) if reg else None,
              "state": "none" if reg is None else PENDING}
    delivery = view.delivery(status.session_id)
    if delivery is not None and delivery.attempt == status.attempt:
        answer.update(state=delivery.state, event=delivery.event, tries=delivery.tries,
                      last_error=delivery.last_error, response_status=delivery.response_status,
                      updated_at=delivery.updated_at, next_try_at=delivery.next_try_at,
                      url=delivery.url, deliverer=delivery.deliverer)
    return json_response(answer)
