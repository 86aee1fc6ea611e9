"""Router accuracy and latency on labelled, naturally phrased utterances.

    python -m bench.router_accuracy [--groq] [--repeat 3]

Scores ``agents.router.classify`` on ``bench.router_utterances`` (kept apart from the router's
own examples) three ways: rules alone, rules + MiniLM embeddings (the offline router), and with
``--groq`` (and ``GROQ_API_KEY`` set) the Groq Llama classifier.  Prints per-intent precision
and recall, overall accuracy, the misroutes and per-utterance latency; writes
bench/results/router_accuracy.json.  Target: offline accuracy >= 92 %.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from agents.base import AGENT_NAMES, CLARIFY
from agents.router import classify, load_router_embedder
from bench.router_utterances import UTTERANCES

TARGET = 0.92
LABELS = AGENT_NAMES + (CLARIFY,)
RESULTS = Path(__file__).resolve().parent / "results" / "router_accuracy.json"


def score(pairs: list[tuple[str, str]]) -> dict:
    """pairs of (expected, got) -> accuracy and per-label precision/recall/support."""
    per = {}
    for label in LABELS:
        tp = sum(e == g == label for e, g in pairs)
        predicted = sum(g == label for _, g in pairs)
        support = sum(e == label for e, _ in pairs)
        per[label] = {"precision": round(tp / predicted, 3) if predicted else None,
                      "recall": round(tp / support, 3) if support else None, "support": support}
    accuracy = sum(e == g for e, g in pairs) / len(pairs)
    return {"accuracy": round(accuracy, 4), "per_intent": per}


def ms_summary(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"mean_ms": round(statistics.fmean(s), 3), "p50_ms": round(s[len(s) // 2], 3),
            "p95_ms": round(s[int(len(s) * 0.95) - 1], 3), "max_ms": round(s[-1], 3)}


def run_offline(embedder, repeat: int) -> tuple[dict, list[dict], list[float]]:
    times, rows = [], []
    for _ in range(repeat):
        rows = []
        for expected, text in UTTERANCES:
            start = time.perf_counter()
            decision = classify(text, embedder)
            times.append((time.perf_counter() - start) * 1000)
            rows.append({"text": text, "expected": expected, "got": decision.agent, "reason": decision.reason})
    return score([(r["expected"], r["got"]) for r in rows]), rows, times


def run_groq(repeat: int = 1) -> dict | None:
    """Score the Groq classifier (None without GROQ_API_KEY)."""
    from aurasense.settings import Settings
    from agents.providers.llm import make_intent_classifier

    classifier = make_intent_classifier(Settings.from_env())
    if classifier is None:
        return None

    async def go():
        rows, times = [], []
        for expected, text in UTTERANCES:
            start = time.perf_counter()
            try:
                got = (await classifier.classify(text)).agent
            except Exception as err:  # noqa: BLE001 - count as a miss, keep going
                got = f"error: {err.__class__.__name__}"
            times.append((time.perf_counter() - start) * 1000)
            rows.append((expected, got))
        return rows, times

    rows, times = asyncio.run(go())
    return score(rows) | {"latency": ms_summary(times)}


def table(result: dict) -> str:
    lines = [f"{'intent':<11} {'precision':>9} {'recall':>7} {'n':>4}"]
    for label, s in result["per_intent"].items():
        p = "-" if s["precision"] is None else f"{s['precision']:.2f}"
        r = "-" if s["recall"] is None else f"{s['recall']:.2f}"
        lines.append(f"{label:<11} {p:>9} {r:>7} {s['support']:>4}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groq", action="store_true", help="also score the Groq classifier")
    parser.add_argument("--repeat", type=int, default=3, help="passes for the latency figures")
    args = parser.parse_args()

    start = time.perf_counter()
    embedder = load_router_embedder()
    load_s = time.perf_counter() - start
    rules = score([(e, classify(t).agent) for e, t in UTTERANCES])
    offline, rows, times = run_offline(embedder, args.repeat)
    misses = [r for r in rows if r["expected"] != r["got"]]

    print(f"{len(UTTERANCES)} utterances; embedder + examples loaded in {load_s:.2f} s")
    print(f"rules alone:          accuracy {rules['accuracy']:.1%}")
    print(f"rules + embeddings:   accuracy {offline['accuracy']:.1%} (target {TARGET:.0%})")
    print(table(offline))
    lat = ms_summary(times)
    print(f"latency per utterance: mean {lat['mean_ms']:.1f} ms, p50 {lat['p50_ms']:.1f} ms, "
          f"p95 {lat['p95_ms']:.1f} ms (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for r in misses:
        print(f"  miss: {r['expected']:>10} -> {r['got']:<10} {r['text']!r}  [{r['reason']}]")
    groq = run_groq() if args.groq else None
    if args.groq:
        print("groq: " + ("skipped (no GROQ_API_KEY)" if groq is None else f"accuracy {groq['accuracy']:.1%}"))

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "n": len(UTTERANCES), "target": TARGET, "load_s": round(load_s, 3),
        "rules_only": rules, "offline": offline | {"latency": lat}, "groq": groq,
        "load_average": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
        "misses": misses}, indent=2) + "\n")
    return 0 if offline["accuracy"] >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
