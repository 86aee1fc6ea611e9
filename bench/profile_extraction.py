"""Profile-extraction benchmark: how exactly the stored profile matches what the user said.

Each scenario of ``bench/data/understanding/profiles.{dev,test}.jsonl`` (written independently
of the code; tune on dev, report test) is spoken turn by turn to the real agents on a real
embedded FalkorDB with the catalogue loaded: the onboarding agent until the profile is
onboarded, the profile agent after (as the router does for a known user).  The stored profile
is then compared field by field with the expected one: name, home_city, neighbourhood,
culture (the stored ``cultural_background``), diets and allergies (as sets).  Prints the
exact-match rate per field and for whole profiles (target >= 95 %), writes
``bench/results/profile_extraction.json``.

    python -m bench.profile_extraction            # dev, every devN and test (or the unsplit set)
    python -m bench.profile_extraction --show dev # also list the dev mismatches (never test's)
    python -m bench.profile_extraction --only dev dev4 --show dev4  # tune without running test

Every ``profiles.dev<N>.jsonl`` (dev2 to dev5 so far) is a further dev set written after dev was
tuned to (see the data README): tuning data like dev.  A run of some splits only (``--only``)
writes no results file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from agents.base import AgentContext, AgentRequest, RouteDecision
from agents.catalogue.loader import load_catalogue
from agents.providers.graph_backend import make_graph_store
from agents.registry import respond
from agents.router import say_again
from agents.turn_state import leading_agent, pending
from core.settings import Settings
from speech.speech_check import UNCLEAR_KEY
from stack.falkordb import FalkorDBServer

DATA = Path(__file__).parent / "data" / "understanding"
RESULTS = Path(__file__).parent / "results" / "profile_extraction.json"
FIELDS = ("name", "home_city", "neighbourhood", "culture", "diets", "allergies")


def splits(stem: str) -> dict[str, list[dict]]:
    """{"dev": rows, "dev2": rows, "dev3": rows, ..., "test": rows} when the one-time split exists
    (each extra dev set ``<stem>.dev<N>.jsonl`` as written), else {"all (unsplit)": rows}."""
    found = {name: DATA / f"{stem}.{name}.jsonl" for name in ("dev", "test")}
    if not all(p.exists() for p in found.values()):
        return {"all (unsplit)": _read(DATA / f"{stem}.jsonl")}
    named = {"dev": found["dev"], **extra_dev_sets(stem), "test": found["test"]}
    return {name: _read(p) for name, p in named.items()}


def extra_dev_sets(stem: str) -> dict[str, Path]:
    """The tuning-only dev sets written after the split ({"dev2": path, "dev3": path, ...}), in order."""
    numbered = {}
    for path in DATA.glob(f"{stem}.dev*.jsonl"):
        m = re.fullmatch(rf"{re.escape(stem)}\.(dev(\d+))\.jsonl", path.name)
        if m:
            numbered[int(m.group(2))] = (m.group(1), path)
    return dict(numbered[n] for n in sorted(numbered))


def split_names(stem: str) -> list[str]:
    """The split names a run can choose: dev, every extra dev set, test."""
    return ["dev", *extra_dev_sets(stem), "test"]


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def stored_fields(profile: dict) -> dict:
    """The stored profile in the expected file's shape."""
    culture = profile.get("cultural_background") or []
    return {"name": profile.get("name"), "home_city": profile.get("home_city"),
            "neighbourhood": profile.get("neighbourhood"),
            "culture": culture[0] if len(culture) == 1 else (culture or None),
            "diets": sorted(profile.get("diets") or []), "allergies": sorted(profile.get("allergies") or [])}


def field_matches(field: str, expected, got) -> bool:
    if field in ("diets", "allergies"):
        return set(expected or []) == set(got or [])
    return (expected or None) == (got or None)


async def run_split(ctx, rows: list[dict], tag: str) -> dict:
    per_field = dict.fromkeys(FIELDS, 0)
    exact, mismatches = 0, []
    for n, row in enumerate(rows):
        user = f"pe-{tag}-{n}"
        for k, text in enumerate(row["turns"]):
            profile = await ctx.graph.get_user(user) or {}
            if text is None:  # speech the check doubted (bench.profile_speech): asked again, as the router does
                decision = say_again("doubted", leading_agent(bool(profile.get("onboarded")), pending(profile)))
                await respond(AgentRequest(user_id=user, session_id=f"{user}-{k}", text="",
                                           voice_profile={UNCLEAR_KEY: "doubted"}), decision, ctx)
                continue
            agent = "profile" if profile.get("onboarded") else "onboarding"
            await respond(AgentRequest(user_id=user, session_id=f"{user}-{k}", text=text),
                          RouteDecision(agent, 1.0, "benchmark"), ctx)
        got = stored_fields(await ctx.graph.get_user(user) or {})
        wrong = [f for f in FIELDS if not field_matches(f, row["expected"].get(f), got[f])]
        for f in FIELDS:
            per_field[f] += f not in wrong
        exact += not wrong
        if wrong:
            mismatches.append({"id": row["id"], "fields": {f: {"expected": row["expected"].get(f), "got": got[f]}
                                                           for f in wrong}})
    n = len(rows) or 1
    # Rows quoting a sentence of the brief may also be in the code's own examples: reported apart.
    quoted = {r["id"] for r in rows if "brief-example" in r.get("tags", ())}
    wrong_ids = {m["id"] for m in mismatches}
    rest = [r for r in rows if r["id"] not in quoted]
    without = sum(r["id"] not in wrong_ids for r in rest) / (len(rest) or 1)
    return {"scenarios": len(rows), "exact_profiles": round(exact / n, 3),
            "exact_profiles_without_brief_examples": round(without, 3), "brief_examples": len(quoted),
            "per_field": {f: round(c / n, 3) for f, c in per_field.items()}, "mismatches": mismatches}


async def agent_context(settings: Settings) -> AgentContext:
    """The graph with the catalogue loaded, and nothing else: no router, language model or profile
    memory (the agents are called directly; the measured answers come from the graph)."""
    graph = make_graph_store(settings)
    await graph.connect()
    await load_catalogue(graph)
    return AgentContext(graph=graph, settings=settings)


@asynccontextmanager
async def embedded_graph_context() -> AsyncIterator[AgentContext]:
    """``agent_context`` over an embedded FalkorDB in a temporary directory, closed after."""
    with tempfile.TemporaryDirectory() as tmp:
        server = FalkorDBServer(Path(tmp))
        server.start()
        try:
            ctx = await agent_context(Settings(falkordb_socket=str(server.socket)))
            try:
                yield ctx
            finally:
                await ctx.close()
        finally:
            server.stop()


async def run(only: list[str] | None = None) -> dict:
    chosen = {name: rows for name, rows in splits("profiles").items() if not only or name in only}
    async with embedded_graph_context() as ctx:
        started = time.perf_counter()
        out = {name: await run_split(ctx, rows, name.split()[0]) for name, rows in chosen.items()}
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out


def main() -> int:
    parser = argparse.ArgumentParser()
    tuning = [name for name in split_names("profiles") if name != "test"]  # never show test's mismatches
    parser.add_argument("--show", choices=(*tuning, "all"), help="list that split's mismatches")
    parser.add_argument("--only", nargs="+", choices=split_names("profiles"), help="run these splits only")
    args = parser.parse_args()
    result = asyncio.run(run(args.only))
    if not args.only:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for name, r in result.items():
        if name == "seconds":
            continue
        fields = ", ".join(f"{f} {v:.1%}" for f, v in r["per_field"].items())
        print(f"profile extraction [{name}]: {r['scenarios']} scenarios, whole profile exact "
              f"{r['exact_profiles']:.1%} ({r['exact_profiles_without_brief_examples']:.1%} without the "
              f"{r['brief_examples']} brief examples); per field: {fields}")
        if args.show and name.split()[0] == args.show:
            for m in r["mismatches"]:
                print("  ", m["id"], json.dumps(m["fields"], ensure_ascii=False))
    print(f"({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
