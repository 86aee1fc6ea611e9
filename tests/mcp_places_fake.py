"""A local server speaking the contracts of agents/providers/mcp_places.py (places), mcp_maps.py
(maps) and mcp_reservations.py (reservations), for the tests.

    python -m tests.mcp_places_fake                      # stdio, places tools only
    python -m tests.mcp_places_fake --port 9000          # streamable HTTP at http://127.0.0.1:9000/mcp
    ... --offer places,maps,reservations                  # the contracts whose tools it offers
    ... --delay 5                                         # answers after 5 s (a slow server)
    ... --garbage                                         # answers JSON of the wrong shape
    ... --refuse-bookings                                 # reserve_table answers a tool error

Each call is appended to ``--calls FILE`` (one JSON line: tool, arguments and the server's pid),
so a test can see that the agents asked it, and over how many connections. ``FakeServer`` runs
one on a free port for a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

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
ROUTE_SUMMARY = "Take the Fake Blue Ferry from {origin} to {destination}"  # what only this server says


def confirmation_for(restaurant: str, party_size: int, time_: str) -> str:
    """The confirmation id this server gives a booking (the same booking, the same id)."""
    return f"FAKE-{zlib.crc32(f'{restaurant}|{party_size}|{time_}'.encode()) % 100000:05d}"


def build(delay_s: float, garbage: bool, calls: str | None, offer: set[str], refuse_bookings: bool = False):
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    server = MCPServer("fake-places")

    async def logged(tool: str, args: dict) -> None:
        if calls:
            with open(calls, "a", encoding="utf-8") as f:
                f.write(json.dumps({"tool": tool, "arguments": args, "pid": os.getpid()}) + "\n")
        await asyncio.sleep(delay_s)

    async def answer(tool: str, args: dict, key: str, rows: list[dict]) -> dict[str, Any]:
        await logged(tool, args)
        return {key: "not a list"} if garbage else {key: rows}

    if "places" in offer:
        @server.tool()
        async def find_dishes(city: str, query: str = "") -> dict[str, Any]:
            """Dishes in a city."""
            return await answer("find_dishes", {"city": city, "query": query}, "dishes",
                                DISHES if city == "Lagos" else [])

        @server.tool()
        async def find_stays(city: str, query: str = "") -> dict[str, Any]:
            """Places to stay in a city."""
            return await answer("find_stays", {"city": city, "query": query}, "stays",
                                STAYS if city == "Paris" else [])

    if "maps" in offer:
        @server.tool()
        async def find_route(city: str, origin: str = "", destination: str = "") -> dict[str, Any]:
            """The way from one place to another in a city."""
            await logged("find_route", {"city": city, "origin": origin, "destination": destination})
            if garbage:
                return {"route": {"summary": 42, "steps": "north"}}
            if city != "Lagos":
                return {"route": None}
            return {"route": {"summary": ROUTE_SUMMARY.format(origin=origin or "here", destination=destination),
                              "steps": ["walk to the jetty", "ferry across the lagoon"], "minutes": 35,
                              "mode": "ferry"}}

    if "reservations" in offer:
        @server.tool()
        async def reserve_table(restaurant: str, city: str, party_size: int = 2, time: str = "") -> dict[str, Any]:
            """Book a table at a restaurant."""
            await logged("reserve_table", {"restaurant": restaurant, "city": city, "party_size": party_size,
                                           "time": time})
            if refuse_bookings:
                raise ToolError(f"{restaurant} is full")
            if garbage:
                return {"confirmation": ["not", "an", "id"]}
            return {"confirmation": confirmation_for(restaurant, party_size, time), "restaurant": restaurant}

    return server


class FakeServer:
    """This server on a free port (streamable HTTP), and the calls it logged; ``stop()`` ends it."""

    def __init__(self, tmp: Path, *flags: str, port: int | None = None) -> None:
        from stack.processes import free_port, port_open

        self.port, self.calls = port or free_port(), tmp / f"calls-{time.monotonic_ns()}.jsonl"
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.mcp_places_fake", "--port", str(self.port),
                                      "--calls", str(self.calls), *flags], cwd=Path(__file__).resolve().parents[1],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not port_open(self.port):
            assert self.proc.poll() is None and time.monotonic() < deadline, "the fake MCP server did not start"
            time.sleep(0.05)  # polling the port: the server gives no other sign it listens

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def logged(self, tool: str | None = None) -> list[dict]:
        rows = [json.loads(line) for line in self.calls.read_text().splitlines()] if self.calls.exists() else []
        return [r for r in rows if tool is None or r["tool"] == tool]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, help="streamable HTTP on this port (default: stdio)")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--garbage", action="store_true")
    parser.add_argument("--refuse-bookings", action="store_true")
    parser.add_argument("--offer", default="places", help="contracts offered: places,maps,reservations")
    parser.add_argument("--calls", help="append each call to this file")
    args = parser.parse_args()
    server = build(args.delay, args.garbage, args.calls, set(args.offer.split(",")), args.refuse_bookings)
    if args.port:
        server.run("streamable-http", host="127.0.0.1", port=args.port)
    else:
        server.run()


if __name__ == "__main__":
    main()
