"""``make demo`` (``aurasense demo``): the whole product on this machine, a client talking to it, then stop.

Starts the local stack (broker, S3 server, FalkorDB, bucket notifier) and the worker
(Faust stages + gateway) on a throw-away directory and free ports (aurasense/up.py), speaks
three utterances with piper, uploads each through a presigned URL, polls the gateway until
done, prints what came back, stops everything; exit 0 when all three completed.
``aurasense up`` speaks the same three utterances (``speak``, ``converse``) and stays up.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

from aurasense.client import GatewayClient
from core.settings import Settings
from aurasense.up import LocalService
from streams.pipeline import SPEECH_PATH

UTTERANCES = (
    "Hi, I'm new here. My name is Ada, I live in London and I'm allergic to peanuts.",
    "I'm hungry. Can you recommend something spicy for dinner?",
    "Where should I stay in Paris next week?",
)


def speak(texts: tuple[str, ...], settings: Settings) -> list[bytes]:
    from speech.tts import make_tts

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
    for stage in SPEECH_PATH:
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
    print(f"aurasense: starting the local stack in {root}")
    ok = False
    with LocalService(root, Settings.from_env(), workers=1, fixed=False) as service:
        settings = service.start_stack()
        print("aurasense: synthesizing the client's utterances with piper")
        audio = speak(UTTERANCES, settings)
        print("aurasense: starting the worker (models, graph, consumer group)")
        gateway = service.start_workers()[0]
        print(f"aurasense: gateway ready on {gateway}")
        client = GatewayClient(gateway)
        try:
            ok = converse(client, audio)
        finally:
            client.close()
    print("\naurasense: all stopped" + ("" if ok else " (some sessions did not complete)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
