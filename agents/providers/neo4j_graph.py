"""``GraphStore`` over Neo4j (the production shape's graph), with the async ``neo4j`` driver.

``build_context`` picks it when ``settings.neo4j_uri`` is set.  All domain operations are the
shared Cypher in ``GraphStore``; this class supplies connect/close/query/ensure_indexes, and
smooths the two dialect differences that the shared Cypher meets:

* FalkorDB's ``distance(a, b)`` is ``point.distance(a, b)`` in Neo4j 5 (rewritten here);
* values come back as plain Python: nodes/relationships as property dicts, points as
  ``{"latitude", "longitude"}`` (FalkorDB's shape), temporal values as ``datetime``/``date``.

Profile memory (Graphiti) shares the database; its nodes carry the ``Entity`` label and a
``group_id`` and never use the catalogue's labels (``agents.memory``).
"""

from __future__ import annotations

import re

from agents.providers.graph import GraphStore

_DISTANCE = re.compile(r"(?<![\w.])distance\s*\(", re.IGNORECASE)

RANGE_INDEXES = (("User", "id"), ("City", "name"), ("Restaurant", "id"), ("Restaurant", "city"),
                 ("Dish", "id"), ("Ingredient", "name"), ("Stay", "id"), ("CatalogueMeta", "version"))
POINT_INDEXES = (("Restaurant", "loc"), ("Stay", "loc"))


def neo4j_dialect(cypher: str) -> str:
    """Rewrite the FalkorDB spellings the shared Cypher uses into Neo4j 5's."""
    return _DISTANCE.sub("point.distance(", cypher)


def to_python(value):
    """Neo4j result values as the plain shapes FalkorGraphStore returns."""
    from neo4j.graph import Node, Relationship
    from neo4j.spatial import Point

    if isinstance(value, (Node, Relationship)):
        return {k: to_python(v) for k, v in value.items()}
    if isinstance(value, Point):
        if hasattr(value, "latitude"):
            return {"latitude": value.latitude, "longitude": value.longitude}
        return list(value)
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if hasattr(value, "to_native"):  # neo4j.time DateTime / Date / Time / Duration
        return value.to_native()
    return value


class Neo4jGraphStore(GraphStore):
    """GraphStore over Neo4j (``settings.neo4j_uri``, ``neo4j_user``, ``neo4j_password``)."""

    def __init__(self, settings, database: str | None = None):
        self._settings = settings
        self._database = database or settings.neo4j_database or None
        self._driver = None

    async def connect(self) -> None:
        from neo4j import AsyncGraphDatabase

        if self._driver is not None:
            return
        s = self._settings
        auth = (s.neo4j_user, s.neo4j_password) if s.neo4j_password else None
        self._driver = AsyncGraphDatabase.driver(s.neo4j_uri, auth=auth)
        await self._driver.verify_connectivity()

    async def close(self) -> None:
        if self._driver is not None:
            await self._driver.close()
        self._driver = None

    async def query(self, cypher: str, params: dict | None = None) -> list[dict]:
        result = await self._driver.execute_query(neo4j_dialect(cypher), parameters_=params or {},
                                                  database_=self._database)
        return [{k: to_python(v) for k, v in zip(record.keys(), record.values())}
                for record in result.records]

    async def ensure_indexes(self) -> None:
        for label, prop in RANGE_INDEXES:
            await self.query(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS "
                             f"FOR (n:{label}) ON (n.{prop})")
        for label, prop in POINT_INDEXES:
            await self.query(f"CREATE POINT INDEX {label.lower()}_{prop} IF NOT EXISTS "
                             f"FOR (n:{label}) ON (n.{prop})")

    async def drop(self) -> None:
        """Delete every node and relationship (tests)."""
        await self.query("MATCH (n) DETACH DELETE n")
