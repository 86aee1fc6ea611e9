"""A local places server speaking the contract of agents/providers/mcp_places.py, for the tests.

    python -m tests.mcp_places_fake                      # stdio
    python -m tests.mcp_places_fake --port 9000          # streamable HTTP at http://127.0.0.1:9000/mcp
    ... --delay 5                                         # answers after 5 s (a slow server)
    ... --garbage                                         # answers JSON of the wrong shape

Each call is appended to ``--calls FILE`` (one JSON line: tool, arguments and the server's pid),
so a test can see that the agents asked it, and over how many connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from typing import Any

from mcp.server.mcpserver import MCPServer

# Lagos dishes: one safe for a peanut allergy, one with peanut, one with an ingredient nobody knows.
DISHES = [
    {"id": "d1", "name": "Harbour Jollof", "restaurant": "Fake Marina Grill", "price": 4500,
     "neighbourhood": "Lagos Island", "cuisine": "Nigerian", "ingredients": ["rice", "tomato", "onion"],
     "spice": 1, "price_band": 2, "rating": 4.9},
    {"id": "d2", "name": "Harbour Groundnut Stew", "restaurant": "Fake Marina Grill", "price": 5000,
     "neighbourhood": "Lagos Island", "cuisine": "Nigerian", "ingredients": ["peanut", "tomato", "onion"],
     "spice": 1, "price_band": 2, "rating": 5.0},
    {"id": "d3", "name": "Harbour Mystery Bowl", "restaurant": "Fake Marina Grill", "price": 3000,
     "neighbourhood": "Lagos Island", "cuisine": "Nigerian", "ingredients": ["rice", "secret sauce"],
     "spice": 0, "price_band": 1, "rating": 5.0},
]
STAYS = [
    {"id": "s1", "name": "Fake Canal Rooms", "neighbourhood": "Le Marais", "price": 140,
     "why": "quiet rooms by the canal", "tags": ["budget", "central"]},
    {"id": "s2", "name": "Fake Garden Hotel", "neighbourhood": "Saint-Germain", "price": 260,
     "why": "a garden in the middle of the city", "tags": ["luxury"]},
]


def build(delay_s: float, garbage: bool, calls: str | None) -> MCPServer:
    server = MCPServer("fake-places")

    async def answer(tool: str, args: dict, key: str, rows: list[dict]) -> dict[str, Any]:
        if calls:
            with open(calls, "a", encoding="utf-8") as f:
                f.write(json.dumps({"tool": tool, "arguments": args, "pid": os.getpid()}) + "\n")
        await asyncio.sleep(delay_s)
        return {key: "not a list"} if garbage else {key: rows}

    @server.tool()
    async def find_dishes(city: str, query: str = "") -> dict[str, Any]:
        """Dishes in a city."""
        return await answer("find_dishes", {"city": city, "query": query}, "dishes",
                            DISHES if city == "Lagos" else [])

    @server.tool()
    async def find_stays(city: str, query: str = "") -> dict[str, Any]:
        """Places to stay in a city."""
        return await answer("find_stays", {"city": city, "query": query}, "stays", STAYS if city == "Paris" else [])

    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, help="streamable HTTP on this port (default: stdio)")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--garbage", action="store_true")
    parser.add_argument("--calls", help="append each call to this file")
    args = parser.parse_args()
    server = build(args.delay, args.garbage, args.calls)
    if args.port:
        server.run("streamable-http", host="127.0.0.1", port=args.port)
    else:
        server.run()


if __name__ == "__main__":
    main()
