"""The bundled catalogue and its enricher (pure: no graph, no network)."""

import math

import pytest

from agents.catalogue import blocks, build_dataset, data, enrich, loader

CAT = build_dataset.read()
DISHES = [(r, d) for r in CAT["restaurants"] for d in r["dishes"]]


def test_committed_file_is_what_the_generator_builds():
    fresh = build_dataset.to_lines(build_dataset.generate())
    assert CAT["meta"]["digest"] == build_dataset.json.loads(fresh[0])["digest"]


def test_generator_is_deterministic_and_scales():
    a, b = build_dataset.generate(per_city=60), build_dataset.generate(per_city=60)
    assert a == b
    assert len(a["restaurants"]) == 5 * 60 + 10 + sum(row[-1] for row in blocks.MORE_RESTAURANTS)


def test_restaurants_added_later_left_the_first_generation_as_it_was():
    first = [r for r in build_dataset.generate()["restaurants"] if int(r["id"].rsplit("-", 1)[1]) < 201]
    for city in data.CITIES:
        ours = [r for r in first if r["city"] == city and r["source"] == "generated"]
        assert ours == build_dataset.generate_restaurants(city, build_dataset.PER_CITY)


def test_dataset_size_and_spread():
    assert len(CAT["restaurants"]) >= 250 and len(DISHES) >= 2000 and len(CAT["stays"]) >= 50
    assert {r["city"] for r in CAT["restaurants"]} == set(data.CITIES)
    assert len({r["id"] for r in CAT["restaurants"]}) == len(CAT["restaurants"])
    assert len({d["id"] for _, d in DISHES}) == len(DISHES)
    for city in data.CITIES:
        assert sum(r["city"] == city for r in CAT["restaurants"]) >= 50
        assert sum(s["city"] == city for s in CAT["stays"]) >= 10


def test_curated_entries_are_kept_verbatim():
    by_id = {d["id"]: d for _, d in DISHES}
    assert by_id["d-lag-1"]["name"] == "Jollof Rice with Chicken" and by_id["d-lag-1"]["price"] == 6500
    assert {s["id"] for s in CAT["stays"]} >= {f"s-{c}-{i}" for c in ("lag", "lon", "nyc", "par", "mum") for i in (1, 2, 3)}


def test_locations_are_inside_their_city():
    places: dict[tuple[str, str], tuple[float, float]] = {}
    for city, hoods in blocks.NEIGHBOURHOODS.items():
        places |= {(city, n[0]): (n[1], n[2]) for n in hoods}
    places |= {(row[0], row[1]): (row[2], row[3]) for row in blocks.MORE_RESTAURANTS}
    for r in CAT["restaurants"] + CAT["stays"]:
        lat, lon = places[(r["city"], r["neighbourhood"])]
        metres = math.dist((r["lat"], r["lon"] * math.cos(math.radians(r["lat"]))),
                           (lat, lon * math.cos(math.radians(lat)))) * 111_320
        assert metres < 3000, (r["name"], r["neighbourhood"], metres)


def test_every_ingredient_has_an_allergen_entry():
    used = {i for _, d in DISHES for i in d["ingredients"]}
    missing = used - set(enrich.INGREDIENTS)
    assert not missing, f"ingredients without an allergen entry: {sorted(missing)}"


def test_unknown_ingredient_is_refused():
    with pytest.raises(enrich.UnknownIngredient):
        enrich.allergens_of(["rice", "mystery sauce"])
    bad = {"restaurants": [{**CAT["restaurants"][0], "dishes": [{"id": "x", "name": "x", "price": 1.0,
                                                                  "ingredients": ["mystery sauce"]}]}]}
    with pytest.raises(enrich.UnknownIngredient):
        loader.dish_rows(bad)


def test_every_dish_allergen_covers_every_ingredient_allergen():
    for row in loader.dish_rows(CAT):
        for ing in row["ingredients"]:
            assert enrich.INGREDIENTS[ing][0] <= set(row["allergens"]), (row["name"], ing)
        if {"crustacean", "mollusc"} & set(row["allergens"]):
            assert "shellfish" in row["allergens"]


def test_the_eu_14_are_all_covered_and_occur():
    assert len(enrich.EU_ALLERGENS) == 14
    tags = set(enrich.EU_ALLERGENS.values())
    assert tags <= set(enrich.ALLERGENS)
    seen = {a for row in loader.dish_rows(CAT) for a in row["allergens"]}
    assert tags <= seen, f"never occurring: {tags - seen}"


@pytest.mark.parametrize("ingredient,allergens", [
    ("soy sauce", {"soy", "gluten"}), ("english mustard", {"mustard", "gluten"}), ("kimchi", {"crustacean", "fish"}),
    ("oyster sauce", {"mollusc", "soy", "gluten"}), ("basil pesto", {"tree_nut", "dairy"}), ("oats", {"gluten"}),
    ("red wine", {"sulphites"}), ("lupin beans", {"lupin"}), ("tahini", {"sesame"}), ("worcestershire sauce", {"fish", "gluten"}),
    ("snails", {"mollusc"}), ("mayonnaise", {"egg", "mustard"}), ("ghee", {"dairy"}), ("peanut", {"peanut"}),
])
def test_compound_ingredients_carry_their_hidden_allergens(ingredient, allergens):
    assert allergens <= enrich.INGREDIENTS[ingredient][0]


def test_diets():
    assert enrich.diets_of(["chickpeas", "tahini", "lemon"]) == [
        "dairy_free", "gluten_free", "jain", "no_beef", "no_egg", "no_pork", "pescatarian", "pregnancy_safe",
        "strict_jain", "vegan", "vegetarian"]
    assert "vegan" not in enrich.diets_of(["goat's cheese", "honey"]) and "vegetarian" in enrich.diets_of(["honey"])
    assert "vegan" not in enrich.diets_of(["honey"])
    assert "vegetarian" not in enrich.diets_of(["cream", "gelatine"])
    assert "pescatarian" in enrich.diets_of(["cod", "potato"]) and "vegetarian" not in enrich.diets_of(["cod"])
    # halal: certified kitchen, no pork / alcohol / gelatine
    assert "halal" in enrich.diets_of(["lamb", "rice"], halal_certified=True)
    assert "halal" not in enrich.diets_of(["lamb", "rice"])
    assert "halal" not in enrich.diets_of(["beef", "red wine"], halal_certified=True)
    # kosher: certified kitchen, no pork / shellfish / catfish, never meat with dairy
    assert "kosher" in enrich.diets_of(["beef brisket", "onion"], kosher_certified=True)
    assert "kosher" not in enrich.diets_of(["corned beef", "swiss cheese"], kosher_certified=True)
    assert "kosher" not in enrich.diets_of(["catfish"], kosher_certified=True)
    assert "kosher" not in enrich.diets_of(["prawn"], kosher_certified=True)
    assert "gluten_free" not in enrich.diets_of(["oats"]) and "dairy_free" not in enrich.diets_of(["butter"])


def test_certified_kitchens_only_serve_what_the_certification_allows():
    for r, d in DISHES:
        kinds = enrich.kinds_of(d["ingredients"])
        if r["halal_certified"] and r["source"] == "generated":
            assert not kinds & {"pork", "alcohol", "gelatine"}, (r["name"], d["name"])
        if r["kosher_certified"]:
            assert "kosher" in enrich.diets_of(d["ingredients"], kosher_certified=True), (r["name"], d["name"])
    assert any(r["halal_certified"] for r in CAT["restaurants"]) and any(r["kosher_certified"] for r in CAT["restaurants"])


def test_spice_and_price_bands():
    assert enrich.spice_level(["scotch bonnet", "rice"]) == 3 and enrich.spice_level(["rice"]) == 0
    assert enrich.price_band(60, "Mumbai") == 1 and enrich.price_band(1200, "Mumbai") == 4
    assert enrich.price_band(14.5, "London") == 2
    rows = loader.dish_rows(CAT)
    assert all(0 <= r["spice"] <= 3 and 1 <= r["price_band"] <= 4 for r in rows)
    assert {r["price_band"] for r in rows} == {1, 2, 3, 4}


def test_one_dish_name_means_one_ingredient_list():
    seen = {}
    for _, d in DISHES:
        assert seen.setdefault(d["name"], d["ingredients"]) == d["ingredients"], d["name"]


def test_derive_gives_every_allergen_of_every_ingredient():
    # the one-allergen-per-ingredient view is gone: soy sauce is soy *and* gluten everywhere
    assert not hasattr(data, "INGREDIENTS") and not hasattr(enrich, "compat_view")
    assert data.derive(["rice", "prawn"], True)[0] == ["crustacean", "shellfish"]
    assert data.derive(["rice", "soy sauce", "mayonnaise"], False)[0] == ["egg", "gluten", "mustard", "soy"]


def test_new_diet_tags_follow_the_ingredients():
    def has(diet, *ings):
        return diet in enrich.diets_of(list(ings))
    assert not has("no_beef", "rice", "pastrami") and not has("no_beef", "gelatine") and has("no_beef", "pork")
    assert not has("no_pork", "bacon") and not has("no_pork", "gelatine") and has("no_pork", "beef")
    assert not has("no_egg", "mayonnaise") and has("no_egg", "paneer")
    # Jain: lacto-vegetarian without egg, honey, alcohol or mushrooms; strict: no roots, onion, garlic
    assert has("jain", "paneer", "potato") and not has("jain", "egg") and not has("jain", "honey")
    assert not has("jain", "mushroom") and not has("jain", "chicken")
    assert not has("strict_jain", "paneer", "potato") and not has("strict_jain", "garlic")
    assert not has("strict_jain", "basil pesto") and has("strict_jain", "paneer", "spinach", "tomato")
    # pregnancy: nothing raw, no liver or pâté, no mould-ripened / unpasteurised cheese, no alcohol
    assert not has("pregnancy_safe", "raw salmon", "sushi rice") and has("pregnancy_safe", "salmon")
    assert not has("pregnancy_safe", "chicken liver") and not has("pregnancy_safe", "gorgonzola")
    assert not has("pregnancy_safe", "marsala") and not has("pregnancy_safe", "raw egg")
    assert has("pregnancy_safe", "mozzarella", "tomato")


def test_raw_dishes_name_their_raw_ingredient():
    raw = {d["name"] for _, d in DISHES if "raw" in enrich.kinds_of(d["ingredients"])}
    assert {"Salmon Nigiri", "Tuna Maki", "Spicy Tuna Roll", "Tiramisu"} <= raw


def test_every_generated_menu_has_its_cuisines_staples():
    names = {c: {t["name"] for t in blocks.dish_templates(c)} for c in blocks.CUISINES}
    assert all(set(staples) <= names[c] for c, staples in blocks.STAPLES.items())
    for r in CAT["restaurants"]:
        if r["source"] != "generated":
            continue
        allowed = {t["name"] for t in blocks.dish_templates(r["cuisine"])
                   if build_dataset._allowed(t, r["halal_certified"], r["kosher_certified"])}
        menu = {d["name"] for d in r["dishes"]}
        assert set(blocks.STAPLES.get(r["cuisine"], ())) & allowed <= menu, (r["name"], r["cuisine"])
        assert len(menu) == len(r["dishes"])  # a staple drawn already is not added twice
