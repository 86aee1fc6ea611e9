"""Graph store for the agents: user profiles, the food/travel catalogue, orders.

``GraphStore`` holds every domain operation as plain Cypher over one abstract primitive,
``query(cypher, params) -> list[dict]``; a backend only supplies connect/close/query.
``FalkorGraphStore`` is the local backend (FalkorDB via ``falkordb.asyncio``);
``neo4j_graph.Neo4jGraphStore`` runs the same Cypher (graph_cypher.py), which sticks to what
both engines accept.

Node labels: User, City, Restaurant, Dish, Ingredient, Stay, CatalogueMeta.
Restaurants and stays carry ``loc`` (a point, range-indexed) for "near here" queries.
Edges: (Restaurant)-[:IN]->(City), (Dish)-[:SERVED_AT]->(Restaurant),
(Dish)-[:CONTAINS]->(Ingredient), (Stay)-[:IN]->(City), (User)-[:ORDERED]->(Dish).
People: (User)-[:FRIEND]->(User) (one way: whom a user may plan with and share to),
(User)-[:RECOMMENDED {session_id, at, rank}]->(Dish|Restaurant|Stay) (what each reply named),
(User)-[:SENT]->(Share {id, at, seen})-[:TO]->(User), (Share)-[:OF]->(Dish|Restaurant).
Outside dishes (``OutsideDish``, offered by external MCP servers: agents/providers/mcp_offers.py)
are recommended and shared as dishes too.
"""

from __future__ import annotations

import abc
import time
import unicodedata
from dataclasses import dataclass, field

from agents.providers import graph_cypher as cypher
from agents.providers.mcp_offers import is_outside
from agents.safety import expand_allergies

GRAPH_NAME = "aurasense"
PROFILE_LISTS = ("allergies", "diets", "allergy_severity")
# What a reply names and a friend can be sent: node label -> the item's kind.  An outside dish is a
# "dish" like a catalogue one, told apart by its id (``mcp:<server>:...``).
SHAREABLE = {"Dish": "dish", "OutsideDish": "dish", "Restaurant": "restaurant", "Stay": "stay"}

# The indexes, for both backends (label, property).  KEYS are what MERGE matches on: unique on
# Neo4j (a constraint, so two workers loading at once cannot both create a node; FalkorDB runs
# writes one at a time, so a range index does there).  POINTS hold ``point()`` values.
KEYS = (("User", "id"), ("City", "name"), ("Restaurant", "id"), ("Dish", "id"), ("Ingredient", "name"),
        ("Stay", "id"), ("Share", "id"), ("CatalogueMeta", "version"), ("OutsideDish", "id"), ("Booking", "id"))
LOOKUPS = (("Restaurant", "city"),)
POINTS = (("Restaurant", "loc"), ("Stay", "loc"))


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
    name_words: tuple[str, ...] = ()  # lower-case words: only dishes whose name or cuisine has one


def name_key(name: str) -> str:
    """How a spoken name is compared: lower case, accents off ("Tundé" ~ "tunde")."""
    text = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


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
        """Create the lookup indexes (``KEYS``, ``LOOKUPS``, ``POINTS``); default: none."""

    async def explain(self, cypher: str, params: dict | None = None) -> str:
        """The engine's plan for ``cypher`` as text (tests check that an index is used)."""
        raise NotImplementedError

    # --- users --------------------------------------------------------------
    async def get_user(self, user_id: str) -> dict | None:
        """The user's profile (id, name, home_city, diets, allergies, onboarded...) or None."""
        rows = await self.query("MATCH (u:User {id: $id}) RETURN properties(u) AS u", {"id": user_id})
        return _profile(rows[0]["u"]) if rows else None

    async def upsert_user(self, user_id: str, changes: dict) -> dict:
        """Create or update a profile with ``changes`` (None removes a field); returns the profile."""
        if changes.get("name"):  # friends find each other by a spoken name
            key = name_key(changes["name"])
            changes = {**changes, "name_key": key, "name_first": key.split(" ")[0]}
        cypher = "MERGE (u:User {id: $id}) SET u += $changes RETURN properties(u) AS u"
        rows = await self.query(cypher, {"id": user_id, "changes": changes})
        return _profile(rows[0]["u"])

    # --- people -------------------------------------------------------------
    async def users_named(self, name: str, me: str = "", city: str = "") -> list[dict]:
        """Profiles of other users called ``name`` (full name or first name), optionally in ``city``."""
        key = name_key(name)
        rows = await self.query(cypher.USERS_NAMED, {"name": key, "me": me, "city": city})
        exact = [r for r in rows if name_key(r["u"].get("name", "")) == key]
        return [_profile(r["u"]) for r in (exact or rows)]

    async def add_friend(self, user_id: str, friend_id: str) -> bool:
        """``user_id`` may now plan with and share to ``friend_id`` (idempotent)."""
        rows = await self.query("MATCH (a:User {id: $a}), (b:User {id: $b}) MERGE (a)-[f:FRIEND]->(b) "
                                "ON CREATE SET f.at = $at RETURN count(f) AS n",
                                {"a": user_id, "b": friend_id, "at": time.time()})
        return bool(rows and rows[0]["n"])

    async def remove_friend(self, user_id: str, friend_id: str) -> None:
        await self.query("MATCH (:User {id: $a})-[f:FRIEND]->(:User {id: $b}) DELETE f",
                         {"a": user_id, "b": friend_id})

    async def friends_of(self, user_id: str) -> list[dict]:
        """The profiles of the user's friends, by name."""
        rows = await self.query("MATCH (:User {id: $id})-[:FRIEND]->(f:User) RETURN properties(f) AS u "
                                "ORDER BY f.name", {"id": user_id})
        return [_profile(r["u"]) for r in rows]

    async def record_recommended(self, user_id: str, session_id: str, items) -> None:
        """Remember what one reply named (``items``: dicts with ``kind`` and ``id``), in order."""
        for label, picked in _by_label(items).items():
            await self.query(cypher.RECORD_RECOMMENDED % label, {
                "user_id": user_id, "session_id": session_id, "at": time.time(),
                "ids": [i for _, i in picked], "ranks": [r for r, _ in picked]})

    async def last_recommended(self, user_id: str, session_id: str = "") -> list[dict]:
        """What the user's latest earlier reply named: ``{"kind", "id", "name", "city"}`` in reply order."""
        rows = await self.query(cypher.LAST_RECOMMENDED, {"id": user_id, "session_id": session_id})
        return [{"kind": _kind(r["labels"]), "id": r["id"], "name": r["name"], "city": r["city"]} for r in rows]

    async def share(self, share_id: str, from_id: str, to_id: str, items) -> None:
        """Record that ``from_id`` shared ``items`` (dicts with ``kind``, ``id``) with ``to_id``."""
        await self.query(cypher.SHARE, {"share_id": share_id, "from_id": from_id, "to_id": to_id, "at": time.time()})
        for label, picked in _by_label(items).items():
            await self.query(cypher.SHARE_OF % label, {"share_id": share_id, "ids": [i for _, i in picked]})

    async def shared_with(self, user_id: str, unseen_only: bool = False, limit: int = 20) -> list[dict]:
        """What friends shared with the user, newest first: one row per shared item."""
        rows = await self.query(cypher.SHARED_WITH, {"id": user_id, "unseen_only": unseen_only, "limit": limit})
        return [{k: v for k, v in r.items() if k != "labels"} | {"kind": _kind(r["labels"])} for r in rows]

    async def mark_shares_seen(self, share_ids) -> None:
        await self.query("MATCH (s:Share) WHERE s.id IN $ids SET s.seen = true", {"ids": list(share_ids)})

    async def record_order(self, user_id: str, dish_id: str, session_id: str) -> bool:
        """Record that the user ordered a dish; idempotent per session. False if unknown ids."""
        params = {"user_id": user_id, "dish_id": dish_id, "session_id": session_id, "at": time.time()}
        rows = await self.query(cypher.RECORD_ORDER, params)
        return bool(rows and rows[0]["n"])

    # --- catalogue ------------------------------------------------------------
    async def get_city(self, name: str) -> dict | None:
        """City facts: name, country, currency, symbol, language, greeting."""
        rows = await self.query("MATCH (c:City {name: $name}) RETURN properties(c) AS c", {"name": name})
        return dict(rows[0]["c"]) if rows else None

    async def find_dishes(self, q: DishQuery) -> list[dict]:
        """Dishes in ``q.city`` that pass every filter on their stored tags (a pre-filter: callers
        decide with ``agents.safety.allowed``); allergens are excluded inside the query.

        With ``q.near = (lat, lon)``: only restaurants within ``q.radius_m`` metres (``city``
        may then be ""), nearest first, each row with ``distance_m``.
        """
        params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in q.__dict__.items()}
        params["allergies"] = list(expand_allergies(q.allergies))  # "shellfish": crustaceans and molluscs
        if q.near is None:
            return await self.query(cypher.FIND_DISHES, params)
        params["lat"], params["lon"] = (float(x) for x in q.near)
        params["radius_m"] = float(q.radius_m)
        return await self.query(cypher.FIND_DISHES_NEAR, params)

    async def menu_names(self, city: str) -> list[dict]:
        """Every dish of ``city`` as ``{"id", "name", "restaurant", "cuisine", "neighbourhood", "spice",
        "price_band", "lat", "lon"}``, best-rated places first (to match a dish the speaker names)."""
        return await self.query(cypher.MENU_NAMES, {"city": city})

    async def neighbourhood_centres(self, city: str) -> dict[str, tuple[float, float]]:
        """Neighbourhood -> (lat, lon) of the middle of its restaurants, for ``city``."""
        rows = await self.query(cypher.NEIGHBOURHOOD_CENTRES, {"city": city})
        return {r["neighbourhood"]: (float(r["lat"]), float(r["lon"])) for r in rows if r["lat"] is not None}

    async def menu_words(self, city: str) -> list[dict]:
        """Each distinct ``{"name", "cuisine"}`` of ``city``'s dishes (what a request can ask for by name)."""
        return await self.query(cypher.MENU_WORDS, {"city": city})

    async def get_dishes(self, ids) -> list[dict]:
        """Full dish rows (as ``find_dishes`` returns them) for these ids, in the order given."""
        rows = {r["id"]: r for r in await self.query(cypher.DISHES_BY_ID, {"ids": list(ids)})}
        return [rows[i] for i in ids if i in rows]

    async def find_group_places(self, city: str, size: int) -> list[dict]:
        """Restaurants in ``city`` that seat at least ``size`` people, best rated first."""
        return await self.query(cypher.GROUP_PLACES, {"city": city, "size": size})

    async def find_stays(self, city: str) -> list[dict]:
        """Places to stay in ``city`` (neighbourhood, hotel, price per night, tags)."""
        return await self.query(cypher.STAYS, {"city": city})

    async def count_labels(self, labels: tuple[str, ...]) -> dict[str, int]:
        """Node count per label, plus ``edges`` for the total relationship count."""
        counts = {}
        for label in labels:
            rows = await self.query(f"MATCH (n:{label}) RETURN count(n) AS n")
            counts[label] = rows[0]["n"]
        rows = await self.query("MATCH ()-[e]->() RETURN count(e) AS n")
        counts["edges"] = rows[0]["n"]
        return counts


def _kind(labels) -> str:
    """"dish", "restaurant" or "stay" from a node's labels."""
    return next((SHAREABLE[lab] for lab in labels if lab in SHAREABLE), "thing")


def _by_label(items) -> dict[str, list[tuple[int, str]]]:
    """The items' (rank, id) by the label of their node; kinds that are not shareable left out."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for rank, item in enumerate(items):
        kind = item.get("kind")
        label = "OutsideDish" if kind == "dish" and is_outside(item) else next(
            (lab for lab, k in SHAREABLE.items() if k == kind), None)
        if label:
            grouped.setdefault(label, []).append((rank, item["id"]))
    return grouped


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

    async def explain(self, cypher: str, params: dict | None = None) -> str:
        return str(await self._graph.explain(cypher, params or {}))

    async def ensure_indexes(self) -> None:
        for label, prop in KEYS + LOOKUPS + POINTS:  # a range index serves points too
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

