"""Load the catalogue into the graph: idempotent (MERGE on ids), skipped when already current.

``load_catalogue(graph)`` is safe to call at every worker start: a ``CatalogueMeta`` node
records the loaded version, and every write is a MERGE, so a second load changes nothing.
"""

from __future__ import annotations

from agents.catalogue import data
from agents.providers.graph import GraphStore

LABELS = ("City", "Restaurant", "Dish", "Ingredient", "Stay")

_CITIES = """
UNWIND $rows AS row
MERGE (c:City {name: row.name})
SET c.country = row.country, c.currency = row.currency, c.symbol = row.symbol,
    c.language = row.language, c.greeting = row.greeting
"""
_INGREDIENTS = """
UNWIND $rows AS row
MERGE (i:Ingredient {name: row.name})
SET i.allergen = row.allergen, i.kind = row.kind
"""
_RESTAURANTS = """
UNWIND $rows AS row
MATCH (c:City {name: row.city})
MERGE (r:Restaurant {id: row.id})
SET r.name = row.name, r.neighbourhood = row.neighbourhood, r.cuisine = row.cuisine,
    r.rating = row.rating, r.max_group = row.max_group
MERGE (r)-[:IN]->(c)
"""
_DISHES = """
UNWIND $rows AS row
MATCH (r:Restaurant {id: row.restaurant_id})
MERGE (d:Dish {id: row.id})
SET d.name = row.name, d.spice = row.spice, d.price = row.price,
    d.ingredients = row.ingredients, d.allergens = row.allergens, d.diets = row.diets
MERGE (d)-[:SERVED_AT]->(r)
WITH d, row
UNWIND row.ingredients AS ing
MATCH (i:Ingredient {name: ing})
MERGE (d)-[:CONTAINS]->(i)
"""
_STAYS = """
UNWIND $rows AS row
MATCH (c:City {name: row.city})
MERGE (s:Stay {id: row.id})
SET s.name = row.name, s.neighbourhood = row.neighbourhood, s.price = row.price,
    s.tags = row.tags, s.why = row.why
MERGE (s)-[:IN]->(c)
"""


def city_rows() -> list[dict]:
    keys = ("country", "currency", "symbol", "language", "greeting")
    return [{"name": name, **dict(zip(keys, facts))} for name, facts in data.CITIES.items()]


def ingredient_rows() -> list[dict]:
    return [{"name": n, "allergen": a, "kind": k} for n, (a, k) in data.INGREDIENTS.items()]


def restaurant_rows() -> list[dict]:
    keys = ("id", "name", "city", "neighbourhood", "cuisine", "rating", "max_group")
    return [{k: r[k] for k in keys} for r in data.RESTAURANTS]


def dish_rows() -> list[dict]:
    rows = []
    for r in data.RESTAURANTS:
        for dish_id, name, spice, price, ingredients, halal in r["dishes"]:
            allergens, diets = data.derive(ingredients, halal)
            rows.append({"id": dish_id, "restaurant_id": r["id"], "name": name, "spice": spice,
                         "price": float(price), "ingredients": ingredients,
                         "allergens": allergens, "diets": diets})
    return rows


def stay_rows() -> list[dict]:
    keys = ("id", "city", "neighbourhood", "name", "price", "tags", "why")
    return [dict(zip(keys, s)) | {"price": float(s[4])} for s in data.STAYS]


async def is_loaded(graph: GraphStore) -> bool:
    """True when the graph already holds this catalogue version."""
    rows = await graph.query("MATCH (m:CatalogueMeta {version: $v}) RETURN count(m) AS n",
                             {"v": data.CATALOGUE_VERSION})
    return bool(rows and rows[0]["n"])


async def load_catalogue(graph: GraphStore, force: bool = False) -> dict[str, int]:
    """Write the catalogue unless already loaded (or ``force``); return node counts per label."""
    if force or not await is_loaded(graph):
        await graph.ensure_indexes()
        for cypher, rows in ((_CITIES, city_rows()), (_INGREDIENTS, ingredient_rows()),
                             (_RESTAURANTS, restaurant_rows()), (_DISHES, dish_rows()),
                             (_STAYS, stay_rows())):
            await graph.query(cypher, {"rows": rows})
        await graph.query("MERGE (m:CatalogueMeta {version: $v})", {"v": data.CATALOGUE_VERSION})
    return await graph.count_labels(LABELS)
