"""``make run``: the whole product on this machine, then a client talking to it.

Starts the local stack (broker, S3 server, FalkorDB, bucket notifier), the worker
(Faust stages + gateway), speaks three utterances with piper, uploads each through a
presigned URL, polls the gateway until done, prints what came back, stops everything.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
import uuid
from pathlib import Path

from aurasense.client import GatewayClient
from aurasense.settings import Settings
from aurasense.worker_process import WorkerProcess
from stack.local import LocalStack
from stack.processes import free_port
from streams.admin import ensure_topics_sync

UTTERANCES = (
    "Hi, I'm new here. My name is Ada, I live in London and I'm allergic to peanuts.",
    "I'm hungry. Can you recommend something spicy for dinner?",
    "Where should I stay in Paris next week?",
)
STAGES = ("ingest", "transcribe", "route", "respond")


def speak(texts: tuple[str, ...], settings: Settings) -> list[bytes]:
    from agents.providers.tts import make_tts

    tts = make_tts(settings)
    return [asyncio.run(tts.synthesize(t)) for t in texts]


def show(n: int, said: str, status: dict) -> None:
    print(f"\n[{n}] said:          {said}")
    print(f"    status:        {status['status']}")
    print(f"    transcription: {status.get('transcription')}")
    print(f"    agent:         {status.get('agent_used')}")
    print(f"    reply:         {status.get('response_text') or status.get('error_message')}")
    print(f"    reply audio:   {status.get('response_audio_url')}")
    print(f"    timings:       {format_timings(status)}")


def format_timings(status: dict) -> str:
    timings, parts = status.get("timings", {}), []
    for stage in STAGES:
        if stage in timings:
            parts.append(f"{stage} {timings[stage]['compute_ms']:.0f} ms")
    if status.get("completed_at") and status.get("uploaded_at"):
        parts.append(f"end to end {(status['completed_at'] - status['uploaded_at']) * 1000:.0f} ms")
    return ", ".join(parts)


def converse(client: GatewayClient, audio: list[bytes]) -> bool:
    user, ok = f"demo-{uuid.uuid4().hex[:6]}", True
    for n, (said, wav) in enumerate(zip(UTTERANCES, audio), 1):
        upload = client.create_upload(user)
        client.put(upload, wav)
        status = client.wait_done(upload.session_id)
        show(n, said, status)
        ok = ok and status["status"] == "completed"
    return ok


def main() -> int:
    root = Path(".aurasense") / f"run-{time.strftime('%Y%m%d-%H%M%S')}"
    base = Settings.from_env().with_(data_dir=root, gateway_port=free_port(),
                                     token_secret=Settings.from_env().token_secret or secrets.token_hex(16))
    print(f"aurasense: starting the local stack in {root}")
    with LocalStack(root / "stack", base, create_topics=ensure_topics_sync) as stack:
        settings = stack.settings()
        print("aurasense: synthesizing the client's utterances with piper")
        audio = speak(UTTERANCES, settings)
        worker = WorkerProcess(settings, root / "logs" / "worker.log", supervise=True)
        print("aurasense: starting the worker (models, graph, consumer group)")
        try:
            worker.start()
            client = GatewayClient(worker.gateway_url)
            client.wait_ready()
            print(f"aurasense: gateway ready on {worker.gateway_url}")
            ok = converse(client, audio)
        finally:
            worker.stop()
    print("\naurasense: all stopped" + ("" if ok else " (some sessions did not complete)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
