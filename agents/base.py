"""Shared types of the agent layer: request, route decision, reply, agent protocol, context.

The streams stages call ``build_context(settings)`` once per worker, then
``router.route(req, ctx)`` and ``registry.respond(req, decision, ctx)`` per utterance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from agents.memory import ProfileMemory
    from agents.providers.graph import GraphStore
    from agents.embeddings import Embedder
    from agents.providers.llm import IntentClassifier, LanguageModel
    from aurasense.settings import Settings

AGENT_NAMES = ("onboarding", "auth", "food", "travel", "social", "profile")
CLARIFY = "clarify"


@dataclass(frozen=True)
class AgentRequest:
    """One transcribed utterance of one user, within one session (one processed upload)."""

    user_id: str
    session_id: str
    text: str
    voice_profile: dict | None = None


@dataclass(frozen=True)
class RouteDecision:
    """Which agent answers: one of ``AGENT_NAMES`` or ``"clarify"``."""

    agent: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class AgentReply:
    """What an agent says back; ``items`` lists the concrete things it recommended (dicts)."""

    agent: str
    text: str
    cultural_context: dict
    items: tuple = ()
    awaiting: str = ""  # what the reply asked the user for ("passphrase"): the next turn's context


@dataclass
class AgentContext:
    """Everything an agent may use: the graph store, (optionally) a language model, and the
    Graphiti profile memory (``agents.memory.ProfileMemory``; None when not built)."""

    graph: "GraphStore"
    llm: "LanguageModel | None" = None
    embedder: "Embedder | None" = None  # router's MiniLM, loaded once per worker
    intents: "IntentClassifier | None" = None  # Groq intent classifier (None offline)
    memory: "ProfileMemory | None" = None
    settings: "Settings | None" = None  # e.g. the token secret for voice sign-in

    async def close(self) -> None:
        """Release the graph connection (and the memory's, after its pending episodes)."""
        if self.memory is not None:
            await self.memory.close()
        await self.graph.close()


class Agent(Protocol):
    """An agent: a name and one coroutine that answers a request."""

    name: str

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply: ...


async def build_context(settings) -> AgentContext:
    """Connect the graph (Neo4j when ``settings.neo4j_uri`` is set, else FalkorDB), load the
    catalogue if absent, pick the LLM (None offline), open the Graphiti profile memory."""
    from agents.catalogue.loader import load_catalogue
    from agents.memory import make_memory
    from agents.providers.llm import make_intent_classifier, make_language_model
    from agents.router import load_router_embedder

    from agents.providers.graph import make_graph_store

    graph = make_graph_store(settings)
    await graph.connect()
    await load_catalogue(graph)
    memory = make_memory(settings)
    await memory.connect()
    return AgentContext(graph=graph, llm=make_language_model(settings), memory=memory, settings=settings,
                        embedder=load_router_embedder(), intents=make_intent_classifier(settings))


async def close_context(ctx: AgentContext) -> None:
    """Release what ``build_context`` opened (same as ``ctx.close()``)."""
    await ctx.close()


async def user_and_city(req: AgentRequest, ctx: AgentContext) -> tuple[dict, str | None, dict | None]:
    """(profile or {}, city name in play, catalogue city or None).

    The city in play is the one named in the utterance, else the user's home city.
    """
    from agents.slots import city_in, home_city

    profile = await ctx.graph.get_user(req.user_id) or {}
    name = city_in(req.text) or home_city(req.text) or profile.get("home_city")
    city = await ctx.graph.get_city(name) if name else None
    return profile, name, city
