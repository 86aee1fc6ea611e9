"""The gateway: its routes at a glance, and the app factory."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route

from gateway import endpoints, me, ops, page, peers, progress, seed, utterances
from gateway.deps import GatewayDeps
from gateway.errors import exception_handlers
from gateway.metrics import GatewayMetrics, RequestMetrics, metrics_endpoint
from gateway.openapi import openapi_json
from gateway.profile_view import ProfileReader
from gateway.sessions import Accepted
from gateway.webhooks import session_webhook, user_webhook

routes = [
    Route("/", page.index, methods=["GET"]),
    Route("/healthz", endpoints.healthz, methods=["GET"]),
    Route("/openapi.json", openapi_json, methods=["GET"]),
    Route("/metrics", metrics_endpoint, methods=["GET"]),
    # native API
    Route("/v1/users", endpoints.create_user, methods=["POST"]),
    Route("/v1/uploads", endpoints.create_upload, methods=["POST"]),
    Route("/v1/upload-events", endpoints.post_upload_event, methods=["POST"]),
    Route("/v1/utterances", utterances.create_utterance, methods=["POST"]),
    Route("/v1/sessions/{session_id}", endpoints.session_status, methods=["GET"]),
    Route("/v1/sessions/{session_id}/events", progress.session_events, methods=["GET"]),
    Route("/v1/sessions/{session_id}/webhook", session_webhook, methods=["GET"]),
    Route("/v1/users/me/webhook", user_webhook, methods=["GET", "PUT", "DELETE"]),
    # the signed-in user's own history and profile (the page)
    Route("/v1/me/sessions", me.my_sessions, methods=["GET"]),
    Route("/v1/me/profile", me.my_profile, methods=["GET"]),
    # the operator page and its API (operator token)
    Route("/ops", page.ops_index, methods=["GET"]),
    Route("/ops/api/topics", ops.topic_list, methods=["GET"]),
    Route("/ops/api/sessions", ops.recent_sessions, methods=["GET"]),
    Route("/ops/api/sessions/{session_id}/records", ops.session_records, methods=["GET"]),
    Route("/ops/api/dead-letters", ops.dead_letters, methods=["GET"]),
    Route("/ops/api/replay", ops.replay, methods=["POST"]),
    # the seed's browser client
    Route("/api/audio/upload-presigned", seed.upload_presigned, methods=["POST"]),
    Route("/api/audio/process", seed.process, methods=["POST"]),
    Route("/api/audio/status/{session_id}", seed.status, methods=["GET"]),
    # workers asking each other for the sessions they own
    Route("/internal/sessions/{session_id}", peers.internal_status, methods=["GET"]),
]


def create_gateway(deps: GatewayDeps) -> Starlette:
    cors = Middleware(CORSMiddleware, allow_origins=list(deps.config.cors_origins),
                      allow_methods=["GET", "POST", "OPTIONS"],
                      allow_headers=["Content-Type", "Authorization"], max_age=600)
    metrics = GatewayMetrics()
    app = Starlette(routes=routes, middleware=[Middleware(RequestMetrics, metrics=metrics), cors],
                    exception_handlers=exception_handlers())
    app.state.deps = deps
    app.state.accepted = Accepted()
    app.state.metrics = metrics
    app.state.profiles = ProfileReader(deps.settings)  # connects on first use
    return app
