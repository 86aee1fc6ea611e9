"""The held-out understanding sets: split once, dev and test disjoint, every value canonical.

Fast and stack-free: reads bench/data/understanding/ only.  The canonical values are the
brief's, written here rather than imported from agents/, so that a set and the code it
measures cannot drift together.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench import understanding_split as us

LABELS = {"food", "travel", "social", "profile", "auth", "onboarding", "none"}
CITIES = {"Lagos", "London", "New York", "Paris", "Mumbai"}
DIETS = {"vegetarian", "vegan", "pescatarian", "halal", "kosher", "gluten_free", "dairy_free", "no_beef",
         "no_pork", "no_egg", "jain", "strict_jain", "pregnancy_safe"}
ALLERGENS = {"peanut", "tree_nut", "dairy", "egg", "gluten", "fish", "crustacean", "mollusc", "soy", "sesame",
             "celery", "mustard", "lupin", "sulphites"}
STATE_KEYS = {"onboarded", "previous_agent", "awaiting"}
CUISINES = {"Nigerian", "Indian", "French", "Italian", "Chinese", "Japanese"}
DISH_TYPES = {"soup", "rice", "dessert", "street food", "breakfast", "grill", "curry", "salad", "bread", "snack"}
TOPICS = {"hotel", "district", "landmark", "airport", "transport", "tipping", "visa", "dress_code", "safety",
          "customs"}
FOOD_EXPECTS = {"cuisine", "dish_type", "city", "district", "max_price_level", "spice", "advice_only"}
TRAVEL_EXPECTS = {"topic", "city", "district", "landmark"}
VOCAB_TERMS = {"halal", "kosher", "coeliac", "Jain", "pescatarian", "passphrase", "sign in", "log out", "jollof",
               "suya", "egusi", "pounded yam", "puff-puff", "pav bhaji", "vada pav", "biryani", "thali", "dosa",
               "croissant", "ratatouille", "Lagos", "Lekki", "Mumbai", "Bandra", "Montmartre", "sulphites",
               "lupin", "sesame", "mollusc", "crustacean"}
MINIMUM = {"routing": 1300, "profiles": 160, "safety": 160, "requests": 160, "vocab": 120}


def rows(name: str, side: str | None = None) -> list[dict]:
    return us.read_rows(us.DATA / (f"{name}.{side}.jsonl" if side else f"{name}.jsonl"))


def test_manifest_hashes_match_and_the_split_reproduces_from_the_seed():
    assert us.verify() == []


def test_a_second_split_is_refused():
    assert all(p.exists() for p in us.split_paths())  # else main() would split, not refuse
    with pytest.raises(SystemExit, match="refusing to split again"):
        us.main([])


@pytest.mark.parametrize("name", us.SETS)
def test_dev_and_test_are_disjoint_and_together_are_the_set(name):
    dev, test = rows(name, "dev"), rows(name, "test")
    dev_texts = {us.normalised(us.text_of(name, r)) for r in dev}
    test_texts = {us.normalised(us.text_of(name, r)) for r in test}
    assert not dev_texts & test_texts
    assert sorted(r["id"] for r in dev + test) == sorted(r["id"] for r in rows(name))
    assert abs(len(dev) - len(test)) <= 1


@pytest.mark.parametrize("name", us.SETS)
def test_each_set_meets_its_minimum_without_duplicates(name):
    all_rows = rows(name)
    assert len(all_rows) >= MINIMUM[name]
    texts = [us.normalised(us.text_of(name, r)) for r in all_rows]
    assert len(set(texts)) == len(texts)


def test_every_routing_label_and_state_is_canonical():
    for r in rows("routing"):
        assert r["label"] in LABELS, r
        assert set(r["state"]) <= STATE_KEYS, r
        assert r["state"].get("previous_agent") in LABELS | {None}, r
        assert r["state"].get("awaiting") in {None, "passphrase"}, r
        assert ("state" in r["tags"]) == bool(r["state"]), r


def test_every_label_has_at_least_40_test_lines():
    counts = Counter(r["label"] for r in rows("routing", "test"))
    assert {label: counts[label] for label in LABELS if counts[label] < 40} == {}


def test_expected_profiles_use_canonical_values():
    for r in rows("profiles"):
        e = r["expected"]
        assert 1 <= len(r["turns"]) <= 3, r
        assert e["home_city"] in CITIES | {None}, r
        assert e["neighbourhood"] is None or e["home_city"] is not None, r  # a district always names its city
        assert set(e["diets"]) <= DIETS and set(e["allergies"]) <= ALLERGENS, r
        assert e["name"] is None or e["name"] != e["culture"], r


def test_safety_profiles_use_canonical_values_and_cover_every_diet_and_allergen():
    seen = Counter()
    for r in rows("safety"):
        p = r["profile"]
        assert p["home_city"] in CITIES, r
        assert set(p["diets"]) <= DIETS and set(p["allergies"]) <= ALLERGENS, r
        seen.update(p["diets"] + p["allergies"])
    assert {k: seen[k] for k in DIETS | ALLERGENS if seen[k] < 6} == {}


def test_request_expectations_use_canonical_values():
    for r in rows("requests"):
        e = r["expects"]
        assert r["home_city"] in CITIES, r
        assert set(e) <= (FOOD_EXPECTS if r["agent"] == "food" else TRAVEL_EXPECTS), r
        assert r["agent"] == "food" or e["topic"] in TOPICS, r
        assert e.get("cuisine", "Indian") in CUISINES and e.get("dish_type", "soup") in DISH_TYPES, r
        assert e.get("city", "Lagos") in CITIES and e.get("spice", "mild") in {"mild", "hot"}, r
        assert e.get("max_price_level", 1) in {1, 2, 3, 4}, r


def test_vocab_terms_are_the_products_and_each_appears_four_times():
    seen = Counter()
    for r in rows("vocab"):
        assert set(r["terms"]) <= VOCAB_TERMS, r
        assert all(t.lower() in r["text"].lower() for t in r["terms"]), r
        seen.update(r["terms"])
    assert {t: seen[t] for t in VOCAB_TERMS if seen[t] < 4} == {}


def test_manifest_counts_are_the_files_counts():
    manifest = json.loads((us.DATA / "MANIFEST.json").read_text(encoding="utf-8"))
    for name in us.SETS:
        for side in us.SPLITS:
            assert manifest["sets"][name][side]["lines"] == len(rows(name, side))
