"""``aurasense say TEXT``: typed text through the whole pipeline, for users without a microphone.

Posts the text to the gateway (``POST /v1/utterances``), prints each stage as the session
moves, then what the agent answered and where its spoken reply is. With ``--token`` (or
``AURASENSE_TOKEN``) the text is that user's, so a conversation goes on across calls; without
one it is a new guest's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import httpx
import orjson

from aurasense.cli_common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, settings_of
from aurasense.client import ClientError, GatewayClient
from aurasense.ops.loadgen import GatewayUnreachable


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("say", parents=[common], help="send typed text through the pipeline, print the answer",
                       description="Send TEXT to the gateway as an utterance (the same pipeline as "
                                   "speech: route, respond, spoken reply), print each stage as it "
                                   "happens, then the answer. Exit 1 if the session failed.")
    p.add_argument("text", metavar="TEXT", help="what you would have said (one line, at most 1000 characters)")
    p.add_argument("--gateway", metavar="URL",
                   help="gateway base URL (default: http://AURASENSE_GATEWAY_HOST:AURASENSE_GATEWAY_PORT)")
    p.add_argument("--token", default=os.environ.get("AURASENSE_TOKEN"),
                   help="the user's bearer token (default: AURASENSE_TOKEN; none: a new guest)")
    p.add_argument("--session-id", metavar="ID",
                   help="the session's id (default: a new one); the same id and text again is a safe retry")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the answer (default 120)")
    p.add_argument("--json", action="store_true", help="print only the final status, as JSON")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    url = args.gateway or f"http://{settings.gateway_host}:{settings.gateway_port}"
    client = GatewayClient(url, timeout=30.0, token=args.token)
    try:
        return _say(client, args)
    except httpx.TransportError as exc:
        raise GatewayUnreachable(f"cannot reach the gateway at {url}: {exc}") from None
    finally:
        client.close()


def _say(client: GatewayClient, args: argparse.Namespace) -> int:
    try:
        accepted = client.submit_text(args.text, args.session_id)
    except ClientError as exc:
        print(f"aurasense say: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.status_code and 400 <= exc.status_code < 500 else EXIT_FAILURE
    started = time.monotonic()
    if not args.json:
        print(f"session {accepted['session_id']} (user {accepted['user_id']}, typed text)")

    def progress(status: dict) -> None:
        if not args.json:
            step = status["status"] + (f" after {status['stage']}" if status.get("stage") else "")
            print(f"  {time.monotonic() - started:6.2f} s  {step}", flush=True)

    try:
        done = client.wait_done(accepted["session_id"], timeout=args.timeout, on_change=progress)
    except ClientError as exc:  # not done in time
        print(f"aurasense say: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    if args.json:
        print(orjson.dumps(done).decode())
    elif done["status"] == "completed":
        print(f"{done['agent_used']}: {done['response_text']}")
        print(f"reply audio: {done['response_audio_url']}")
    if done["status"] != "completed":
        print(f"aurasense say: the session failed: {done.get('error_message')}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK
