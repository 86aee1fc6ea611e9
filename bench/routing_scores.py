"""Scoring a router's answers: accuracy, per-label precision and recall, latency summaries."""

from __future__ import annotations

import statistics

from agents.intent_model import LABELS


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


def table(result: dict) -> str:
    lines = [f"{'intent':<11} {'precision':>9} {'recall':>7} {'n':>4}"]
    for label, s in result["per_intent"].items():
        p = "-" if s["precision"] is None else f"{s['precision']:.2f}"
        r = "-" if s["recall"] is None else f"{s['recall']:.2f}"
        lines.append(f"{label:<11} {p:>9} {r:>7} {s['support']:>4}")
    return "\n".join(lines)
