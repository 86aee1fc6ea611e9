"""The product as an MCP server (``aurasense mcp``): its tools on the official ``mcp`` SDK.

Tools, each a thin adapter over what the agents and operators already use:

* ``safe_dishes``: dishes safe for the caller in a city (the food agent's ranking and
  ``agents.safety``; the caller's allergies and diets from their profile, plus any the request adds);
* ``stays``: places to stay in a city (the travel agent's);
* ``get_profile`` / ``update_profile``: the caller's own profile (the profile agent's
  understanding of a statement such as "I'm allergic to sesame");
* ``session_status``, ``session_tail``, ``session_replay``: one session, scoped as the gateway
  scopes ``GET /v1/sessions/{id}`` (aurasense/mcp_sessions.py).

Who may do what is aurasense/mcp_access.py (the gateway's token and rules).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from agents.base import AgentContext
from agents.food_agent import item, safe_dishes as food_safe_dishes
from agents.memory_mirror import mirror_profile
from agents.profile_agent import profile_changes
from agents.areas import places_in
from agents.slots import normalise, travel_tags
from agents.slots_health import health_question
from agents.travel_agent import pick, stays_in
from aurasense import mcp_access as access
from aurasense import mcp_sessions as sessions
from core.settings import Settings
from gateway.config import GatewayConfig

MAX_STATEMENT = 1000  # as typed text at the gateway
MAX_ITEMS = 20
INSTRUCTIONS = ("Aurasense: safe dishes and stays in Lagos, London, New York, Paris and Mumbai, the caller's "
                "own profile, and their sessions. Pass the bearer token the gateway issued as `token`.")


@dataclass
class Backend:
    """What the tools reach: settings, the gateway, and (while the server runs) the agents' graph."""

    settings: Settings
    gateway_url: str
    default_token: str = ""
    agents: AgentContext | None = None

    def __post_init__(self) -> None:
        self.config = GatewayConfig.from_settings(self.settings)

    def caller(self, token: str, ctx: Context) -> access.Caller:
        return access.identify(self.config, token, ctx.headers, self.default_token)

    def user(self, token: str, user_id: str, ctx: Context) -> str:
        return access.user_to_act_as(self.config, self.caller(token, ctx), user_id)

    @property
    def graph(self):
        if self.agents is None:
            raise ToolError("the server is not connected to the graph yet")
        return self.agents.graph

    async def city(self, name: str, profile: dict) -> dict:
        wanted = (name or profile.get("home_city") or "").strip()
        if not wanted:
            raise ToolError("name a city (the caller's profile has no home city)")
        found = await self.graph.get_city(wanted) or await self.graph.get_city(wanted.title())
        if found is None:
            known = sorted(r["name"] for r in await self.graph.query("MATCH (c:City) RETURN c.name AS name"))
            raise ToolError(f"unknown city {wanted!r}: the catalogue knows {', '.join(known)}")
        return found


class GraphUnreachable(RuntimeError):
    """The graph the tools read cannot be reached (``aurasense mcp`` exits 3)."""


async def probe_graph(settings: Settings) -> None:
    """Connect to the graph once, so a server that cannot reach it says so before serving."""
    from agents.providers.graph_backend import make_graph_store

    graph = make_graph_store(settings)
    where = settings.neo4j_uri or settings.falkordb_socket or f"{settings.falkordb_host}:{settings.falkordb_port}"
    try:
        await graph.connect()
        await graph.query("RETURN 1 AS one")
    except Exception as exc:  # the driver's own error types differ per graph
        raise GraphUnreachable(f"cannot reach the graph at {where} ({type(exc).__name__}): start the product "
                               "(aurasense up) or point AURASENSE_FALKORDB_SOCKET / NEO4J_URI at it") from None
    finally:
        await graph.close()


async def open_agents(settings: Settings) -> AgentContext:
    """The graph (catalogue loaded if absent) and the profile memory, as a worker opens them; no
    router model: no tool routes."""
    from agents.catalogue.loader import load_catalogue
    from agents.memory_setup import make_memory
    from agents.providers.graph_backend import make_graph_store

    graph = make_graph_store(settings)
    await graph.connect()
    await load_catalogue(graph)
    memory = make_memory(settings)
    await memory.connect()
    return AgentContext(graph=graph, memory=memory, settings=settings)


def build_server(backend: Backend) -> MCPServer:
    """The MCP server with every tool; its lifespan opens and closes the graph."""

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[None]:
        backend.agents = await open_agents(backend.settings)
        try:
            yield None
        finally:
            await backend.agents.close()
            backend.agents = None

    server = MCPServer("aurasense", instructions=INSTRUCTIONS, lifespan=lifespan)

    @server.tool()
    async def safe_dishes(ctx: Context, city: str = "", request: str = "", limit: int = 3,
                          token: str = "") -> dict[str, Any]:
        """Dishes safe for the caller in a city (default: their home city): their profile's allergies
        and diets, plus any the request names ("no dairy", "vegan"), are hard filters; the request
        ("something cheap and spicy") ranks them. Without a token, only the request's filters apply."""
        _bounded(limit, "limit")
        caller = backend.caller(token, ctx)
        profile = (await backend.graph.get_user(caller.user_id) or {}) if caller.user_id else {}
        found = await backend.city(city, profile)
        dishes, allergies, diets = await food_safe_dishes(backend.agents, profile, found, _text(request), limit)
        return {"city": found["name"], "user_id": caller.user_id, "allergies": list(allergies),
                "diets": list(diets), "dishes": [item(d, found) | {"neighbourhood": d.get("neighbourhood", "")}
                                                 for d in dishes]}

    @server.tool()
    async def stays(city: str, request: str = "", limit: int = 3) -> dict[str, Any]:
        """Places to stay in a city, best first for the request ("cheap", "luxury", "near Le Marais")."""
        _bounded(limit, "limit")
        found, request = await backend.city(city, {}), _text(request)
        districts = [d for _, in_city, d in places_in(normalise(request)) if in_city == found["name"] and d]
        chosen = pick(await stays_in(backend.agents, found["name"], request), travel_tags(request),
                      districts[0] if districts else None)
        return {"city": found["name"], "stays": [
            {"id": s["id"], "name": s["name"], "neighbourhood": s["neighbourhood"], "price": s["price"],
             "currency": found["currency"], "why": s.get("why", "")} for s in chosen[:limit]]}

    @server.tool()
    async def get_profile(ctx: Context, user_id: str = "", token: str = "") -> dict[str, Any]:
        """The caller's own profile (name, home city, allergies, diets, language...). ``user_id``
        defaults to the token's user; another user's profile is refused."""
        who = backend.user(token, user_id, ctx)
        profile = await backend.graph.get_user(who)
        return {"user_id": who, "found": profile is not None, "profile": profile or {}}

    @server.tool()
    async def update_profile(ctx: Context, statement: str, user_id: str = "", token: str = "") -> dict[str, Any]:
        """Change the caller's own profile with a statement, understood as the profile agent
        understands speech: "I'm allergic to peanuts", "I'm vegetarian now", "I live in Paris",
        "reply in French". Nothing is stored when it is not understood."""
        who = backend.user(token, user_id, ctx)
        text = _text(statement, required=True)
        before = await backend.graph.get_user(who) or {}
        unclear = health_question(text)
        if unclear:
            heard, maybe = unclear
            raise ToolError(f"nothing stored: {heard!r} was not understood as a health fact"
                            + (f" (did you mean {maybe}?)" if maybe else ""))
        changes = profile_changes(before, text)
        if not changes:
            raise ToolError("nothing to change was understood; say e.g. \"I'm allergic to sesame\", "
                            "\"I'm vegetarian\", \"I live in Lagos\", \"my name is Ada\"")
        after = await backend.graph.upsert_user(who, changes)
        await mirror_profile(backend.agents.memory, who, before, after)
        return {"user_id": who, "changed": sorted(changes), "profile": after}

    @server.tool()
    async def session_status(ctx: Context, session_id: str, token: str = "") -> dict[str, Any]:
        """One session's status (pending, processing, completed or failed; transcription, reply...),
        as the gateway shows it to this token."""
        return await sessions.status(backend.gateway_url, session_id, backend.caller(token, ctx).token)

    @server.tool()
    async def session_tail(ctx: Context, session_id: str, limit: int = 50, token: str = "") -> dict[str, Any]:
        """The session's latest records on the log, every pipeline topic, decoded (for debugging)."""
        _bounded(limit, "limit", most=500)
        await session_status(ctx, session_id, token)  # the gateway's scope first
        return {"session_id": session_id,
                "records": await sessions.tail(backend.settings.kafka_bootstrap, session_id, limit)}

    @server.tool()
    async def session_replay(ctx: Context, session_id: str, reprocess: bool = True,
                             token: str = "") -> dict[str, Any]:
        """Send the session through the pipeline again from its entry record (audio-uploaded or
        text-submitted): ``reprocess`` runs the stages again as a new attempt; without it the stages
        skip what already ran (idempotent)."""
        await session_status(ctx, session_id, token)
        return await sessions.replay(backend.settings.kafka_bootstrap, session_id, reprocess)

    return server


def _bounded(value: int, name: str, most: int = MAX_ITEMS) -> None:
    if not 1 <= value <= most:
        raise ToolError(f"{name} must be between 1 and {most}")


def _text(value: str, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise ToolError("statement must not be empty")
    if len(text) > MAX_STATEMENT or any(ord(c) < 32 for c in text):
        raise ToolError(f"text must be at most {MAX_STATEMENT} characters, without control characters")
    return text
