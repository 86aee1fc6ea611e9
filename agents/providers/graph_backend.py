"""Pick the graph store the settings name: Neo4j when ``settings.neo4j_uri`` is set, else FalkorDB.

Its own module so that neither backend imports the other (both build on ``graph.GraphStore``).
"""

from __future__ import annotations

from agents.providers.graph import FalkorGraphStore, GraphStore


def make_graph_store(settings) -> GraphStore:
    """The configured store, not yet connected."""
    if settings.neo4j_uri:
        from agents.providers.neo4j_graph import Neo4jGraphStore  # the neo4j driver only when used

        return Neo4jGraphStore(settings)
    return FalkorGraphStore(settings)
