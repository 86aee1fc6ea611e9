"""Shared types of the agent layer: request, route decision, reply, agent protocol, context.

A leaf: it imports no product module (the wiring is ``agents.wiring``). The streams stages call
``wiring.build_context(settings)`` once per worker, then ``router.route(req, ctx)`` and
``registry.respond(req, decision, ctx)`` per utterance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from agents.memory import ProfileMemory
    from agents.providers.graph import GraphStore
    from agents.embeddings import Embedder
    from agents.providers.llm import IntentClassifier, LanguageModel
    from core.settings import Settings

CLARIFY = "clarify"  # the route when no agent fits: a clarifying question


@dataclass(frozen=True)
class AgentRequest:
    """One transcribed utterance of one user, within one session (one processed upload)."""

    user_id: str
    session_id: str
    text: str
    voice_profile: dict | None = None


@dataclass(frozen=True)
class RouteDecision:
    """Which agent answers: one of ``agents.registry.AGENT_NAMES`` or ``"clarify"``."""

    agent: str
    confidence: float
    reason: str
    # The request the agent acts on when it is not this turn's words: a yes to "I heard 'find me
    # a thali'. Is that right?" acts on the request read back (``agents.read_back``).
    request: str | None = None


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
    embedder: "Embedder | None" = None  # the router's sentence embedders, loaded once per worker
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


class LeadingAgent(Agent, Protocol):
    """An agent that leads a conversation (onboarding, a passphrase asked for): speech doubted
    there comes back to it (``turn_state.leading_agent``), and it asks its question again."""

    async def ask_again(self, req: AgentRequest, ctx: AgentContext) -> AgentReply: ...
