"""Reply relevance: does the food or travel reply follow what the request asked?

Each row of ``bench/data/understanding/requests.{dev,test}.jsonl`` (written independently of the
code; tune on dev, report test) is sent to the real agent it names (food or travel) for an
onboarded user with that home city, on the embedded FalkorDB graph with the catalogue (the
graph-only context of ``bench.profile_extraction``).  Each expected key is then judged:

- food, from the recommended dishes' catalogue rows (the first dish offered decides; an order
  judges the ordered dish): ``cuisine`` (restaurant cuisine in the family asked,
  ``agents.dish_types``), ``dish_type`` (the dish name's type), ``city``, ``district`` (restaurant
  neighbourhood), ``max_price_level`` (dish price band), ``spice`` (mild <= 1, hot >= 2);
  ``advice_only`` true: no order recorded in the graph; false: an order recorded or a
  "which one?" question with options.
- travel: ``topic`` is answered when a hotel question gets stays and any other question gets
  no stays and a reply that speaks of that topic (its cue words, below); ``city``, ``district``
  and ``landmark`` from the stays' neighbourhoods or the answer's own place fields and text.

Also: distinct dishes per 100 food requests (all dishes named), and the share of food
replies whose first dish is the most common first dish.  Prints per-key rates per split,
writes ``bench/results/reply_relevance.json``.

    python -m bench.reply_relevance                 # every split (dev, dev2, test)
    python -m bench.reply_relevance --split dev --show   # dev only, list its misses
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from agents.travel_knowledge import within
from agents.base import AgentRequest, RouteDecision
from agents.dish_types import in_family, types_of
from agents.registry import respond
from agents.slots import normalise
from bench.profile_extraction import embedded_graph_context, split_names, splits

RESULTS = Path(__file__).parent / "results" / "reply_relevance.json"

# What a reply about each topic has to speak of (judged on the reply text, lower case, no accents).
TOPIC_WORDS = {
    "tipping": r"\btip|service charge|service compris",
    "visa": r"\bvisa|\beta\b|\besta\b",
    "transport": r"metro|tube|bus|train|subway|taxi|uber|ride-hailing|rickshaw",
    "airport": r"airport|\(?[A-Z]{3}\)?|terminal|airtrain|express",
    "dress_code": r"dress|cover|wear|smart-casual|shoes",
    "safety": r"\bsafe|pickpocket|care|scam",
    "customs": r"greet|rude|queue|hand|shoes|kiss|bise|bonjour|polite|declare",  # manners, or the border
    "district": r".",
    "landmark": r".",
}

_ORDERS = "MATCH (u:User {id: $id})-[o:ORDERED]->(d:Dish) RETURN count(o) AS n"
_DISH = """
MATCH (d:Dish {id: $id})-[:SERVED_AT]->(r:Restaurant)-[:IN]->(c:City)
RETURN d.name AS name, d.spice AS spice, d.price_band AS price_band, r.cuisine AS cuisine,
       r.neighbourhood AS neighbourhood, c.name AS city
"""


async def ask(ctx, row: dict, user: str):
    await ctx.graph.upsert_user(user, {"name": "Bench", "home_city": row["home_city"], "onboarded": True,
                                       "allergies": [], "diets": []})
    reply = await respond(AgentRequest(user_id=user, session_id=f"{user}-s", text=row["text"]),
                          RouteDecision(row["agent"], 1.0, "benchmark"), ctx)
    orders = (await ctx.graph.query(_ORDERS, {"id": user}))[0]["n"]
    return reply, orders


async def judge_food(ctx, row: dict, reply, orders: int) -> tuple[dict, list[str]]:
    exp = row["expects"]
    dishes = [d for d in reply.items if d.get("kind") == "dish"]
    rows = [(await ctx.graph.query(_DISH, {"id": d["id"]}))[0] for d in dishes]
    first = rows[0] if rows else None
    got = {}
    for key, want in exp.items():
        if key == "advice_only":
            got[key] = orders == 0 if want else (orders > 0 or len(dishes) > 0)
        elif first is None:
            got[key] = False
        elif key == "cuisine":
            got[key] = in_family(want, first["cuisine"])
        elif key == "dish_type":
            got[key] = want in types_of(first["name"])
        elif key == "city":
            got[key] = first["city"] == want
        elif key == "district":
            got[key] = within(want, first["neighbourhood"])
        elif key == "max_price_level":
            got[key] = (first["price_band"] or 1) <= want
        elif key == "spice":
            got[key] = first["spice"] <= 1 if want == "mild" else first["spice"] >= 2
    return got, [r["name"] for r in rows]


def judge_travel(row: dict, reply) -> dict:
    exp = row["expects"]
    stays = [i for i in reply.items if i.get("kind") == "stay"]
    info = next((i for i in reply.items if i.get("kind") == "travel_info"), {})
    text = normalise(reply.text)
    got = {}
    for key, want in exp.items():
        if key == "topic":
            if want == "hotel":
                got[key] = bool(stays)
            else:
                pattern = TOPIC_WORDS.get(want, r".")
                got[key] = not stays and info.get("topic") == want and bool(
                    re.search(pattern, reply.text if want == "airport" else text))
        elif key == "city":
            got[key] = (reply.cultural_context or {}).get("city") == want
        elif key == "district":
            got[key] = (any(within(want, s["neighbourhood"]) for s in stays[:1])
                        or within(want, info.get("district")) or normalise(want) in text)
        elif key == "landmark":
            got[key] = info.get("landmark") == want or normalise(want) in text
    return got


async def run_split(ctx, rows: list[dict], tag: str) -> dict:
    hits, counts, misses = defaultdict(int), defaultdict(int), []
    first_dishes, all_dishes, food_n = [], set(), 0
    for n, row in enumerate(rows):
        user = f"rr-{tag}-{n}"
        reply, orders = await ask(ctx, row, user)
        if row["agent"] == "food":
            got, named = await judge_food(ctx, row, reply, orders)
            food_n += 1
            all_dishes |= set(named)
            first_dishes += named[:1]
        else:
            got = judge_travel(row, reply)
        for key, ok in got.items():
            k = f"{row['agent']}.{key}"
            counts[k] += 1
            hits[k] += ok
        if not all(got.values()):
            misses.append({"id": row["id"], "text": row["text"], "wrong": [k for k, ok in got.items() if not ok],
                           "reply": reply.text[:240]})
    top = Counter(first_dishes).most_common(1)
    keys = sorted(counts)
    all_ok = sum(1 for r in rows if r["id"] not in {m["id"] for m in misses})
    return {"requests": len(rows), "rows_fully_followed": round(all_ok / (len(rows) or 1), 3),
            "per_key": {k: {"rate": round(hits[k] / counts[k], 3), "n": counts[k]} for k in keys},
            "food_requests": food_n,
            "distinct_dishes_per_100_food_requests": round(100 * len(all_dishes) / (food_n or 1), 1),
            "distinct_first_dishes": len(set(first_dishes)),
            "most_common_first_dish_share": round(top[0][1] / (food_n or 1), 3) if top else 0.0,
            "misses": misses}


async def run(which: list[str]) -> dict:
    async with embedded_graph_context() as ctx:
        started = time.perf_counter()
        out = {name: await run_split(ctx, rows, name.split()[0])
               for name, rows in splits("requests").items() if name in which}
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=split_names("requests"),
                        help="run one split only (default: every split; dev2... are further tuning sets)")
    parser.add_argument("--show", action="store_true", help="list a dev split's misses (never test's)")
    args = parser.parse_args()
    which = [args.split] if args.split else split_names("requests")
    result = asyncio.run(run(which))
    if not args.split:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for name, r in result.items():
        if name == "seconds":
            continue
        keys = ", ".join(f"{k} {v['rate']:.0%} (n={v['n']})" for k, v in r["per_key"].items())
        print(f"reply relevance [{name}]: {r['requests']} requests, {r['rows_fully_followed']:.1%} fully followed; "
              f"{keys}")
        print(f"  food reply diversity: {r['distinct_dishes_per_100_food_requests']} distinct dishes per 100 "
              f"food requests, {r['distinct_first_dishes']} distinct first dishes over {r['food_requests']}, "
              f"most common first dish {r['most_common_first_dish_share']:.0%}")
        if args.show and name.startswith("dev"):
            for m in r["misses"]:
                print("  ", m["id"], m["wrong"], "|", m["text"], "->", m["reply"])
    print(f"({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
