"""Every error answers JSON ``{"error": ...}``; nothing leaks a traceback.

A dependency that is briefly down (the broker, the bucket or the graph restarting) answers 503 with
``Retry-After``, for every route, here: endpoints never catch connection errors themselves. A real
bug (anything else) stays a 500 and is logged with its traceback.
"""

from __future__ import annotations

import logging

import botocore.exceptions as s3_errors
from aiokafka import errors as kafka_errors
from faust.exceptions import NotReady, ProducerSendError
from neo4j.exceptions import ServiceUnavailable
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from aurasense.ops.log import BrokerUnreachable

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5  # a restarting broker or bucket is usually back within seconds

# What a dependency raises while it is down or not yet up, and what the answer calls it.
OUTAGES: tuple[tuple[type[BaseException], str], ...] = (
    (BrokerUnreachable, "broker"), (kafka_errors.KafkaConnectionError, "broker"),
    (kafka_errors.KafkaTimeoutError, "broker"), (kafka_errors.NodeNotReadyError, "broker"),
    (kafka_errors.RequestTimedOutError, "broker"), (kafka_errors.ProducerClosed, "broker"),
    (NotReady, "broker"),  # Faust's producer between a stop and a start
    (s3_errors.ConnectionError, "object-store"), (s3_errors.ReadTimeoutError, "object-store"),
    (s3_errors.ConnectionClosedError, "object-store"),
    (ServiceUnavailable, "graph"),
)
# What an outage may arrive wrapped in (Faust wraps the producer's KafkaError); its chain decides.
WRAPPERS: tuple[type[BaseException], ...] = (ProducerSendError, s3_errors.ClientError)
DESCRIBED = {"broker": "the message broker", "object-store": "the object store", "graph": "the graph"}


def outage_of(exc: BaseException) -> str | None:
    """Which dependency ``exc`` (or what it was raised from) says is unreachable; None for anything
    else. Only explicit causes count: an error raised while handling an outage is not one."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        for kind, dependency in OUTAGES:
            if isinstance(exc, kind):
                return dependency
        if _bucket_not_ready(exc):
            return "object-store"
        exc = exc.__cause__
    return None


def _bucket_not_ready(exc: BaseException) -> bool:
    """An S3 503 (MinIO answers it while it starts, S3 when it sheds load)."""
    if not isinstance(exc, s3_errors.ClientError):
        return False
    return exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 503


async def dependency_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 + Retry-After for an outage, logged as one line; anything else goes on to the 500."""
    dependency = outage_of(exc)
    if dependency is None:
        raise exc
    route = getattr(request.scope.get("route"), "path", "unmatched")
    request.app.state.metrics.unavailable.labels(route, dependency).inc()
    log.warning("gateway: %s %s: %s unreachable, answered 503 (%s: %s)", request.method,
                request.url.path, dependency, type(exc).__name__, exc)
    return JSONResponse({"error": f"{DESCRIBED[dependency]} is unreachable for now: "
                                  f"retry in {RETRY_AFTER_S} s", "unavailable": dependency},
                        status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})


def not_offered(what: str) -> HTTPException:
    """A feature this deployment runs without (no worker behind the gateway, no webhook signing
    key): 501, not 503, since there is no outage to wait out and so no ``Retry-After``."""
    return HTTPException(501, what)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 503:  # every 503 is an outage, and says when to try again
        headers.setdefault("Retry-After", str(RETRY_AFTER_S))
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=headers or None)


async def unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("gateway: %s %s failed", request.method, request.url.path)
    return JSONResponse({"error": "internal error"}, status_code=500)


def exception_handlers() -> dict:
    """The app's handlers: HTTP errors as they are, outages as 503, the rest as 500."""
    maybe_outages = [kind for kind, _ in OUTAGES] + list(WRAPPERS)
    return {HTTPException: http_error, **dict.fromkeys(maybe_outages, dependency_unavailable),
            Exception: unhandled_error}
