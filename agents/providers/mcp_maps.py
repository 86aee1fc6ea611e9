"""The maps contract: a route between two places from an external MCP server, before the travel
agent's own transport notes (agents/travel_knowledge.py).

A server offering this tool is a maps server (agents/providers/mcp_servers.py routes by tool):

* ``find_route(city, origin, destination)`` → ``{"route": {"summary", "steps"?: [...],
  "minutes"?, "mode"?}}``; ``origin`` is "" when the question names only where to go.

The summary and at most 8 steps are kept, each cut to 200 characters; ``minutes`` must be a
number under a day. Anything else (no summary, wrong types, an error, too slow): ``None``, and
the agent answers from its own knowledge.
"""

from __future__ import annotations

from typing import Any

from agents.providers.mcp_servers import ask
from agents.providers.mcp_values import number, text

ROUTE_TOOL = "find_route"
MAX_STEPS = 8


def parse_route(data: Any, server: str) -> dict | None:
    """The route in ``{"route": {...}}``, checked and bounded; None when it has no usable summary."""
    route = data.get("route") if isinstance(data, dict) else None
    if not isinstance(route, dict) or text(route, "summary") is None:
        return None
    steps = route.get("steps") if isinstance(route.get("steps"), list) else []
    minutes = number(route.get("minutes"))
    return {"summary": text(route, "summary"), "mode": text(route, "mode", "", limit=40),
            "steps": [" ".join(s.split())[:200] for s in steps[:MAX_STEPS] if isinstance(s, str) and s.strip()],
            "minutes": round(minutes) if minutes is not None and minutes < 24 * 60 else None,
            "source": f"mcp:{server}"}


async def external_route(settings, city: str, origin: str, destination: str) -> dict | None:
    """A route from the configured maps servers, or None: answer from the agent's own knowledge."""
    args = {"city": city, "origin": origin, "destination": destination}
    return (await ask(settings, ROUTE_TOOL, args, parse_route)).value
