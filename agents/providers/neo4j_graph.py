"""``GraphStore`` over Neo4j (the production shape's graph), with the async ``neo4j`` driver.

``build_context`` picks it when ``settings.neo4j_uri`` is set.  All domain operations are the
shared Cypher in ``GraphStore``; this class supplies connect/close/query, the schema from the
shared index list (``graph.KEYS`` as uniqueness constraints: Neo4j runs MERGEs concurrently),
explain/drop for tests, and smooths the two dialect differences that the shared Cypher meets:

* FalkorDB's ``distance(a, b)`` is ``point.distance(a, b)`` in Neo4j 5 (rewritten here);
* values come back as plain Python: nodes/relationships as property dicts, points as
  ``{"latitude", "longitude"}`` (FalkorDB's shape), temporal values as ``datetime``/``date``.

Profile memory (Graphiti) shares the database; its nodes carry the ``Entity`` label and a
``group_id`` and never use the catalogue's labels (``agents.memory``).
"""

from __future__ import annotations

import re

from agents.providers.graph import KEYS, LOOKUPS, POINTS, GraphStore

_DISTANCE = re.compile(r"(?<![\w.])distance\s*\(", re.IGNORECASE)
INDEX_WAIT_S = 120


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
        # UNRECOGNIZED: "property key does not exist" and the like, warned at every query that
        # reads a property no node has yet (e.g. before the first user): normal here, not news.
        self._driver = AsyncGraphDatabase.driver(s.neo4j_uri, auth=auth,
                                                 notifications_disabled_classifications=["UNRECOGNIZED"])
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

    async def explain(self, cypher: str, params: dict | None = None) -> str:
        """The plan's operators, one per line, root first (with their details)."""
        result = await self._driver.execute_query("EXPLAIN " + neo4j_dialect(cypher),
                                                  parameters_=params or {}, database_=self._database)
        lines: list[str] = []

        def walk(op: dict, depth: int) -> None:
            details = op.get("args", {}).get("Details", "")
            operator = op.get("operatorType", "?").split("@")[0]  # "Filter@neo4j": the database
            lines.append(f"{'  ' * depth}{operator} {details}".rstrip())
            for child in op.get("children", []):
                walk(child, depth + 1)

        walk(result.summary.plan or {}, 0)
        return "\n".join(lines)

    async def ensure_indexes(self) -> None:
        """Unique keys as constraints, the rest as range/point indexes; waits until online."""
        for label, prop in KEYS:
            # Older versions made a plain index on the key, which a constraint cannot share.
            await self.query(f"DROP INDEX {label.lower()}_{prop} IF EXISTS")
            await self.query(f"CREATE CONSTRAINT {label.lower()}_{prop}_key IF NOT EXISTS "
                             f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE")
        for label, prop in LOOKUPS:
            await self.query(f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS "
                             f"FOR (n:{label}) ON (n.{prop})")
        for label, prop in POINTS:
            await self.query(f"CREATE POINT INDEX {label.lower()}_{prop} IF NOT EXISTS "
                             f"FOR (n:{label}) ON (n.{prop})")
        # Indexes populate in the background; the first queries should already use them.
        await self.query(f"CALL db.awaitIndexes({INDEX_WAIT_S})")

    async def drop(self) -> None:
        """Delete every node and relationship, then every index and constraint (tests): what
        dropping the graph does on FalkorDB.  Neo4j's built-in token lookup indexes stay."""
        async with self._driver.session(database=self._database) as session:
            # In batches, in auto-commit transactions, edges first: one transaction (or one
            # DETACH DELETE of a node with 100k edges) would hold it all in memory.
            for cypher in ("MATCH ()-[e]->() CALL (e) { DELETE e } IN TRANSACTIONS OF 10000 ROWS",
                           "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS"):
                await (await session.run(cypher)).consume()
        for row in await self.query("SHOW CONSTRAINTS YIELD name RETURN name"):
            await self.query(f"DROP CONSTRAINT `{row['name']}` IF EXISTS")
        for row in await self.query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            await self.query(f"DROP INDEX `{row['name']}` IF EXISTS")
