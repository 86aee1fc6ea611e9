"""Delivery drills: uploads in flight at a steady rate, then something is killed.

    a  broker-kill       SIGKILL the broker of a one-node stack, then start it again
    b  cluster-node-kill SIGKILL one broker of a 3-node cluster (RF 3, min ISR 2) and leave it down
    c  worker-kill       SIGKILL one of two workers (the supervisor brings it back)
    d  stack-restart     stop the whole stack and the workers, then start them all again

Each drill runs on its own throw-away local stack (real Kafka, SeaweedFS, FalkorDB, workers),
sends uploads through the real path (presigned PUT, bucket notification), strikes once a third
of them are sent, and reports: uploads sent, completed exactly once, failed, lost, duplicate
replies (more than one ``audio-responded`` record for a session), the slowest session and the
recovery time (from the strike to the first session completed once the struck part is back).
Drill d also checks that every status and the speaker's profile from before the stop are served
after it.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import orjson

from agents.registry import TURN_KEYS
from aurasense.client import GatewayClient
from aurasense.ops import loadgen, speech
from core.settings import Settings
from aurasense.worker_process import WorkerProcess
from schemas import topics
from streams.topic_reader import read_topic_sync

ONBOARDING = "Hi, I'm new. My name is Sam and I live in London. I'm allergic to peanuts."


@dataclass(frozen=True)
class Drill:
    key: str
    name: str
    what: str
    kafka_nodes: int
    workers: int


DRILLS = {d.key: d for d in (
    Drill("a", "broker-kill", "SIGKILL the broker of a one-node stack, then restart it", 1, 1),
    Drill("b", "cluster-node-kill", "SIGKILL one broker of a 3-node cluster, leave it down", 3, 1),
    Drill("c", "worker-kill", "SIGKILL one of two workers", 1, 2),
    Drill("d", "stack-restart", "stop the whole stack and start it again", 1, 1),
)}


@dataclass
class DrillReport:
    drill: str
    what: str
    uploads: int
    sent: int
    completed_once: int
    failed: int
    lost: int
    duplicate_replies: int
    upload_errors: int
    slowest_session_s: float | None
    recovery_s: float | None
    durable: bool | None = None  # drill d: statuses and the profile from before are served after
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        ok = self.lost == 0 and self.duplicate_replies == 0 and self.durable is not False
        return ok and (self.failed == 0 if self.drill == "cluster-node-kill" else True)


class Rig:
    """One drill's stack and workers; ``strike`` does the damage."""

    def __init__(self, drill: Drill, root: Path, base: Settings) -> None:
        from stack.local import LocalStack
        from stack.processes import free_port
        from streams.admin import ensure_topics_sync

        self.drill, self.root = drill, root
        self.stack = LocalStack(root / "stack", base.with_(data_dir=root), kafka_nodes=drill.kafka_nodes,
                                create_topics=ensure_topics_sync)
        self._free_port = free_port

    def start(self) -> None:
        self.stack.start()
        self.settings = self.stack.settings()
        self.workers = [WorkerProcess(self.settings.with_(gateway_port=self._free_port()),
                                      self.root / "logs" / f"worker-{i}.log", name=f"worker-{i}",
                                      supervise=True)
                        for i in range(self.drill.workers)]
        for w in self.workers:
            w.start()
        for w in self.workers:
            GatewayClient(w.gateway_url).wait_ready(timeout=180)

    @property
    def gateway(self) -> str:
        return self.workers[0].gateway_url  # never the one drill c kills

    def strike(self) -> None:
        key = self.drill.key
        if key == "a":
            self.stack.kill_broker()
            self.stack.start_broker()
        elif key == "b":
            self.stack.kill_broker(node_id=len(self.stack.broker.nodes))
        elif key == "c":
            self.workers[-1].kill()
        elif key == "d":
            for w in self.workers:
                w.stop()
            self.stack.stop()
            self.stack.start()
            for w in self.workers:
                w.start()

    def stop(self) -> None:
        for w in getattr(self, "workers", []):
            w.stop()
        self.stack.stop()


def run(drill: Drill, root: Path, uploads: int = 12, rate: float = 0.5,
        timeout_s: float = 240.0, say: Callable[[str], None] = print) -> DrillReport:
    base = Settings.from_env()
    # One token secret for every worker: a gateway asks its peers for the sessions they hold.
    rig = Rig(drill, root, base.with_(token_secret=base.token_secret or secrets.token_hex(16)))
    with ExitStack() as cleanup:
        say(f"drill {drill.key} ({drill.name}): starting a stack with {drill.kafka_nodes} broker(s) "
            f"and {drill.workers} worker(s) in {root}")
        cleanup.callback(rig.stop)
        rig.start()
        clips = speech.synthesize([ONBOARDING, *speech.UTTERANCES[:4]], rig.settings)
        user = f"drill-{drill.key}-{uuid.uuid4().hex[:6]}"
        poller = loadgen.check_gateway(rig.gateway)
        cleanup.callback(poller.close)
        onboarding = _onboard(poller, user, clips[0])
        profile_before = _profile(rig.settings, user)
        sender = loadgen.S3Sender(rig.gateway, user, clips[1:])
        cleanup.callback(sender.close)
        run_id = loadgen.new_run_id()
        sessions = [f"{run_id}-{i:05d}" for i in range(uploads)]
        result: dict = {}
        load = threading.Thread(target=lambda: result.update(report=loadgen.run_load(
            sender, poller, sessions, mode="s3", rate=rate, concurrency=4, timeout_s=timeout_s,
            progress=False)))
        load.start()
        strike_at = time.monotonic() + (uploads / 3) / rate
        while time.monotonic() < strike_at and load.is_alive():
            load.join(timeout=strike_at - time.monotonic())
        before = {sid: poller.status(sid) for sid in [onboarding, *sessions]}
        done_before = {sid: s for sid, s in before.items() if s and s["status"] == "completed"}
        say(f"drill {drill.key}: {drill.what} ({len(done_before)} sessions completed so far)")
        struck = time.time()
        rig.strike()
        restored = time.time()  # a drill that restarts something is over when it is back
        load.join()
        report = result["report"]
        return _report(drill, report, rig, (struck, restored), done_before, poller, profile_before,
                       user, uploads)


def _onboard(client: GatewayClient, user: str, wav: bytes) -> str:
    upload = client.create_upload(user)
    client.put(upload, wav)
    client.wait_done(upload.session_id, timeout=180)
    return upload.session_id


def _profile(settings: Settings, user: str) -> dict | None:
    from agents.providers.graph_backend import make_graph_store

    async def read() -> dict | None:
        graph = make_graph_store(settings)
        await graph.connect()
        try:
            return await graph.get_user(user)
        finally:
            await graph.close()
    return asyncio.run(read())


def _report(drill: Drill, report: loadgen.LoadReport, rig: Rig, strike: tuple[float, float],
            done_before: dict,
            poller: GatewayClient, profile_before: dict | None, user: str, uploads: int) -> DrillReport:
    responded = Counter(orjson.loads(r.value)["session_id"]
                        for r in read_topic_sync(rig.settings.kafka_bootstrap, topics.AUDIO_RESPONDED))
    sessions = [u.session_id for u in report.uploads]
    completed = [u for u in report.completed]
    struck, restored = strike
    after_strike = [u.status["completed_at"] for u in completed if u.status["completed_at"] > restored]
    slowest = max((u.status["completed_at"] - u.sent_at for u in completed), default=None)
    durable, changed = None, []
    if drill.key == "d":
        still = {sid: poller.status(sid) for sid in done_before}
        changed = [f"status {sid}: {what}" for sid in done_before
                   for what in _changed(_served(done_before[sid]), _served(still[sid]))]
        changed += [f"profile: {what}" for what in _changed(_facts(profile_before),
                                                              _facts(_profile(rig.settings, user)))]
        durable = profile_before is not None and not changed
    return DrillReport(
        drill=drill.name, what=drill.what, uploads=uploads,
        sent=sum(1 for u in report.uploads if u.sent_at), upload_errors=len(report.upload_errors),
        completed_once=sum(1 for u in completed if responded[u.session_id] == 1),
        failed=len(report.failed), lost=len(report.lost),
        duplicate_replies=sum(1 for sid in sessions if responded[sid] > 1),
        slowest_session_s=slowest, recovery_s=(min(after_strike) - struck) if after_strike else None,
        durable=durable,
        notes=[f"{k} x{n}" for k, n in report.to_dict()["errors"].items()] + changed)


def _served(status: dict | None) -> dict:
    """What a client reads in a status; how many redeliveries were skipped since is not part of it."""
    return {k: v for k, v in (status or {}).items() if k != "duplicates_ignored"}


def _facts(profile: dict | None) -> dict:
    """A profile's facts; the conversation's state (the last turn) moves on with every upload."""
    return {k: v for k, v in (profile or {}).items() if k not in TURN_KEYS}


def _changed(before: dict, after: dict) -> list[str]:
    return [f"{k} {before.get(k)!r} -> {after.get(k)!r}" for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)]


def as_dict(report: DrillReport) -> dict:
    return {**asdict(report), "passed": report.passed}
