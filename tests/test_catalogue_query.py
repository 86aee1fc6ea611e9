"""The catalogue in a real graph, FalkorDB and Neo4j: load, indexes, and the "near here" query
checked against Python."""

import math

import pytest

from agents.catalogue import blocks, build_dataset, loader
from agents.providers.graph import DishQuery
from agents.providers.graph_backend import make_graph_store

CAT = build_dataset.read()
ROWS = {d["id"]: d for d in loader.dish_rows(CAT)}
REST = {r["id"]: r for r in CAT["restaurants"]}


def metres(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


# What each engine's plan calls a scan or seek of the point index on Restaurant.loc.
INDEX_OPERATOR = {"falkordb": "Index Scan", "neo4j": "NodeIndexSeekByRange"}


@pytest.fixture(scope="module")
def graph(graph_settings, loop):
    store = make_graph_store(graph_settings)
    loop.run_until_complete(store.connect())
    loop.run_until_complete(loader.load_catalogue(store, force=True))
    yield store, loop.run_until_complete
    loop.run_until_complete(store.close())


def test_load_counts_and_version(graph):
    store, run = graph
    counts = run(store.count_labels(loader.LABELS))
    assert counts["Restaurant"] == len(CAT["restaurants"]) and counts["Dish"] == len(ROWS)
    assert counts["Stay"] == len(CAT["stays"]) and counts["City"] == 5
    assert run(loader.is_loaded(store))


def test_location_index_is_used(graph, graph_backend):
    store, run = graph
    plan = run(store.explain(
        "MATCH (r:Restaurant) WHERE distance(r.loc, point({latitude: 51.5, longitude: -0.1})) <= 1000 RETURN r"))
    assert INDEX_OPERATOR[graph_backend] in plan, plan


def test_restaurant_facts_are_in_the_graph(graph):
    store, run = graph
    rows = run(store.query("MATCH (r:Restaurant {id: 'r-mum-1'}) RETURN properties(r) AS r"))
    r = rows[0]["r"]
    assert r["cuisine"] == "Mughlai" and r["halal_certified"] and r["price_band"] in (1, 2, 3, 4)
    assert isinstance(r["prayer_space_nearby"], bool) and abs(r["lat"] - 18.907) < 0.02


@pytest.mark.parametrize("allergies,diets", [((), ()), (("peanut",), ()), (("gluten", "dairy"), ("vegetarian",)),
                                             ((), ("halal",)), (("shellfish",), ("gluten_free",)),
                                             (("sesame", "mustard"), ("vegan",)), ((), ("kosher",))])
def test_near_query_matches_python_filtering(graph, allergies, diets):
    """Every dish within the radius that passes the filters, and no other (up to rounding at the edge)."""
    store, run = graph
    radius = 1200.0
    for city, hoods in blocks.NEIGHBOURHOODS.items():
        for hood in hoods[:3]:
            q = DishQuery(city, allergies, diets, near=(hood[1], hood[2]), radius_m=radius, limit=100_000)
            got = run(store.find_dishes(q))
            ids = {d["id"] for d in got}
            want = set()
            for i, d in ROWS.items():
                r = REST[d["restaurant_id"]]
                if r["city"] == city and not set(allergies) & set(d["allergens"]) and set(diets) <= set(d["diets"]):
                    if metres(hood[1], hood[2], r["lat"], r["lon"]) <= radius:
                        want.add(i)
            for i in ids ^ want:   # only restaurants within a few metres of the edge may differ
                r = REST[ROWS[i]["restaurant_id"]]
                assert abs(metres(hood[1], hood[2], r["lat"], r["lon"]) - radius) < 20, (city, hood[0], i)
            assert not any(set(allergies) & set(d["allergens"]) for d in got)
            dist = [d["distance_m"] for d in got]
            assert dist == sorted(dist) and all(x <= radius + 1 for x in dist)


def test_near_query_without_city_and_with_limit(graph):
    store, run = graph
    soho = next(n for n in blocks.NEIGHBOURHOODS["London"] if n[0] == "Soho")
    got = run(store.find_dishes(DishQuery("", ("peanut",), near=(soho[1], soho[2]), radius_m=800, limit=5)))
    assert len(got) == 5 and all(d["city"] == "London" for d in got)


def test_city_query_keeps_its_contract(graph):
    store, run = graph
    got = run(store.find_dishes(DishQuery("Mumbai", ("peanut", "dairy"), ("vegan",), limit=500)))
    assert got and all(d["city"] == "Mumbai" and "vegan" in d["diets"] for d in got)
    assert not any({"peanut", "dairy"} & set(d["allergens"]) for d in got)
    assert {"id", "name", "price", "spice", "allergens", "diets", "ingredients", "restaurant_id", "restaurant",
            "neighbourhood", "rating", "city"} <= set(got[0])


def test_reload_is_idempotent_and_prunes_old_versions(graph):
    store, run = graph
    run(store.query("CREATE (:Dish {id: 'stale-dish', v: 'old'})"))
    first = run(loader.load_catalogue(store, force=True))
    second = run(loader.load_catalogue(store, force=True))
    assert first == second
    assert run(store.query("MATCH (d:Dish {id: 'stale-dish'}) RETURN count(d) AS n"))[0]["n"] == 0
