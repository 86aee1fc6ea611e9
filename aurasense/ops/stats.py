"""Percentiles and plain-text tables (no dependencies)."""

from __future__ import annotations

import math
from typing import Iterable, Sequence


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear interpolation; ``None`` for no values."""
    data = sorted(v for v in values if v is not None)
    if not data:
        return None
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def summarize(values: Iterable[float], qs: Sequence[float] = (50, 95)) -> dict[str, float | None]:
    """``{"n", "p50", "p95", "max", "mean"}`` of the values (ms or whatever they are)."""
    data = [v for v in values if v is not None]
    out: dict[str, float | None] = {"n": len(data)}
    for q in qs:
        out[f"p{q:g}"] = percentile(data, q)
    out["max"] = max(data) if data else None
    out["mean"] = sum(data) / len(data) if data else None
    return out


def summarize_columns(rows: list[dict[str, float | None]], names: Sequence[str]) -> dict[str, dict]:
    """Summaries of several named columns across rows."""
    return {name: summarize(r.get(name) for r in rows) for name in names}


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A left/right-aligned plain text table: first column left, numbers right."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
              for i, h in enumerate(headers)]
    def line(items: Sequence[str]) -> str:
        return "  ".join(s.ljust(w) if i == 0 else s.rjust(w)
                         for i, (s, w) in enumerate(zip(items, widths)))
    out = [line([str(h) for h in headers]), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def summary_table(summaries: dict[str, dict], unit: str = "ms",
                  qs: Sequence[float] = (50, 95)) -> str:
    """One row per summarized column: name, n, p50, p95, max."""
    headers = ["", "n", *[f"p{q:g} {unit}" for q in qs], f"max {unit}"]
    rows = [[name, s["n"], *[s.get(f"p{q:g}") for q in qs], s["max"]]
            for name, s in summaries.items()]
    return format_table(headers, rows)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)
