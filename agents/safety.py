"""Whether a dish may be offered to people with these allergies and diets: the one final check.

Every agent that names, orders or shares a dish asks ``allowed`` (food, social, friends).  The
graph query may pre-filter on the dish's stored tags for speed, but the decision is made here,
from each ingredient's *full* allergen list and kinds in the enricher's table
(``agents.catalogue.enrich``), so a compound ingredient (soy sauce: soy and gluten;
mayonnaise: egg and mustard) can never slip through on one of its tags.

* "shellfish" means crustaceans and molluscs, whichever way it was stored.
* A dish whose ingredients are unknown (none listed, or one missing from the table) is not
  offered to anyone with an allergy or a diet: unknown is not safe.
* Diets come from ``enrich.diets_of`` (the one place diet rules live).  Halal and kosher also
  need a certified kitchen, which only the dish's stored diet tags record; every other diet is
  decided from the ingredients alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.catalogue import enrich

# What one allergy tag covers: "shellfish" is both groups (and the enricher's own "shellfish" tag).
ALLERGY_COVERS = {"shellfish": ("shellfish", "crustacean", "mollusc")}
CERTIFIED_DIETS = ("halal", "kosher")


def expand_allergies(allergies) -> tuple[str, ...]:
    """The allergen tags these allergies exclude ("shellfish" -> shellfish, crustacean, mollusc)."""
    tags: dict[str, None] = {}
    for a in allergies or ():
        for tag in ALLERGY_COVERS.get(a, (a,)):
            tags[tag] = None
    return tuple(tags)


@dataclass(frozen=True)
class Verdict:
    """Why a dish is or is not allowed: the allergens it holds, the diets it breaks, unknown parts."""

    allergens: tuple[str, ...] = ()
    diets_broken: tuple[str, ...] = ()
    unknown: bool = False

    @property
    def ok(self) -> bool:
        return not (self.allergens or self.diets_broken or self.unknown)


def ingredient_allergens(ingredients) -> set[str] | None:
    """Every allergen tag of these ingredients, or None if any ingredient is unknown (or none listed)."""
    if not ingredients:
        return None
    try:
        return set(enrich.allergens_of(ingredients))
    except enrich.UnknownIngredient:
        return None


def dish_diets(dish: dict) -> set[str] | None:
    """The diets a dish keeps, from its ingredients (+ the kitchen's certification); None if unknown."""
    ingredients = dish.get("ingredients") or []
    if ingredient_allergens(ingredients) is None:
        return None
    stored = set(dish.get("diets") or [])
    halal, kosher = ("halal" in stored), ("kosher" in stored)  # the certification is only known there
    return set(enrich.diets_of(ingredients, halal, kosher))


def verdict(dish: dict, allergies=(), diets=()) -> Verdict:
    """The full check of one dish (a graph dish row: ``ingredients`` and ``diets``)."""
    if not allergies and not diets:
        return Verdict()
    held = ingredient_allergens(dish.get("ingredients"))
    if held is None:
        return Verdict(unknown=True)
    held |= set(dish.get("allergens") or [])  # a stored tag never makes a dish safer
    bad = tuple(dict.fromkeys(a for a in allergies or () if set(expand_allergies([a])) & held))
    kept = dish_diets(dish) or set()
    broken = tuple(d for d in dict.fromkeys(diets or ()) if d not in kept)
    return Verdict(bad, broken)


def allowed(dish: dict, allergies=(), diets=()) -> bool:
    """True when the dish holds none of the allergens and keeps every diet (unknown: False)."""
    return verdict(dish, allergies, diets).ok


def safe_only(dishes, allergies=(), diets=()) -> list[dict]:
    """The allowed dishes, in their order."""
    return [d for d in dishes if allowed(d, allergies, diets)]
