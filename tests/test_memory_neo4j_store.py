"""Neo4jGraphStore: dialect and value mapping offline; catalogue, profiles and the schema on the
local Neo4j (``neo4j_settings``, tests/graph_backends.py)."""

import asyncio
import socket

import pytest

from agents.providers.graph import KEYS, LOOKUPS, POINTS
from agents.providers.neo4j_graph import Neo4jGraphStore, neo4j_dialect, to_python
from core.settings import Settings


def test_dialect_rewrites_distance_only():
    q = "WHERE distance(r.loc, point({latitude: $lat})) <= $r RETURN point.distance(a, b), my_distance(x)"
    out = neo4j_dialect(q)
    assert out.count("point.distance(") == 2 and "my_distance(x)" in out
    assert "point.point.distance" not in out


def test_values_as_plain_python():
    from neo4j.spatial import WGS84Point
    from neo4j.time import DateTime

    got = to_python({"loc": WGS84Point((-9.14, 38.71)), "at": DateTime(2025, 3, 1, 12, 0, 0),
                     "tags": [1, "a"]})
    assert got["loc"] == {"latitude": 38.71, "longitude": -9.14}
    assert got["at"].year == 2025 and got["tags"] == [1, "a"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_build_context_picks_neo4j_when_uri_set():
    """No Neo4j here: the selection shows as the Neo4j driver failing to connect."""
    from neo4j.exceptions import ServiceUnavailable

    from agents.wiring import build_context

    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{_closed_port()}", neo4j_password="x")
    with pytest.raises(ServiceUnavailable):
        asyncio.run(build_context(settings))


def test_catalogue_and_profiles_on_neo4j(neo4j_settings):
    from agents.wiring import build_context, close_context
    from agents.catalogue.loader import LABELS

    async def scenario():
        ctx = await build_context(neo4j_settings)
        try:
            assert isinstance(ctx.graph, Neo4jGraphStore)
            counts = await ctx.graph.count_labels(LABELS)
            assert all(counts[label] > 0 for label in LABELS if label != "User")
            city = (await ctx.graph.query("MATCH (c:City) RETURN c.name AS name LIMIT 1"))[0]["name"]
            assert (await ctx.graph.get_city(city))["name"] == city
            profile = await ctx.graph.upsert_user("neo-1", {"name": "Ana", "allergies": ["peanut"]})
            assert profile["allergies"] == ["peanut"] and profile["diets"] == []
            await ctx.memory.remember("neo-1", "allergy", "peanut", attrs={"severity": "severe"})
            assert (await ctx.memory.current("neo-1"))["allergies"] == ["peanut"]
            # Graphiti's nodes never answer the catalogue's label queries
            assert await ctx.graph.get_user("neo-1") == profile
        finally:
            await close_context(ctx)

    asyncio.run(scenario())


def test_schema_is_the_shared_index_list_and_drop_clears_it(neo4j_settings):
    async def scenario():
        store = Neo4jGraphStore(neo4j_settings)
        await store.connect()
        try:
            await store.ensure_indexes()
            await store.ensure_indexes()  # idempotent
            keys = {(r["labels"][0], r["properties"][0]) for r in await store.query(
                "SHOW CONSTRAINTS YIELD type, labelsOrTypes AS labels, properties "
                "WHERE type = 'UNIQUENESS' RETURN labels, properties")}
            indexes = {(r["type"], r["labels"][0], r["properties"][0]) for r in await store.query(
                "SHOW INDEXES YIELD type, labelsOrTypes AS labels, properties, owningConstraint "
                "WHERE owningConstraint IS NULL AND type <> 'LOOKUP' RETURN type, labels, properties")}
            await store.drop()
            left = await store.query("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*) AS n")
            return keys, indexes, left[0]["n"]
        finally:
            await store.close()

    keys, indexes, left = asyncio.run(scenario())
    assert keys == set(KEYS)
    assert indexes >= {("RANGE", *k) for k in LOOKUPS} | {("POINT", *k) for k in POINTS}
    assert left == 0
