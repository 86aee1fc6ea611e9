"""Scale-out benchmark: sustained uploads per second with 1, 2 and 3 workers in one group.

One local stack; for each worker count, that many worker processes join the consumer group,
and once the session partitions are shared, ``--uploads`` uploads go through the real path
(presigned PUT → bucket → notifier → every stage) at up to ``--concurrency`` in flight.
Prints throughput and per-stage latency as a table; writes bench/results/scale_out.json.

    python -m bench.scale_out [--workers 1 2 3] [--uploads 24] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import sys
import tempfile
from pathlib import Path

from aurasense.client import GatewayClient
from aurasense.ops import loadgen, speech
from aurasense.ops.group import wait_shared
from aurasense.ops.stats import format_table
from core.settings import Settings
from aurasense.worker_process import WorkerProcess
from stack.local import LocalStack
from stack.processes import free_port
from streams.admin import ensure_topics_sync

RESULTS = Path(__file__).parent / "results" / "scale_out.json"
STAGE_COLUMNS = ("compute_transcribe", "compute_respond", "overhead", "end_to_end")


@contextlib.contextmanager
def workers(settings: Settings, count: int, logs: Path):
    procs = [WorkerProcess(settings.with_(gateway_port=free_port()), logs / f"worker-{count}-{i}.log",
                           name=f"worker-{i}") for i in range(count)]
    try:
        for p in procs:
            p.start()
        yield wait_shared([p.gateway_url for p in procs], settings.topic_partitions)
    finally:
        for p in procs:
            p.stop()


def measure(settings: Settings, count: int, clips: list[bytes], args, logs: Path) -> dict:
    with workers(settings, count, logs) as shares:
        # Any gateway answers for any session; one that holds partitions is ready (a standby's is 503).
        url = next(u for u, parts in shares.items() if parts)
        poller = GatewayClient(url)
        poller.wait_ready()
        sender = loadgen.S3Sender(url, f"scale{count}", clips)
        run = loadgen.new_run_id()
        try:
            report = loadgen.run_load(sender, poller, [f"{run}-{i:04d}" for i in range(args.uploads)],
                                      mode="s3", rate=None, concurrency=args.concurrency,
                                      timeout_s=600, progress=False)
        finally:
            sender.close()
            poller.close()
    return {"workers": count, "session_partitions": list(shares.values()), **report.to_dict()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--uploads", type=int, default=24)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aurasense-scale-") as tmp:
        root = Path(tmp)
        base = Settings(data_dir=root, token_secret=secrets.token_hex(16))
        with LocalStack(root / "stack", base, create_topics=ensure_topics_sync) as stack:
            settings = stack.settings()
            clips = speech.synthesize(speech.UTTERANCES[:4], settings)
            results = []
            for n in args.workers:
                results.append(measure(settings, n, clips, args, root / "logs"))
                print(render(results[-1:]), flush=True)
    print(render(results))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    return 1 if any(r["lost"] for r in results) else 0


def render(results: list[dict]) -> str:
    headers = ["workers", "uploads", "completed", "lost", "uploads/s"] + [f"{c} p50/p95 ms" for c in STAGE_COLUMNS]
    rows = []
    for r in results:
        lat = r["latency_ms"]
        cells = [f"{lat[c]['p50']:.0f} / {lat[c]['p95']:.0f}" if lat[c]["p50"] is not None else "-"
                 for c in STAGE_COLUMNS]
        rows.append([r["workers"], r["uploads"], r["completed"], r["lost"],
                     f"{r['throughput_per_s']:.2f}" if r["throughput_per_s"] else "-", *cells])
    return format_table(headers, rows)


if __name__ == "__main__":
    sys.exit(main())
