"""``aurasense loadtest``: N uploads through the pipeline; throughput, latency, none lost."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

import orjson

from aurasense.cli_common import EXIT_FAILURE, EXIT_OK, UsageError, settings_of
from aurasense.ops import loadgen, speech
from aurasense.ops.stats import format_table, summary_table


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "loadtest", parents=[common], help="drive N uploads through the pipeline and check none is lost",
        description="Upload N utterances and poll their sessions until completed or failed. "
                    "s3 mode: presigned PUT via the gateway (the real path, notifier included); "
                    "synthetic mode: MinIO-shaped bucket events published straight to bucket-events "
                    "for objects uploaded once with boto3 (no notifier hop). Exit 1 if any session "
                    "is lost (neither completed nor failed before --timeout) or an upload failed.")
    p.add_argument("--uploads", type=int, required=True, metavar="N", help="how many uploads")
    pace = p.add_mutually_exclusive_group()
    pace.add_argument("--rate", type=float, metavar="R", help="uploads per second (default 2)")
    pace.add_argument("--max", action="store_true", help="as fast as --concurrency allows")
    p.add_argument("--concurrency", type=int, default=4, metavar="C",
                   help="uploads in flight at once (default 4)")
    p.add_argument("--mode", choices=("s3", "synthetic"), default="s3")
    p.add_argument("--gateway", metavar="URL",
                   help="gateway base URL (default: http://AURASENSE_GATEWAY_HOST:AURASENSE_GATEWAY_PORT)")
    p.add_argument("--local", action="store_true",
                   help="start a throw-away local stack and worker and test that")
    p.add_argument("--kafka-nodes", type=int, choices=(1, 3), default=1, metavar="N",
                   help="with --local: 1 broker, or a 3-node cluster (replication 3, min ISR 2)")
    p.add_argument("--audio", action="append", metavar="WAV",
                   help="audio file(s) to upload, cycled (default: piper-spoken utterances)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="seconds after the last upload before an unfinished session counts as lost")
    p.add_argument("--json", metavar="FILE", help="write the report as JSON to FILE ('-' = stdout)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when stderr is a terminal)")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    if args.uploads < 1:
        raise UsageError("--uploads must be at least 1")
    if args.rate is not None and args.rate <= 0:
        raise UsageError("--rate must be positive")
    with contextlib.ExitStack() as stack:
        settings, gateway = _target(args, stack)
        poller = loadgen.check_gateway(gateway)
        stack.callback(poller.close)
        clips = speech.read_files(args.audio) if args.audio else \
            speech.synthesize(speech.UTTERANCES[:4], settings)
        d = _run(args, settings, gateway, poller, clips).to_dict()
        d["consumer_lag"] = _lag(settings)  # while a --local stack still runs
    return _print(d, args)


def _target(args: argparse.Namespace, stack: contextlib.ExitStack):
    settings = settings_of(args)
    if args.local:
        from aurasense.ops.sandbox import local_pipeline

        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="aurasense-lt-")))
        box = stack.enter_context(local_pipeline(root, settings, kafka_nodes=args.kafka_nodes))
        return box.settings, box.worker.gateway_url
    return settings, args.gateway or f"http://{settings.gateway_host}:{settings.gateway_port}"


def _run(args, settings, gateway, poller, clips) -> loadgen.LoadReport:
    run_id = loadgen.new_run_id()
    user = f"{run_id}-user"
    if args.mode == "s3":
        sender = loadgen.S3Sender(gateway, user, clips)
    else:
        sender = loadgen.SyntheticSender(settings, user, run_id, clips)
        _settle(poller, sender.base_sessions)
    try:
        return loadgen.run_load(sender, poller, [f"{run_id}-{i:05d}" for i in range(args.uploads)],
                                mode=args.mode, rate=None if args.max else (args.rate or 2.0),
                                concurrency=args.concurrency, timeout_s=args.timeout,
                                progress=args.progress)
    finally:
        sender.close()


def _settle(poller, sessions: list[str], timeout: float = 60.0) -> None:
    """Let the direct uploads' own sessions (via the notifier, if any) finish first."""
    deadline = time.monotonic() + timeout
    pending = set(sessions)
    while pending and time.monotonic() < deadline:
        for sid in list(pending):
            st = poller.status(sid)
            if st and st["status"] in ("completed", "failed"):
                pending.discard(sid)
        time.sleep(0.2)


def _lag(settings) -> dict[str, int] | None:
    """What the workers have not consumed yet, per stage topic (None if the broker is unreachable)."""
    from aurasense.ops.lag import consumer_lag_sync
    from schemas import topics

    try:
        return consumer_lag_sync(settings.kafka_bootstrap, settings.app_id, list(topics.CONSUMED_TOPICS))
    except Exception:  # the report stands without it
        return None


def _print(d: dict, args: argparse.Namespace) -> int:
    if args.json:
        text = orjson.dumps(d, option=orjson.OPT_INDENT_2).decode()
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    out = sys.stderr if args.json == "-" else sys.stdout
    tput = f"{d['throughput_per_s']:.2f}/s" if d["throughput_per_s"] else "-"
    print(format_table(["mode", "uploads", "completed", "failed", "upload errors", "lost", "throughput"],
                       [[d["mode"], d["uploads"], d["completed"], d["failed"], d["upload_errors"],
                         d["lost"], tput]]), file=out)
    print("\nlatency per completed session (ms):", file=out)
    print(summary_table(d["latency_ms"]), file=out)
    if d.get("consumer_lag") is not None:
        print("\nconsumer lag at the end (records not yet committed): " +
              ", ".join(f"{t} {n}" for t, n in d["consumer_lag"].items()), file=out)
    for msg, n in d["errors"].items():
        print(f"error x{n}: {msg}", file=out)
    if d["lost"]:
        print(f"LOST {d['lost']} session(s): {', '.join(d['lost_sessions'][:20])}", file=out)
    return EXIT_FAILURE if d["lost"] or d["upload_errors"] else EXIT_OK
