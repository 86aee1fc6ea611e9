"""Start-up cost of the local stack's parts: time to ready and resident memory.

    .venv/bin/python -m bench.stack_startup [--runs 3] [--parts kafka,kafka3,neo4j,falkordb,s3]

Each part starts cold (a fresh data dir) and warm (the same data dir again), ``--runs`` times;
ready is each part's own readiness check (Kafka: a Metadata request lists every node; Neo4j: a
Bolt connection answers). RSS is read from /proc once ready, summed over a cluster's nodes.
Prints a table and writes ``bench/results/stack_startup.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path
from typing import Callable

RESULTS = Path(__file__).parent / "results"


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _kafka(nodes: int) -> Callable[[Path], object]:
    from stack.kafka import KafkaCluster

    return lambda d: KafkaCluster(d, nodes)


def _neo4j(d: Path):
    from stack.neo4j import Neo4jServer

    return Neo4jServer(d)


def _falkordb(d: Path):
    from stack.falkordb import FalkorDBServer

    return FalkorDBServer(d)


def _s3(d: Path):
    from stack.seaweed import SeaweedS3

    return SeaweedS3(d)


PARTS: dict[str, Callable[[Path], object]] = {
    "kafka": _kafka(1), "kafka3": _kafka(3), "neo4j": _neo4j, "falkordb": _falkordb, "s3": _s3,
}


def _pids(part) -> list[int]:
    if hasattr(part, "pids"):
        return part.pids()
    return [part.process.pid] if part.process.running() else []


def measure(name: str, runs: int) -> dict:
    cold, warm, rss = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
            for series in (cold, warm):  # the second start finds its own data
                part = PARTS[name](Path(tmp))
                try:
                    series.append(part.start())
                    rss.append(rss_mb(_pids(part)))
                finally:
                    part.stop()
    return {"part": name, "runs": runs, "cold_ready_s": statistics.median(cold),
            "warm_ready_s": statistics.median(warm), "rss_mb": statistics.median(rss),
            "cold_all": cold, "warm_all": warm, "rss_all": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parts", default=",".join(PARTS))
    args = parser.parse_args()
    rows = [measure(name, args.runs) for name in args.parts.split(",")]
    print(f"{'part':<10} {'cold ready s':>12} {'warm ready s':>12} {'RSS MB':>8}   (median of {args.runs})")
    for r in rows:
        print(f"{r['part']:<10} {r['cold_ready_s']:>12.1f} {r['warm_ready_s']:>12.1f} {r['rss_mb']:>8.0f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stack_startup.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
