"""Typed text, one utterance at a time: how long from POST /v1/utterances to ``completed``.

    python -m bench.text_latency [--n 20] [--warmup 2]

Starts a local stack and one worker, sends the speech benchmark's sentences as typed text
(``POST /v1/utterances``) and waits for each to complete before the next. Per utterance: accept
= the POST's round trip (the text and its sweeper note acknowledged by the broker); end to end =
status.completed_at − the moment before the POST (same machine clock); compute = Σ
timings[text, route, respond].compute_ms; overhead = end to end − compute. Prints p50/p95 and
writes bench/results/text_latency.json. No target of its own: the pipeline's overhead target
(p50 ≤ 100 ms, bench/pipeline_latency.py) is the one to compare with.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import orjson

from aurasense.ops.sandbox import local_pipeline
from aurasense.ops.speech import UTTERANCES
from aurasense.ops.stats import summarize, summary_table

STAGES = ("text", "route", "respond")
COLUMNS = ("accept", "end_to_end", "compute", "overhead", *(f"compute_{s}" for s in STAGES))
RESULTS = Path(__file__).resolve().parent / "results" / "text_latency.json"


def measure(client, text: str) -> dict:
    sent_at, t0 = time.time(), time.perf_counter()
    accepted = client.submit_text(text)
    accept_ms = (time.perf_counter() - t0) * 1000
    status = client.wait_done(accepted["session_id"], poll_s=0.02)
    timings = status.get("timings") or {}
    row = {"accept": accept_ms, **{f"compute_{s}": timings.get(s, {}).get("compute_ms") for s in STAGES}}
    row["compute"] = sum(v for s in STAGES if (v := row[f"compute_{s}"]) is not None)
    done = status.get("completed_at") if status["status"] == "completed" else None
    row["end_to_end"] = (done - sent_at) * 1000 if done else None
    row["overhead"] = row["end_to_end"] - row["compute"] if done else None
    return {"text": text, "session_id": status["session_id"], "status": status["status"],
            "agent": status.get("agent_used"), "source": status.get("source"), **row}


def run(n: int, warmup: int, root: Path) -> dict:
    samples = []
    with local_pipeline(root) as box:
        box.client.register()  # one user, so the conversation is a realistic run of turns
        for i in range(n + warmup):
            row = measure(box.client, UTTERANCES[i % len(UTTERANCES)])
            kept = i >= warmup
            print(f"bench: {'run ' if kept else 'warm'} {i + 1 - warmup if kept else i + 1:>3} "
                  f"{row['status']:<9} accept "
                  f"{row['accept']:5.0f} ms  e2e {row['end_to_end'] or 0:6.0f} ms  compute "
                  f"{row['compute']:6.0f} ms  overhead {row['overhead'] or 0:5.0f} ms  "
                  f"{row['agent']}: {row['text']!r}", flush=True)
            if kept:
                samples.append(row)
    done = [s for s in samples if s["status"] == "completed"]
    return {"n": n, "warmup": warmup, "completed": len(done), "failed": len(samples) - len(done),
            "summary_ms": {c: summarize(s[c] for s in done if s[c] is not None) for c in COLUMNS},
            "samples": samples,
            "machine": {"cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(),
                        "note": "shared machine; numbers are noisy"},
            "at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.text_latency", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20, help="measured utterances (default 20)")
    p.add_argument("--warmup", type=int, default=2, help="utterances before measuring (default 2)")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    args = p.parse_args(argv)
    root = Path(".aurasense") / f"bench-text-{time.strftime('%Y%m%d-%H%M%S')}"
    result = run(args.n, args.warmup, root)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    print(f"\ntyped text latency, {result['completed']}/{args.n} completed "
          f"(warm-up {args.warmup} excluded), ms:")
    print(summary_table(result["summary_ms"]))
    print(f"results in {args.out}")
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
