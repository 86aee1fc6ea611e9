"""Which dish the speaker names in an order ("I'll have the chicken suya"), over a whole menu.

A menu is the ``GraphStore.menu_names`` rows: ``{"id", "name", "restaurant", "cuisine",
"neighbourhood", "spice", "price_band"}``, best-rated places first, so ties go to the better place.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable

from agents.areas import without_places
from agents.dish_types import CUISINE_WORDS, TYPE_WORDS, in_family, types_of
from agents.slots import normalise
from agents.travel_knowledge import without_landmark_names

STOP = {"with", "and", "the", "a", "of", "du", "de", "la", "le"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", normalise(text)))


def _said(text: str) -> set[str]:
    """The words of what was said, each plural also as its singular ("naans" -> "naan")."""
    words = _words(text)
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 4}


def _name_words(name: str) -> set[str]:
    return _words(name) - STOP


def match_dish(text: str, dishes: list[dict], prefer: Callable[[dict], float] | None = None) -> dict | None:
    """The dish the speaker names: a word unique to one dish's name, or its whole name.
    Several places serve the same name: the one whose restaurant is named too, else the one
    ``prefer`` ranks highest (the district, budget and spice asked for), else the first."""
    said = _words(without_landmark_names(text))  # plurals as said: "two wraps of moi moi" names no wrap
    names = {d["id"]: _name_words(d["name"]) for d in dishes}
    counts = Counter(w for ws in names.values() for w in ws)

    def score(d: dict) -> float:
        ws = names[d["id"]]
        if not ws:
            return 0.0
        unique = {w for w in ws & said if counts[w] == 1 and len(w) > 3}
        whole = 2 + 0.1 * len(ws) if ws <= said else 0  # the longest fully said name wins
        place = _name_words(d.get("restaurant") or "")
        return 2 * len(unique) + len(ws & said) / len(ws) + whole + (len(place & said) / len(place) if place else 0)

    best = max(dishes, key=score, default=None)
    if not best or score(best) < 2:
        return None
    # "a smoked salmon bagel" is not the only bagel on the menu just because it says "bagel":
    # another dish's word said and not in this name means the speaker meant something else.
    menu_words = {w for ws in names.values() for w in ws if len(w) > 3}
    own = names[best["id"]] | _name_words(best.get("restaurant") or "")
    if (said & menu_words) - own:
        return None
    if prefer and not restaurant_named(text, best):
        same = [d for d in dishes if d["name"] == best["name"]]
        return max(same, key=prefer)  # the first of the best: places are best-rated first
    return best


# Words that name a dish type itself ("curry", "soups"), not one dish of it ("biryani"): any dish
# of that type meets them.
_TYPE_NAMES = {w: TYPE_WORDS[w] for w in ("soup", "soups", "soupe", "rice", "curry", "curries", "salad", "salads",
                                          "salade", "bread", "breakfast") if w in TYPE_WORDS}


def restaurant_named(text: str, dish: dict) -> bool:
    """Does ``text`` name the dish's restaurant (a word of its name that is not the dish's)?"""
    return bool((_name_words(dish.get("restaurant") or "") - _name_words(dish["name"])) & _words(text))


def candidates(text: str, dishes: list[dict], prefer: Callable[[dict], float] | None = None) -> list[dict]:
    """Dishes whose name shares a word (4+ letters) with what was said, or is of a type said
    ("a paneer curry": saag paneer before katsu curry or chilli paneer), most shared words
    first, then the ones ``prefer`` ranks highest.  A landmark's name says no dish ("near Times
    Square" is no square slice)."""
    said = {w for w in _said(without_landmark_names(text)) if len(w) > 3} - NOT_ASKED  # "spicy" says how, not which

    shared = {d["id"]: len((_name_words(d["name"]) & said) | _types_met(d["name"], said)) for d in dishes}
    return sorted((d for d in dishes if shared[d["id"]]),
                  key=lambda d: (-shared[d["id"]], -(prefer(d) if prefer else 0)))


# Words of a request that say how, not what ("spicy", "cheap"): never taken as a dish asked for.
NOT_ASKED = {"spicy", "cheap", "good", "local", "dish", "dishes", "food", "something", "tonight", "dinner",
             "lunch", "breakfast", "special", "house", "classic", "plain", "mixed", "fried", "with", "sweet", "sour",
             "cold", "fresh", "nice", "small", "green", "white", "black", "red", "mini", "style", "home", "made"}


# Sayings that name a food without asking for it ("cheap as chips").
_SAYINGS = re.compile(r"\b(cheap as chips|piece of cake|bread and butter|full of beans|in a pickle)\b")


def asked_terms(text: str, menu: list[dict]) -> list[str]:
    """Words (4+ letters) of the request naming a dish or cuisine on this menu ("pizza", "nigerian"),
    in the order said; place names ("New York") and sayings ("cheap as chips") name none."""
    known = set()
    for d in menu:
        known |= _name_words(d["name"]) | _name_words(d.get("cuisine") or "")
    t = _SAYINGS.sub(" ", without_places(without_landmark_names(text)))
    said = [w if w in known or not w.endswith("s") else w[:-1] for w in re.findall(r"[a-z]+", t)]
    return list(dict.fromkeys(w for w in said if len(w) > 3 and w in known and w not in NOT_ASKED))


def terms_matched(dish: dict, terms) -> int:
    """How many of ``terms`` the dish's name or cuisine says (plurals as singular); a cuisine
    word counts for the cuisines of its family ("french" for a boulangerie), a dish type's name
    for the dishes of that type ("curry" for a chicken ruby)."""
    words = _name_words(dish["name"]) | _name_words(dish.get("cuisine") or "")
    words |= {w[:-1] for w in words if w.endswith("s")}
    words |= {t for t in terms if t in CUISINE_WORDS and in_family(CUISINE_WORDS[t], dish.get("cuisine"))}
    return len(set(terms) & (words | _types_met(dish["name"], terms)))


def _types_met(name: str, said) -> set[str]:
    """The words of ``said`` naming a dish type the dish ``name`` is ("curry" for a chicken ruby)."""
    kinds = types_of(name)
    return {w for w in said if w in _TYPE_NAMES and _TYPE_NAMES[w] in kinds}
