"""Load the catalogue into the graph: idempotent (MERGE on ids), skipped when already current.

``load_catalogue(graph)`` is safe to call at every worker start: a ``CatalogueMeta`` node
records the loaded version, and every write is a MERGE, so a second load changes nothing.
The records come from the collectors (bundled dataset, plus Google Places / Foursquare when
their keys are set); the enricher derives allergens, diets, spice and price bands on the way
in, and refuses the load if any ingredient is unknown.  Nodes written by an older version are
pruned at the end.
"""

from __future__ import annotations

import time

from agents.catalogue import collectors, data, enrich
from agents.providers.graph import GraphStore

LABELS = ("City", "Restaurant", "Dish", "Ingredient", "Stay")
BATCH = 1000

_CITIES = """
UNWIND $rows AS row
MERGE (c:City {name: row.name})
SET c.country = row.country, c.currency = row.currency, c.symbol = row.symbol,
    c.language = row.language, c.greeting = row.greeting, c.lat = row.lat, c.lon = row.lon,
    c.loc = point({latitude: row.lat, longitude: row.lon}), c.neighbourhoods = row.neighbourhoods
"""
_INGREDIENTS = """
UNWIND $rows AS row
MERGE (i:Ingredient {name: row.name})
SET i.allergens = row.allergens, i.kinds = row.kinds, i.heat = row.heat
"""
_RESTAURANTS = """
UNWIND $rows AS row
MATCH (c:City {name: row.city})
MERGE (r:Restaurant {id: row.id})
SET r.name = row.name, r.city = row.city, r.neighbourhood = row.neighbourhood, r.cuisine = row.cuisine,
    r.rating = row.rating, r.max_group = row.max_group, r.lat = row.lat, r.lon = row.lon,
    r.loc = point({latitude: row.lat, longitude: row.lon}), r.price_band = row.price_band,
    r.halal_certified = row.halal_certified, r.kosher_certified = row.kosher_certified,
    r.prayer_spaces = row.prayer_spaces, r.prayer_space_nearby = size(row.prayer_spaces) > 0,
    r.source = row.source, r.v = $v
MERGE (r)-[:IN]->(c)
"""
_DISHES = """
UNWIND $rows AS row
MATCH (r:Restaurant {id: row.restaurant_id})
MERGE (d:Dish {id: row.id})
SET d.name = row.name, d.spice = row.spice, d.price = row.price, d.price_band = row.price_band,
    d.ingredients = row.ingredients, d.allergens = row.allergens, d.diets = row.diets,
    d.cuisine = row.cuisine, d.v = $v
MERGE (d)-[:SERVED_AT]->(r)
"""
_CONTAINS = """
UNWIND $rows AS row
MATCH (d:Dish {id: row.id})
UNWIND row.ingredients AS ing
MATCH (i:Ingredient {name: ing})
MERGE (d)-[:CONTAINS]->(i)
"""
_STAYS = """
UNWIND $rows AS row
MATCH (c:City {name: row.city})
MERGE (s:Stay {id: row.id})
SET s.name = row.name, s.neighbourhood = row.neighbourhood, s.price = row.price,
    s.tags = row.tags, s.why = row.why, s.lat = row.lat, s.lon = row.lon,
    s.loc = point({latitude: row.lat, longitude: row.lon}), s.category = row.category,
    s.rating = row.rating, s.prayer_spaces = row.prayer_spaces,
    s.prayer_space_nearby = size(row.prayer_spaces) > 0, s.v = $v
MERGE (s)-[:IN]->(c)
"""
_PRUNE = "MATCH (n:{label}) WHERE n.v IS NULL OR n.v <> $v DETACH DELETE n"


def city_rows(catalogue: dict) -> list[dict]:
    return [dict(c) for c in catalogue["cities"]]


def ingredient_rows() -> list[dict]:
    """Every ingredient with all its allergen tags and kinds (never one tag per ingredient)."""
    return [{"name": n, "allergens": sorted(tags), "kinds": sorted(kinds), "heat": heat}
            for n, (tags, kinds, heat) in enrich.INGREDIENTS.items()]


def restaurant_rows(catalogue: dict) -> list[dict]:
    keys = ("id", "name", "city", "neighbourhood", "cuisine", "rating", "max_group", "lat", "lon",
            "halal_certified", "kosher_certified", "prayer_spaces", "source")
    return [{k: r.get(k) for k in keys} | {"prayer_spaces": list(r.get("prayer_spaces") or []),
                                            "price_band": enrich.restaurant_band([d["price"] for d in r["dishes"]], r["city"])}
            for r in catalogue["restaurants"]]


def dish_rows(catalogue: dict) -> list[dict]:
    """Every dish, enriched (raises ``enrich.UnknownIngredient`` for an unknown ingredient)."""
    rows = []
    for r in catalogue["restaurants"]:
        for d in r["dishes"]:
            halal = d.get("halal", r.get("halal_certified", False))
            e = enrich.enrich_dish(d, r["city"], halal, r.get("kosher_certified", False))
            rows.append({"id": e["id"], "restaurant_id": r["id"], "name": e["name"], "spice": e["spice"],
                         "price": float(e["price"]), "price_band": e["price_band"],
                         "ingredients": list(e["ingredients"]), "allergens": e["allergens"],
                         "diets": e["diets"], "cuisine": r["cuisine"]})
    return rows


def stay_rows(catalogue: dict) -> list[dict]:
    keys = ("id", "city", "neighbourhood", "name", "tags", "why", "lat", "lon", "category", "rating")
    return [{k: s.get(k) for k in keys} | {"price": float(s["price"]), "prayer_spaces": list(s.get("prayer_spaces") or [])}
            for s in catalogue["stays"]]


def version_of(catalogue: dict | None) -> str:
    if catalogue is None:
        return data.CATALOGUE_VERSION
    return f"{enrich.RULES_VERSION}-{catalogue.get('meta', {}).get('digest', 'custom')}"


async def is_loaded(graph: GraphStore, version: str | None = None) -> bool:
    """True when the graph already holds this catalogue version."""
    rows = await graph.query("MATCH (m:CatalogueMeta {version: $v}) RETURN count(m) AS n",
                             {"v": version or data.CATALOGUE_VERSION})
    return bool(rows and rows[0]["n"])


async def _write(graph: GraphStore, cypher: str, rows: list[dict], version: str) -> None:
    for i in range(0, len(rows), BATCH):
        await graph.query(cypher, {"rows": rows[i:i + BATCH], "v": version})


async def load_catalogue(graph: GraphStore, force: bool = False, catalogue: dict | None = None,
                         timings: dict | None = None) -> dict[str, int]:
    """Write the catalogue unless already loaded (or ``force``); return node counts per label.

    ``catalogue`` defaults to ``collectors.collect()`` (bundled + configured APIs); pass one
    (e.g. ``build_dataset.generate(per_city=2000)``) to load something else.  ``timings``, if
    given, receives seconds per step.
    """
    version = version_of(catalogue)
    if force or not await is_loaded(graph, version):
        t0 = time.perf_counter()
        if catalogue is None:
            catalogue = await collectors.collect()
        dishes = dish_rows(catalogue)  # enrich first: an unknown ingredient stops the load here
        await graph.ensure_indexes()
        steps = (("cities", _CITIES, city_rows(catalogue)), ("ingredients", _INGREDIENTS, ingredient_rows()),
                 ("restaurants", _RESTAURANTS, restaurant_rows(catalogue)), ("dishes", _DISHES, dishes),
                 ("contains", _CONTAINS, dishes), ("stays", _STAYS, stay_rows(catalogue)))
        for name, cypher, rows in steps:
            t = time.perf_counter()
            await _write(graph, cypher, rows, version)
            if timings is not None:
                timings[name] = time.perf_counter() - t
        for label in ("Restaurant", "Dish", "Stay"):
            await graph.query(_PRUNE.format(label=label), {"v": version})
        await graph.query("MATCH (m:CatalogueMeta) WHERE m.version <> $v DELETE m", {"v": version})
        await graph.query("MERGE (m:CatalogueMeta {version: $v})", {"v": version})
        if timings is not None:
            timings["total"] = time.perf_counter() - t0
    return await graph.count_labels(LABELS)
