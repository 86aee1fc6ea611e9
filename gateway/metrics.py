"""Prometheus metrics: requests, uploads, sessions, stages, dead letters, consumer lag, and
delivery repairs (Faust's dropped records fetched again, lost events sent again).

Request metrics are counted by a small ASGI middleware. Session metrics are folded from the
worker's status table at scrape time (``deps.metrics_source()``): each finished session is
observed once (the first scrape after a restart observes what the local table holds).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from gateway.http import deps_of
from streams.pipeline import STAGE_NAMES

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
SIZE_BUCKETS = (1e3, 1e4, 5e4, 1e5, 2.5e5, 5e5, 1e6, 2.5e6, 5e6, 1e7, 2.5e7)
STAGES = STAGE_NAMES  # the pipeline table names them


class GatewayMetrics:
    def __init__(self, seen_limit: int = 100_000) -> None:
        r = self.registry = CollectorRegistry()
        self.requests = Counter("aurasense_gateway_requests", "HTTP requests",
                                ("route", "method", "status"), registry=r)
        self.request_seconds = Histogram("aurasense_gateway_request_seconds", "HTTP request time",
                                         ("route",), buckets=LATENCY_BUCKETS, registry=r)
        self.errors = Counter("aurasense_gateway_errors", "requests answered 5xx", ("route",),
                              registry=r)
        self.unavailable = Counter("aurasense_gateway_unavailable", "requests answered 503 because "
                                   "a dependency was unreachable (gateway/errors.py)",
                                   ("route", "dependency"), registry=r)
        self.upload_bytes = Histogram("aurasense_upload_bytes", "size of uploads announced "
                                      "through the gateway", buckets=SIZE_BUCKETS, registry=r)
        self.processing_seconds = Histogram(
            "aurasense_session_processing_seconds", "completed_at - uploaded_at (else created_at) of finished sessions",
            ("status",), buckets=LATENCY_BUCKETS, registry=r)
        self.stage_seconds = Histogram("aurasense_stage_seconds", "per-stage time (started to "
                                       "finished)", ("stage",), buckets=LATENCY_BUCKETS, registry=r)
        self.sessions = Counter("aurasense_sessions_finished", "finished sessions seen",
                                ("status", "stage"), registry=r)
        self.active = Gauge("aurasense_active_sessions", "sessions not yet finished (local table)",
                            ("status",), registry=r)
        self.dead_letters = Gauge("aurasense_dead_letters", "records this worker sent to "
                                  "dead-letter", registry=r)
        self.lag = Gauge("aurasense_consumer_lag", "log end minus committed offset",
                         ("topic", "partition"), registry=r)
        self.repairs = Gauge("aurasense_delivery_repairs", "since the worker started: records Faust "
                             "dropped and fetched again, lost events sent again", ("kind",), registry=r)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._seen_limit = seen_limit

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.request_seconds.labels(route).observe(seconds)
        if status >= 500:
            self.errors.labels(route).inc()

    def refresh(self, source: dict[str, Any]) -> None:
        self._fold_statuses(source.get("statuses", ()))
        self.dead_letters.set(source.get("messages_sent", {}).get("dead-letter", 0))
        self.lag.clear()
        for (topic, partition), lag in source.get("consumer_lag", {}).items():
            self.lag.labels(topic, str(partition)).set(lag)
        for kind, n in source.get("delivery_repairs", {}).items():
            self.repairs.labels(kind).set(n)

    def _fold_statuses(self, statuses: Iterable[dict]) -> None:
        active = {"pending": 0, "processing": 0}
        for s in statuses:
            state = s.get("status", "")
            if state in active:
                active[state] += 1
            elif state in ("completed", "failed") and self._first_time(s):
                self._observe_finished(s)
        for state, n in active.items():
            self.active.labels(state).set(n)

    def _first_time(self, status: dict) -> bool:
        key = f"{status.get('session_id')}#{status.get('attempt', 1)}"
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self._seen_limit:
            self._seen.popitem(last=False)
        return True

    def _observe_finished(self, s: dict) -> None:
        self.sessions.labels(s["status"], s.get("stage", "")).inc()
        began = s.get("uploaded_at") or s.get("created_at")  # issued sessions wait for their audio
        if s.get("completed_at") and began:
            self.processing_seconds.labels(s["status"]).observe(max(0.0, s["completed_at"] - began))
        for stage, t in (s.get("timings") or {}).items():
            if stage in STAGES and t.get("finished_at") and t.get("started_at"):
                self.stage_seconds.labels(stage).observe(max(0.0, t["finished_at"] - t["started_at"]))

    def render(self) -> bytes:
        return generate_latest(self.registry)


class RequestMetrics:
    """ASGI middleware: count every request by route template, method and status."""

    def __init__(self, app: Any, metrics: GatewayMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def send_status(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe_request(route, scope["method"], status[0],
                                         time.perf_counter() - started)


async def metrics_endpoint(request: Request) -> Response:
    metrics: GatewayMetrics = request.app.state.metrics
    source = deps_of(request).metrics_source
    if source is not None:
        metrics.refresh(source())
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
