"""External places servers over MCP: dishes and stays, asked before the catalogue.

Configured by ``Settings.mcp_servers`` (``AURASENSE_MCP_SERVERS``): ``name=target`` pairs
separated by commas, or JSON (``{"places": "http://127.0.0.1:9000/mcp"}``, or a list of
``{"name", "url"}`` / ``{"name", "command"}``). A target starting ``http://`` or ``https://``
is a streamable-HTTP endpoint; anything else is a command line started over stdio.

The contract an external server speaks (tools, JSON results):

* ``find_dishes(city, query)`` → ``{"dishes": [{"id", "name", "restaurant", "price",
  "ingredients": [...], "neighbourhood"?, "cuisine"?, "spice"? 0-3, "price_band"? 1-4,
  "rating"?, "allergens"?}]}``
* ``find_stays(city, query)`` → ``{"stays": [{"id", "name", "neighbourhood", "price",
  "why"?, "tags"?: [...]}]}``

The servers are asked in the configured order, each over a connection kept between calls
(mcp_link.py); the first valid answer wins. A server that is down, still connecting or slower
than ``Settings.mcp_timeout_s``, or answers an error or garbage, is skipped, and ``None`` tells
the agent to use its catalogue. Dishes from outside are never
trusted for safety: the food agent still decides each one with ``agents.safety``, from the
ingredients (unknown ones make the dish unsafe for anyone with an allergy or diet), and a
server's halal/kosher claim is dropped (only the catalogue records a kitchen's certification).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from agents import safety
from agents.providers.mcp_link import LinkDown, McpLink, reason_of

log = logging.getLogger(__name__)

DISHES_TOOL, STAYS_TOOL = "find_dishes", "find_stays"
MAX_ITEMS = 50  # more than any reply needs; bounds what a server can make us rank


class ConfigError(ValueError):
    """``AURASENSE_MCP_SERVERS`` cannot be read (the message says why)."""


@dataclass(frozen=True)
class ServerSpec:
    """One external MCP server: a streamable-HTTP ``url`` or a stdio ``command``."""

    name: str
    url: str = ""
    command: tuple[str, ...] = ()


def parse_servers(text: str) -> tuple[ServerSpec, ...]:
    """The servers ``AURASENSE_MCP_SERVERS`` names, in order (``ConfigError`` when malformed)."""
    text = (text or "").strip()
    if not text:
        return ()
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"AURASENSE_MCP_SERVERS is not valid JSON: {exc}") from None
        pairs = data.items() if isinstance(data, dict) else [_entry(e) for e in data]
    else:
        pairs = [_pair(part) for part in text.split(",") if part.strip()]
    specs = tuple(_spec(name, target) for name, target in pairs)
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ConfigError(f"AURASENSE_MCP_SERVERS names a server twice: {names}")
    return specs


def _pair(part: str) -> tuple[str, str]:
    name, sep, target = part.partition("=")
    if not sep:
        raise ConfigError(f"AURASENSE_MCP_SERVERS: {part.strip()!r} is not name=url-or-command")
    return name.strip(), target.strip()


def _entry(entry: Any) -> tuple[str, Any]:
    if not isinstance(entry, dict) or "name" not in entry or not ({"url", "command"} & entry.keys()):
        raise ConfigError(f"AURASENSE_MCP_SERVERS: each entry needs a name and a url or a command, got {entry!r}")
    return entry["name"], entry.get("url") or entry["command"]


def _spec(name: Any, target: Any) -> ServerSpec:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"AURASENSE_MCP_SERVERS: bad server name {name!r}")
    if isinstance(target, list) and target and all(isinstance(t, str) for t in target):
        return ServerSpec(name, command=tuple(target))
    if not isinstance(target, str) or not target.strip():
        raise ConfigError(f"AURASENSE_MCP_SERVERS: server {name!r} has no url or command")
    if target.startswith(("http://", "https://")):
        return ServerSpec(name, url=target)
    return ServerSpec(name, command=tuple(shlex.split(target)))


class PlacesSource(Protocol):
    """Where the agents look before their catalogue; ``None``: nothing usable, use the catalogue."""

    async def dishes(self, city: str, query: str) -> list[dict] | None: ...

    async def stays(self, city: str, query: str) -> list[dict] | None: ...


class McpPlaces:
    """``PlacesSource`` over the configured MCP servers, one kept connection each (mcp_link.py)."""

    def __init__(self, servers: tuple[ServerSpec, ...], timeout_s: float) -> None:
        from mcp import StdioServerParameters  # here, not in a call: importing the SDK takes ~1.5 s

        self.timeout_s = timeout_s
        self.links = [McpLink(s.name, s.url or StdioServerParameters(command=s.command[0], args=list(s.command[1:])))
                      for s in servers]

    async def dishes(self, city: str, query: str) -> list[dict] | None:
        return await self._first(DISHES_TOOL, {"city": city, "query": query}, "dishes", parse_dish)

    async def stays(self, city: str, query: str) -> list[dict] | None:
        return await self._first(STAYS_TOOL, {"city": city, "query": query}, "stays", parse_stay)

    async def _first(self, tool: str, args: dict, key: str, parse: Callable[[dict, str], dict | None]):
        for link in self.links:
            data = await self._ask(link, tool, args)
            if data is None:  # down or failed: logged already
                continue
            items = items_in(data, key, link.name, parse)
            if items:
                return items
            log.warning("mcp server %s: %s answered nothing usable; falling back", link.name, tool)
        return None

    async def _ask(self, link: McpLink, tool: str, args: dict) -> Any:
        """The tool's JSON answer, or None (down, slow, an error, not JSON)."""
        try:
            async with asyncio.timeout(self.timeout_s):
                return json_of(await link.call_tool(tool, args))
        except LinkDown:  # unreachable now: the link logged why when it went down
            return None
        except ValueError:
            log.warning("mcp server %s: %s answered an error or no JSON; falling back", link.name, tool)
            return None
        except Exception as exc:
            if not link.connected:  # still connecting: left to finish, the next call finds it ready
                log.info("mcp server %s: not connected yet (%s); falling back", link.name, reason_of(exc))
                return None
            log.warning("mcp server %s: %s failed (%s); falling back", link.name, tool, reason_of(exc))
            await link.close()  # slow or broken: the next call opens a fresh connection
            return None

    async def close(self) -> None:
        await asyncio.gather(*(link.close() for link in self.links))


def json_of(result: Any) -> Any:
    """A ``CallToolResult``'s JSON (structured content, else its text); ``ValueError`` for an error result."""
    if result.is_error:
        raise ValueError("the tool answered an error")
    if isinstance(result.structured_content, dict):
        data = result.structured_content
        return data.get("result", data) if set(data) == {"result"} else data
    return json.loads("".join(getattr(block, "text", "") for block in result.content))


def items_in(data: Any, key: str, server: str, parse) -> list[dict]:
    """The valid rows of ``data[key]`` (at most ``MAX_ITEMS``), parsed; anything else: none."""
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    return [item for item in (parse(row, server) for row in rows[:MAX_ITEMS]) if item is not None]


def _text(row: dict, key: str, default: str | None = None) -> str | None:
    value = row.get(key, default)
    return value.strip() if isinstance(value, str) and value.strip() else default


def _number(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf")
    return float(value) if ok else None


def _strings(value: Any) -> list[str] | None:
    """A list of strings, or None for anything else."""
    return list(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def _level(value: Any, levels: range) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value in levels else None


def parse_dish(row: Any, server: str) -> dict | None:
    """A dish row in the catalogue's shape, or None when a field the reply needs is missing or wrong."""
    if not isinstance(row, dict):
        return None
    ident, name, restaurant = _text(row, "id"), _text(row, "name"), _text(row, "restaurant")
    price, ingredients = _number(row.get("price")), _strings(row.get("ingredients", []))
    if None in (ident, name, restaurant, price, ingredients):
        return None
    # The allergens the ingredient table knows, plus any the server lists (a listed one never makes it safer).
    allergens = (safety.ingredient_allergens(ingredients) or set()) | set(_strings(row.get("allergens")) or [])
    return {"id": f"mcp:{server}:{ident}", "name": name, "restaurant": restaurant, "price": price,
            "restaurant_id": f"mcp:{server}:{restaurant}", "neighbourhood": _text(row, "neighbourhood", ""),
            "cuisine": _text(row, "cuisine", ""), "ingredients": ingredients,
            "spice": _level(row.get("spice"), range(4)) or 0, "price_band": _level(row.get("price_band"), range(1, 5)),
            "rating": _number(row.get("rating")), "allergens": sorted(allergens),
            "diets": [], "source": f"mcp:{server}"}  # certification claims dropped (module docstring)


def parse_stay(row: Any, server: str) -> dict | None:
    """A stay row in the catalogue's shape, or None when a field the reply needs is missing or wrong."""
    if not isinstance(row, dict):
        return None
    ident, name, area, price = _text(row, "id"), _text(row, "name"), _text(row, "neighbourhood"), _number(
        row.get("price"))
    if None in (ident, name, area, price):
        return None
    tags = row.get("tags") if isinstance(row.get("tags"), list) else []
    return {"id": f"mcp:{server}:{ident}", "name": name, "neighbourhood": area, "price": price,
            "why": _text(row, "why", ""), "tags": [t for t in tags if isinstance(t, str)],
            "source": f"mcp:{server}"}


_SOURCES: dict[tuple, McpPlaces] = {}


def source_for(settings) -> PlacesSource | None:
    """The places source the settings configure (one per configuration and event loop: its
    connections belong to the loop), or None: catalogue only. Call inside the loop."""
    if settings is None or not settings.mcp_servers:
        return None
    key = (settings.mcp_servers, settings.mcp_timeout_s, asyncio.get_running_loop())
    if key not in _SOURCES:
        _SOURCES[key] = McpPlaces(parse_servers(settings.mcp_servers), settings.mcp_timeout_s)
    return _SOURCES[key]


async def close_sources() -> None:
    """Close the connections opened on this event loop (tests; a worker keeps them until it exits)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _SOURCES if k[2] is loop]:
        await _SOURCES.pop(key).close()


async def external_dishes(settings, city: str, query: str) -> list[dict] | None:
    """Dishes from the configured servers (not yet safety-checked), or None: use the catalogue."""
    source = source_for(settings)
    return await source.dishes(city, query) if source else None


async def external_stays(settings, city: str, query: str) -> list[dict] | None:
    """Stays from the configured servers, or None: use the catalogue."""
    source = source_for(settings)
    return await source.stays(city, query) if source else None
