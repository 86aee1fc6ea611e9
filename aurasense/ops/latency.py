"""Split one session's end-to-end latency into stage compute and pipeline overhead.

All times come from the status view (``timings`` per stage: started_at, compute_ms,
finished_at, epoch seconds / ms) and the moment the client's upload returned, on the
same machine clock. Overhead = end to end − Σ compute, broken into hops:

    upload ─notify─▶ ingest ─q─▶ transcribe ─q─▶ route ─q─▶ respond ─tail─▶ completed
                 (+ time inside stages that is not compute: decode, status writes, sends)
"""

from __future__ import annotations

from typing import Any

from streams.pipeline import SPEECH_PATH as STAGES  # the stages an upload passes, in order

HOPS = ("notify", "q_ingest_transcribe", "q_transcribe_route", "q_route_respond",
        "in_stage", "tail")
COLUMNS = ("end_to_end", "compute", "overhead", *HOPS, *(f"compute_{s}" for s in STAGES))


def breakdown(status: dict[str, Any], sent_at: float) -> dict[str, float | None]:
    """Milliseconds per column of ``COLUMNS`` (``None`` where a stage did not run)."""
    timings = status.get("timings") or {}
    done = status.get("completed_at")
    out: dict[str, float | None] = dict.fromkeys(COLUMNS)
    for stage in STAGES:
        if stage in timings:
            out[f"compute_{stage}"] = float(timings[stage]["compute_ms"])
    out["compute"] = sum(v for s in STAGES if (v := out[f"compute_{s}"]) is not None)
    if "ingest" in timings:
        out["notify"] = _ms(timings["ingest"]["started_at"] - sent_at)
    for prev, nxt in zip(STAGES, STAGES[1:]):
        if prev in timings and nxt in timings:
            out[f"q_{prev}_{nxt}"] = _ms(timings[nxt]["started_at"] - timings[prev]["finished_at"])
    if all(s in timings for s in STAGES):
        out["in_stage"] = sum(_ms(t["finished_at"] - t["started_at"]) - t["compute_ms"]
                              for t in (timings[s] for s in STAGES))
    if done and status.get("status") == "completed":
        out["end_to_end"] = _ms(done - sent_at)
        out["overhead"] = out["end_to_end"] - out["compute"]
        if "respond" in timings:
            out["tail"] = _ms(done - timings["respond"]["finished_at"])
    return out


def _ms(seconds: float) -> float:
    return seconds * 1000.0
