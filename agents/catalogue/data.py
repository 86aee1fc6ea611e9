"""The catalogue as plain data, read from the bundled dataset (``data/catalogue.jsonl.gz``).

Kept for callers of the first catalogue module: ``CITIES``, ``RESTAURANTS`` (dish tuples: id,
name, spice, price, ingredients, halal kitchen), ``STAYS`` and ``derive``.  The enricher (``agents.catalogue.enrich``) is the
source of truth for allergens and diets; ``derive`` delegates to it.
"""

from __future__ import annotations

from agents.catalogue import curated, enrich
from agents.catalogue.build_dataset import read

_BUNDLED = read()
# The derivation rules' version too: new diet rules must reach a graph loaded earlier.
CATALOGUE_VERSION = f"{enrich.RULES_VERSION}-{_BUNDLED['meta']['digest']}"

# name -> country, ISO currency, symbol, language tag, local greeting
CITIES: dict[str, tuple[str, str, str, str, str]] = dict(curated.CITIES)

RESTAURANTS: list[dict] = [
    {**{k: v for k, v in r.items() if k != "dishes"},
     "dishes": [(d["id"], d["name"], d["spice"] if d["spice"] is not None else enrich.spice_level(d["ingredients"]),
                 d["price"], d["ingredients"], d.get("halal", r["halal_certified"])) for d in r["dishes"]]}
    for r in _BUNDLED["restaurants"]
]

# Places to stay: id, city, neighbourhood, hotel, price per night, tags, why
STAYS: list[tuple[str, str, str, str, float, list[str], str]] = [
    (s["id"], s["city"], s["neighbourhood"], s["name"], s["price"], s["tags"], s["why"]) for s in _BUNDLED["stays"]
]


def derive(ingredients: list[str], halal: bool, kosher: bool = False) -> tuple[list[str], list[str]]:
    """Return (allergens, diets) of a dish from its ingredients; unknown ingredients raise KeyError."""
    return enrich.allergens_of(ingredients), enrich.diets_of(ingredients, halal, kosher)
