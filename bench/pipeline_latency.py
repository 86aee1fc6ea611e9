"""End-to-end latency of one utterance at a time, split into stage compute and pipeline overhead.

    python -m bench.pipeline_latency [--n 20] [--warmup 2]      (``make bench``)

Starts a local stack and one worker, speaks ~3-second utterances with piper, uploads each
through a presigned PUT, and waits for it to complete before the next. Per utterance
(aurasense.ops.latency): end to end = status.completed_at − the moment the PUT returned
(same machine clock); compute = Σ timings[*].compute_ms; overhead = end to end − compute,
split into hops: notify (PUT return → ingest start), the queue gaps between stages, time
inside stages that is not compute, and the tail after respond. Prints p50/p95 and writes
bench/results/pipeline_latency.json. Target: overhead p50 ≤ 100 ms. Every upload's bytes
are unique (a few samples of silence appended), so the transcription cache never answers.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

import orjson

from aurasense.ops.latency import COLUMNS, breakdown
from aurasense.ops.sandbox import local_pipeline
from aurasense.ops.speech import UTTERANCES, synthesize, unique_wav
from aurasense.ops.stats import summarize, summary_table

TARGET_OVERHEAD_P50_MS = 100.0
RESULTS = Path(__file__).resolve().parent / "results" / "pipeline_latency.json"


def measure(client, user: str, wav: bytes) -> tuple[dict, float]:
    upload = client.create_upload(user)
    client.put(upload, wav)
    sent_at = time.time()
    return client.wait_done(upload.session_id, poll_s=0.02), sent_at


def run(n: int, warmup: int, root: Path) -> dict:
    with local_pipeline(root) as box:
        print("bench: synthesizing utterances with piper", flush=True)
        texts = [UTTERANCES[i % len(UTTERANCES)] for i in range(n + warmup)]
        unique = sorted(set(texts), key=texts.index)
        audio = dict(zip(unique, synthesize(unique, box.settings)))
        user, samples = f"bench-{uuid.uuid4().hex[:6]}", []
        for i, text in enumerate(texts):
            status, sent_at = measure(box.client, user, unique_wav(audio[text], i))
            row = breakdown(status, sent_at)
            kept = i >= warmup
            print(f"bench: {'run ' if kept else 'warm'} {i + 1 - warmup if kept else i + 1:>3} "
                  f"{status['status']:<9} e2e {row['end_to_end'] or 0:7.0f} ms  compute "
                  f"{row['compute']:6.0f} ms  overhead {row['overhead'] or 0:5.0f} ms  "
                  f"{status.get('agent_used')}: {status.get('transcription')!r}", flush=True)
            if kept:
                samples.append({"text": text, "session_id": status["session_id"],
                                "status": status["status"], "agent": status.get("agent_used"),
                                "transcription": status.get("transcription"), **row})
    return report(samples, n, warmup)


def report(samples: list[dict], n: int, warmup: int) -> dict:
    done = [s for s in samples if s["status"] == "completed"]
    summary = {c: summarize(s[c] for s in done) for c in COLUMNS}
    p50 = summary["overhead"]["p50"]
    return {
        "n": n, "warmup": warmup, "completed": len(done), "failed": len(samples) - len(done),
        "target": {"overhead_p50_ms_max": TARGET_OVERHEAD_P50_MS, "overhead_p50_ms": p50,
                   "met": p50 is not None and p50 <= TARGET_OVERHEAD_P50_MS},
        "summary_ms": summary, "samples": samples,
        "machine": {"cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(),
                    "note": "shared machine; numbers are noisy"},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.pipeline_latency", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20, help="measured utterances (default 20)")
    p.add_argument("--warmup", type=int, default=2, help="utterances before measuring (default 2)")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    args = p.parse_args(argv)
    root = Path(".aurasense") / f"bench-{time.strftime('%Y%m%d-%H%M%S')}"
    result = run(args.n, args.warmup, root)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    print(f"\npipeline latency, {result['completed']}/{args.n} completed "
          f"(warm-up {args.warmup} excluded), ms:")
    print(summary_table(result["summary_ms"]))
    t = result["target"]
    verdict = "met" if t["met"] else "NOT met"
    print(f"\ntarget overhead p50 <= {t['overhead_p50_ms_max']:.0f} ms: {verdict} "
          f"(p50 {t['overhead_p50_ms'] or 0:.0f} ms); results in {args.out}")
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
