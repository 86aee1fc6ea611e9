"""The places contract: dishes and stays from external MCP servers, asked before the catalogue.

Which servers are used is ``Settings.mcp_servers`` (agents/providers/mcp_config.py); a server
offering these tools is a places server (agents/providers/mcp_servers.py routes by tool). The
tools, JSON results:

* ``find_dishes(city, query)`` → ``{"dishes": [{"id", "name", "restaurant", "price",
  "ingredients": [...], "neighbourhood"?, "cuisine"?, "spice"? 0-3, "price_band"? 1-4,
  "rating"?, "allergens"?}]}``
* ``find_stays(city, query)`` → ``{"stays": [{"id", "name", "neighbourhood", "price",
  "why"?, "tags"?: [...]}]}``

At most 50 rows are read, texts are cut to 200 characters and a row missing a field the reply
needs, or with one of the wrong type, is dropped (agents/providers/mcp_values.py); no usable row
from any server: ``None``, the agent uses its catalogue. Dishes from outside are never trusted
for safety: the food agent still decides each one with ``agents.safety``, from the ingredients
(unknown ones make the dish unsafe for anyone with an allergy or diet; a list of more than 40 is
refused, as cutting it could hide one), and a server's halal/kosher claim is dropped (only the
catalogue records a kitchen's certification). A dish keeps its server (``source``), so ordering
it can book at that server (agents/providers/mcp_reservations.py).
"""

from __future__ import annotations

from typing import Any

from agents import safety
from agents.providers.mcp_config import ConfigError, ServerSpec, parse_servers  # noqa: F401 (the config's home before)
from agents.providers.mcp_servers import ask, close_sources  # noqa: F401 (tests close through here)
from agents.providers.mcp_values import items_in, level, number, strings, text

DISHES_TOOL, STAYS_TOOL = "find_dishes", "find_stays"


def parse_dish(row: Any, server: str) -> dict | None:
    """A dish row in the catalogue's shape, or None when a field the reply needs is missing or wrong."""
    if not isinstance(row, dict):
        return None
    ident, name, restaurant = text(row, "id"), text(row, "name"), text(row, "restaurant")
    price, ingredients = number(row.get("price")), strings(row.get("ingredients", []))
    if None in (ident, name, restaurant, price, ingredients):
        return None
    # The allergens the ingredient table knows, plus any the server lists (a listed one never makes it safer).
    allergens = (safety.ingredient_allergens(ingredients) or set()) | set(strings(row.get("allergens")) or [])
    return {"id": f"mcp:{server}:{ident}", "name": name, "restaurant": restaurant, "price": price,
            "restaurant_id": f"mcp:{server}:{restaurant}", "neighbourhood": text(row, "neighbourhood", ""),
            "cuisine": text(row, "cuisine", ""), "ingredients": ingredients,
            "spice": level(row.get("spice"), range(4)) or 0, "price_band": level(row.get("price_band"), range(1, 5)),
            "rating": number(row.get("rating")), "allergens": sorted(allergens),
            "diets": [], "source": f"mcp:{server}"}  # certification claims dropped (module docstring)


def parse_stay(row: Any, server: str) -> dict | None:
    """A stay row in the catalogue's shape, or None when a field the reply needs is missing or wrong."""
    if not isinstance(row, dict):
        return None
    ident, name, area, price = text(row, "id"), text(row, "name"), text(row, "neighbourhood"), number(row.get("price"))
    if None in (ident, name, area, price):
        return None
    tags = row.get("tags") if isinstance(row.get("tags"), list) else []
    return {"id": f"mcp:{server}:{ident}", "name": name, "neighbourhood": area, "price": price,
            "why": text(row, "why", ""), "tags": [t[:40] for t in tags[:20] if isinstance(t, str)],
            "source": f"mcp:{server}"}


def _rows(key: str, parse):
    """A parser of one tool's answer: its valid rows, or None when there are none."""
    return lambda data, server: items_in(data, key, server, parse) or None


async def external_dishes(settings, city: str, query: str) -> list[dict] | None:
    """Dishes from the configured places servers (not yet safety-checked), or None: use the catalogue."""
    return (await ask(settings, DISHES_TOOL, {"city": city, "query": query}, _rows("dishes", parse_dish))).value


async def external_stays(settings, city: str, query: str) -> list[dict] | None:
    """Stays from the configured places servers, or None: use the catalogue."""
    return (await ask(settings, STAYS_TOOL, {"city": city, "query": query}, _rows("stays", parse_stay))).value
