"""Worker entry point: ``python -m streams.worker`` — the Faust stages and the gateway, one process.

Settings come from the environment (``Settings.from_env``). Models are loaded and the
graph connected before the worker joins its consumer group, on the loop Faust will run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import faust
import uvicorn

from core.settings import Settings
from core.storage import AudioStore
from gateway.app import create_gateway
from gateway.config import GatewayConfig
from gateway.deps import GatewayDeps
from gateway.objects import ObjectHead
from gateway.peers import PeerStatus
from gateway.uvicorn_compat import with_header_timeout
from schemas.topics import SESSION_STATUS_TABLE, AUDIO_UPLOADED, BUCKET_EVENTS
from streams.admin import ensure_topics
from streams.app import create_app
from streams.consumer_state import fetch_state
from streams.deps import build_deps
from streams.owners import is_local, status_owner
from streams.pipeline import Pipeline, build_pipeline
from streams.webhooks import Webhooks, attach_webhooks

log = logging.getLogger("aurasense.worker")


class EmbeddedServer(uvicorn.Server):
    """uvicorn inside Faust's loop: Faust owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


def readiness(app: faust.App) -> dict:
    """Ready once the worker has partitions and its tables are recovered."""
    try:
        assignment = app.consumer.assignment()
    except Exception:  # consumer not started yet
        assignment = set()
    # The session partitions this worker processes (standby table replicas not counted).
    sessions = sorted(tp.partition for tp in assignment if tp.topic == AUDIO_UPLOADED)
    recovering = bool(app.rebalancing or getattr(app, "in_recovery", False))
    ready = bool(sessions) and not recovering and app.tables.recovery.completed.is_set()
    return {"ready": ready, "assigned_partitions": len(assignment),
            "session_partitions": sessions, "recovering": recovering, "fetch": fetch_state(app)}


def _remote_owner(app: faust.App, session_id: str) -> str | None:
    """The gateway URL of the worker holding this session, if it is not this one."""
    try:
        owner = status_owner(app, session_id)
    except Exception as exc:  # no metadata yet (starting, rebalancing): answer locally
        log.debug("gateway: no owner known for %s yet (%s: %s)", session_id, type(exc).__name__, exc)
        return None
    if owner is None:
        log.debug("gateway: no worker holds the partition of %s in the assignor's metadata: %s",
                 session_id, app.router.table_metadata(SESSION_STATUS_TABLE))
    return None if is_local(app, owner) else str(owner)


def attach_gateway(app: faust.App, pipeline: Pipeline, settings: Settings,
                   webhooks: Webhooks | None = None) -> None:
    def metrics_source() -> dict:
        """What /metrics folds: the local status table, consumer lag, records sent per topic, and
        how often Faust's dropped records had to be repaired (streams/faust_compat.py, the
        sweeper)."""
        monitor = app.monitor
        ends, committed = monitor.tp_end_offsets or {}, monitor.tp_committed_offsets or {}
        lag = {(tp.topic, tp.partition): max(0, end - committed.get(tp, 0))
               for tp, end in ends.items()}
        return {"statuses": list(pipeline.statuses.table.values()), "consumer_lag": lag,
                "messages_sent": dict(monitor.messages_sent_by_topic or {}),
                "delivery_repairs": {"refetched": getattr(app.consumer, "refetched_records", 0),
                                     "lost_resent": pipeline.sweeper.actions["resent"],
                                     "lost_unreadable": pipeline.sweeper.actions["unreadable"]}}

    config = GatewayConfig.from_settings(settings)
    deps = GatewayDeps(
        settings=settings, store=AudioStore(settings),
        get_status=PeerStatus(pipeline.statuses.get, lambda sid: _remote_owner(app, sid), config),
        local_status=pipeline.statuses.get,
        publish_bucket_event=lambda key, value: pipeline.outbox.send_raw(BUCKET_EVENTS, key, value),
        announce_session=pipeline.outbox.send_event, publish_event=pipeline.outbox.send_event,
        readiness=lambda: readiness(app), head_object=ObjectHead(settings),
        config=config, metrics_source=metrics_source)
    gateway = create_gateway(deps)
    gateway.state.webhooks = webhooks  # gateway/webhooks.py: registrations and delivery states
    server_config = uvicorn.Config(gateway, host=settings.gateway_host,
                                   port=settings.gateway_port, log_level="warning", lifespan="off",
                                   http=with_header_timeout(settings.gateway_header_timeout_s))
    server = EmbeddedServer(server_config)

    @app.task
    async def serve_gateway() -> None:
        log.info("gateway on http://%s:%d", settings.gateway_host, settings.gateway_port)
        await server.serve()


def build_worker(settings: Settings, loop: asyncio.AbstractEventLoop) -> tuple[faust.App, Any]:
    loop.run_until_complete(ensure_topics(settings))
    days = AudioStore(settings).expire_audio_after(settings.cleanup_audio_files_hours)
    log.info("bucket %s: audio expires after %d day(s)", settings.audio_bucket, days)
    deps = loop.run_until_complete(build_deps(settings))
    app = create_app(settings)
    pipeline = build_pipeline(app, deps)
    attach_gateway(app, pipeline, settings, attach_webhooks(app, settings, loop))
    return app, deps


def main() -> None:
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app, _deps = build_worker(settings, loop)
    worker = faust.Worker(app, loop=loop, loglevel="info", quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()


if __name__ == "__main__":
    main()
