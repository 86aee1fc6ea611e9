"""The gateway: its routes at a glance, and the app factory."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from gateway import endpoints
from gateway.deps import GatewayDeps
from gateway.errors import http_error, unhandled_error

routes = [
    Route("/healthz", endpoints.healthz, methods=["GET"]),
    Route("/v1/uploads", endpoints.create_upload, methods=["POST"]),
    Route("/v1/upload-events", endpoints.post_upload_event, methods=["POST"]),
    Route("/v1/sessions/{session_id}", endpoints.session_status, methods=["GET"]),
]


def create_gateway(deps: GatewayDeps) -> Starlette:
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error,
                                                       Exception: unhandled_error})
    app.state.deps = deps
    return app
