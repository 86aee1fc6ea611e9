"""Graph store for the agents: user profiles, the food/travel catalogue, orders.

``GraphStore`` holds every domain operation as plain Cypher over one abstract primitive,
``query(cypher, params) -> list[dict]``; a backend only supplies connect/close/query.
``FalkorGraphStore`` is the local backend (FalkorDB via ``falkordb.asyncio``).  A Neo4j
backend is a TODO: the Cypher here sticks to what both engines accept.

Node labels: User, City, Restaurant, Dish, Ingredient, Stay, CatalogueMeta.
Restaurants and stays carry ``loc`` (a point, range-indexed) for "near here" queries.
Edges: (Restaurant)-[:IN]->(City), (Dish)-[:SERVED_AT]->(Restaurant),
(Dish)-[:CONTAINS]->(Ingredient), (Stay)-[:IN]->(City), (User)-[:ORDERED]->(Dish).
"""

from __future__ import annotations

import abc
import time
from dataclasses import dataclass, field

GRAPH_NAME = "aurasense"
PROFILE_LISTS = ("allergies", "diets")


@dataclass(frozen=True)
class DishQuery:
    """Filters for ``GraphStore.find_dishes``; allergies and diets are hard filters."""

    city: str
    allergies: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()
    min_spice: int = 0
    max_spice: int = 3
    max_price: float = 1e12
    restaurant_ids: tuple[str, ...] = field(default=())
    limit: int = 50
    near: tuple[float, float] | None = None   # (lat, lon): only restaurants within radius_m
    radius_m: float = 1500.0


_FIND_DISHES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)<-[:SERVED_AT]-(d:Dish)
WHERE none(a IN d.allergens WHERE a IN $allergies)
  AND all(x IN $diets WHERE x IN d.diets)
  AND d.spice >= $min_spice AND d.spice <= $max_spice AND d.price <= $max_price
  AND (size($restaurant_ids) = 0 OR r.id IN $restaurant_ids)
RETURN d.id AS id, d.name AS name, d.price AS price, d.spice AS spice,
       d.allergens AS allergens, d.diets AS diets, d.ingredients AS ingredients,
       r.id AS restaurant_id, r.name AS restaurant, r.neighbourhood AS neighbourhood,
       r.rating AS rating, c.name AS city, r.cuisine AS cuisine, d.price_band AS price_band
ORDER BY r.rating DESC, d.price ASC
LIMIT $limit
"""

# The hot query: the point index on Restaurant.loc finds the restaurants in the circle,
# then their dishes are filtered (allergens excluded inside the query), nearest first.
# ``WITH`` fixes the plan: without it FalkorDB starts from a label scan of every Dish
# whenever the dish filters are present (measured 60-170 ms at 3k restaurants vs ~1 ms).
# The dish lists are projected (d_allergens, d_diets) before the list predicates: FalkorDB
# 4.x evaluated ``all(x IN $diets WHERE x IN d.diets)`` wrongly on a node bound after a
# WITH (always false).  tests/test_catalogue_query.py checks every answer against Python.
_FIND_DISHES_NEAR = """
MATCH (r:Restaurant)
WHERE distance(r.loc, point({latitude: $lat, longitude: $lon})) <= $radius_m
  AND ($city = '' OR r.city = $city)
  AND (size($restaurant_ids) = 0 OR r.id IN $restaurant_ids)
WITH r, distance(r.loc, point({latitude: $lat, longitude: $lon})) AS dist
MATCH (r)<-[:SERVED_AT]-(d:Dish)
WITH r, dist, d, d.allergens AS d_allergens, d.diets AS d_diets
WHERE none(a IN d_allergens WHERE a IN $allergies)
  AND all(x IN $diets WHERE x IN d_diets)
  AND d.spice >= $min_spice AND d.spice <= $max_spice AND d.price <= $max_price
WITH r, d, dist, d_allergens, d_diets, r.rating AS rating, d.price AS price
ORDER BY dist ASC, rating DESC, price ASC
LIMIT $limit
RETURN d.id AS id, d.name AS name, price, d.spice AS spice,
       d_allergens AS allergens, d_diets AS diets, d.ingredients AS ingredients,
       r.id AS restaurant_id, r.name AS restaurant, r.neighbourhood AS neighbourhood,
       rating, r.city AS city, r.cuisine AS cuisine, d.price_band AS price_band,
       round(dist) AS distance_m
"""

_GROUP_PLACES = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)
WHERE r.max_group >= $size
RETURN r.id AS id, r.name AS name, r.neighbourhood AS neighbourhood, r.cuisine AS cuisine,
       r.rating AS rating, r.max_group AS max_group
ORDER BY r.rating DESC
"""

_STAYS = """
MATCH (c:City {name: $city})<-[:IN]-(s:Stay)
RETURN s.id AS id, s.name AS name, s.neighbourhood AS neighbourhood, s.price AS price,
       s.tags AS tags, s.why AS why
ORDER BY s.id
"""

_RECORD_ORDER = """
MATCH (u:User {id: $user_id}), (d:Dish {id: $dish_id})
MERGE (u)-[o:ORDERED {session_id: $session_id}]->(d)
ON CREATE SET o.at = $at
RETURN count(o) AS n
"""


class GraphStore(abc.ABC):
    """Driver-neutral graph operations the agents use; subclasses implement ``query``."""

    @abc.abstractmethod
    async def connect(self) -> None:
        """Open the connection (idempotent)."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close the connection."""

    @abc.abstractmethod
    async def query(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Run Cypher and return rows as dicts keyed by the RETURN aliases."""

    async def ensure_indexes(self) -> None:
        """Create the lookup indexes; default: none (backends override)."""

    # --- users --------------------------------------------------------------
    async def get_user(self, user_id: str) -> dict | None:
        """The user's profile (id, name, home_city, diets, allergies, onboarded...) or None."""
        rows = await self.query("MATCH (u:User {id: $id}) RETURN properties(u) AS u", {"id": user_id})
        return _profile(rows[0]["u"]) if rows else None

    async def upsert_user(self, user_id: str, changes: dict) -> dict:
        """Create or update a profile with ``changes`` (None removes a field); returns the profile."""
        cypher = "MERGE (u:User {id: $id}) SET u += $changes RETURN properties(u) AS u"
        rows = await self.query(cypher, {"id": user_id, "changes": changes})
        return _profile(rows[0]["u"])

    async def record_order(self, user_id: str, dish_id: str, session_id: str) -> bool:
        """Record that the user ordered a dish; idempotent per session. False if unknown ids."""
        params = {"user_id": user_id, "dish_id": dish_id, "session_id": session_id, "at": time.time()}
        rows = await self.query(_RECORD_ORDER, params)
        return bool(rows and rows[0]["n"])

    # --- catalogue ------------------------------------------------------------
    async def get_city(self, name: str) -> dict | None:
        """City facts: name, country, currency, symbol, language, greeting."""
        rows = await self.query("MATCH (c:City {name: $name}) RETURN properties(c) AS c", {"name": name})
        return dict(rows[0]["c"]) if rows else None

    async def find_dishes(self, q: DishQuery) -> list[dict]:
        """Dishes in ``q.city`` that pass every filter; allergens are excluded inside the query.

        With ``q.near = (lat, lon)``: only restaurants within ``q.radius_m`` metres (``city``
        may then be ""), nearest first, each row with ``distance_m``.
        """
        params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in q.__dict__.items()}
        if q.near is None:
            return await self.query(_FIND_DISHES, params)
        params["lat"], params["lon"] = (float(x) for x in q.near)
        params["radius_m"] = float(q.radius_m)
        return await self.query(_FIND_DISHES_NEAR, params)

    async def find_group_places(self, city: str, size: int) -> list[dict]:
        """Restaurants in ``city`` that seat at least ``size`` people, best rated first."""
        return await self.query(_GROUP_PLACES, {"city": city, "size": size})

    async def find_stays(self, city: str) -> list[dict]:
        """Places to stay in ``city`` (neighbourhood, hotel, price per night, tags)."""
        return await self.query(_STAYS, {"city": city})

    async def count_labels(self, labels: tuple[str, ...]) -> dict[str, int]:
        """Node count per label, plus ``edges`` for the total relationship count."""
        counts = {}
        for label in labels:
            rows = await self.query(f"MATCH (n:{label}) RETURN count(n) AS n")
            counts[label] = rows[0]["n"]
        rows = await self.query("MATCH ()-[e]->() RETURN count(e) AS n")
        counts["edges"] = rows[0]["n"]
        return counts


def _profile(props: dict) -> dict:
    """Normalise a stored User node into a profile dict with list fields always present."""
    profile = dict(props)
    for key in PROFILE_LISTS:
        profile[key] = list(profile.get(key) or [])
    profile.setdefault("onboarded", False)
    return profile


class FalkorGraphStore(GraphStore):
    """GraphStore over FalkorDB (unix socket if ``settings.falkordb_socket``, else host/port)."""

    def __init__(self, settings, graph_name: str = GRAPH_NAME):
        self._settings = settings
        self._graph_name = graph_name
        self._db = None
        self._graph = None

    async def connect(self) -> None:
        from falkordb.asyncio import FalkorDB

        if self._graph is not None:
            return
        s = self._settings
        if s.falkordb_socket:
            self._db = FalkorDB(unix_socket_path=s.falkordb_socket)
        else:
            self._db = FalkorDB(host=s.falkordb_host, port=s.falkordb_port)
        self._graph = self._db.select_graph(self._graph_name)

    async def close(self) -> None:
        if self._db is not None:
            await self._db.aclose()
        self._db = self._graph = None

    async def query(self, cypher: str, params: dict | None = None) -> list[dict]:
        result = await self._graph.query(cypher, params or {})
        names = [col[1] for col in result.header]
        return [dict(zip(names, row)) for row in result.result_set]

    async def ensure_indexes(self) -> None:
        for label, prop in (("User", "id"), ("City", "name"), ("Restaurant", "id"),
                            ("Restaurant", "loc"), ("Restaurant", "city"), ("Dish", "id"),
                            ("Ingredient", "name"), ("Stay", "id"), ("Stay", "loc")):
            try:
                await self._graph.create_node_range_index(label, prop)
            except Exception as err:  # already indexed is fine
                if "already indexed" not in str(err).lower():
                    raise

    async def drop(self) -> None:
        """Delete the whole graph (tests)."""
        try:
            await self._graph.delete()
        except Exception as err:  # an empty graph does not exist yet
            if "empty key" not in str(err).lower() and "invalid graph" not in str(err).lower():
                raise


async def build_context(settings):
    """Alias of ``agents.base.build_context`` (kept here for callers of the provider module)."""
    from agents.base import build_context as _build

    return await _build(settings)
