"""The agent layer's composition root: connect what the agents use, once per worker."""

from __future__ import annotations

from agents.base import AgentContext
from agents.catalogue.loader import load_catalogue
from agents.memory_setup import make_memory
from agents.providers.graph_backend import make_graph_store
from agents.providers.llm import make_intent_classifier, make_language_model
from agents.registry import routing_descriptions
from agents.router import load_router_embedder


async def build_context(settings) -> AgentContext:
    """Connect the graph (Neo4j when ``settings.neo4j_uri`` is set, else FalkorDB), load the
    catalogue if absent, pick the LLM (None offline), open the Graphiti profile memory."""
    graph = make_graph_store(settings)
    await graph.connect()
    await load_catalogue(graph)
    memory = make_memory(settings)
    await memory.connect()
    return AgentContext(graph=graph, llm=make_language_model(settings), memory=memory, settings=settings,
                        embedder=load_router_embedder(),
                        intents=make_intent_classifier(settings, routing_descriptions()))


async def close_context(ctx: AgentContext) -> None:
    """Release what ``build_context`` opened (same as ``ctx.close()``)."""
    await ctx.close()
