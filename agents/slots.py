"""Pull simple facts out of how people talk: cities, allergens, diets, names, spice, budget, group size.

Pure functions over the transcript; no I/O.  Everything returns canonical values:
cities as catalogue names ("New York"), allergens as catalogue tags ("peanut", "tree_nut"),
diets as dish diet tags ("vegetarian", "gluten_free").
"""

from __future__ import annotations

import re
import unicodedata

CITY_ALIASES = {
    "lagos": "Lagos", "london": "London", "new york city": "New York", "new york": "New York",
    "nyc": "New York", "manhattan": "New York", "brooklyn": "New York", "paris": "Paris",
    "mumbai": "Mumbai", "bombay": "Mumbai",
}
ALLERGEN_WORDS = {
    "peanut": ["peanut"], "peanuts": ["peanut"], "groundnut": ["peanut"], "groundnuts": ["peanut"],
    "nut": ["peanut", "tree_nut"], "nuts": ["peanut", "tree_nut"], "tree nuts": ["tree_nut"],
    "tree nut": ["tree_nut"], "cashew": ["tree_nut"], "cashews": ["tree_nut"], "almond": ["tree_nut"],
    "almonds": ["tree_nut"], "walnuts": ["tree_nut"], "pistachios": ["tree_nut"], "hazelnuts": ["tree_nut"],
    "dairy": ["dairy"], "milk": ["dairy"], "lactose": ["dairy"], "cheese": ["dairy"],
    "egg": ["egg"], "eggs": ["egg"], "gluten": ["gluten"], "wheat": ["gluten"],
    "fish": ["fish"], "seafood": ["fish", "shellfish"], "shellfish": ["shellfish"],
    "prawn": ["shellfish"], "prawns": ["shellfish"], "shrimp": ["shellfish"], "crab": ["shellfish"],
    "lobster": ["shellfish"], "crayfish": ["shellfish"], "soy": ["soy"], "soya": ["soy"],
    "sesame": ["sesame"], "celery": ["celery"],
    # the rest of the EU-14, under the catalogue's tags (agents/catalogue/enrich.py)
    "mustard": ["mustard"], "lupin": ["lupin"], "lupine": ["lupin"], "lupini": ["lupin"],
    "sulphites": ["sulphites"], "sulfites": ["sulphites"], "sulphite": ["sulphites"],
    "sulfite": ["sulphites"], "sulphur dioxide": ["sulphites"], "sulfur dioxide": ["sulphites"],
    "crustacean": ["crustacean"], "crustaceans": ["crustacean"],
    "mollusc": ["mollusc"], "molluscs": ["mollusc"], "mollusk": ["mollusc"], "mollusks": ["mollusc"],
    "mussels": ["mollusc"], "mussel": ["mollusc"], "oysters": ["mollusc"], "oyster": ["mollusc"],
    "clams": ["mollusc"], "clam": ["mollusc"], "squid": ["mollusc"], "calamari": ["mollusc"],
    "octopus": ["mollusc"], "snails": ["mollusc"], "snail": ["mollusc"], "escargot": ["mollusc"],
    "scallops": ["mollusc"], "scallop": ["mollusc"], "periwinkle": ["mollusc"], "periwinkles": ["mollusc"],
}
DIET_WORDS = {
    "vegetarian": "vegetarian", "veggie": "vegetarian", "vegan": "vegan", "plant-based": "vegan",
    "plant based": "vegan", "pescatarian": "pescatarian", "halal": "halal", "kosher": "kosher",
    "gluten-free": "gluten_free", "gluten free": "gluten_free", "coeliac": "gluten_free",
    "celiac": "gluten_free", "dairy-free": "dairy_free", "dairy free": "dairy_free",
}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple": 2}
TRAVEL_TAGS = {
    "nightlife": r"nightlife|bars?|clubs?|party|going out|lively", "quiet": r"quiet|calm|peaceful|relax",
    "family": r"family|kids|children", "budget": r"cheap|budget|affordable|hostel|inexpensive",
    "luxury": r"luxury|luxurious|fancy|upscale|five.star|5.star|splurge", "business": r"business|work trip|conference",
    "transport": r"airport|station|layover|transit", "museums": r"museums?|galleries|sightseeing|culture|history",
    "food": r"food|foodie|restaurants", "central": r"central|downtown|city cent(re|er)|walkable",
}

# An order ("I'll have the suya"): the router sends it to auth for enrolled users; food records it.
ORDER_WORDS = re.compile(r"\b(order|i'?ll have|i will have|get me the|i'?ll take|i want the|"
                         r"i'?ll go with|let me get the|can i (get|have) the)\b")

_CLAUSE = r"([^.;!?]*?)(?=\bbut\b|[.;!?]|$)"
_ALLERGY_ADD = re.compile(r"(?:allergic to|allerg(?:y|ies) to|intolerant to|intolerance to|can'?t eat|"
                          r"cannot eat|can'?t have|add)\s+" + _CLAUSE)
_ALLERGY_REMOVE = re.compile(r"(?:no longer allergic to|not allergic to|remove|take|delete)\s+" + _CLAUSE)
_ALLERGEN_NOUN = re.compile(r"\b([a-z ]+?)\s+(?:allergy|allergies|intolerance)\b")
_AVOID = re.compile(r"(?:without|no|free of|avoid|avoiding|hold the)\s+" + _CLAUSE)
_FREE_SUFFIX = re.compile(r"\b([a-z]+)[- ]free\b")
_NO_ALLERGIES = re.compile(r"\b(no (food )?allergies|not allergic to anything|nothing i'?m allergic to)\b")
_DIET_OFF = re.compile(r"(?:no longer|not|stopped being|quit being)\s+(?:a\s+)?([a-z-]+)")
_HOME = [re.compile(p) for p in (
    r"(?:i live in|i'm living in|i am living in|based in|moved to|moving to|home city (?:is|to)|"
    r"my city is|i'm staying in|i am staying in|relocated to|j'habite a|j'habite en|je vis a)\s+(.+)",
    r"(?:i'm from|i am from|i come from)\s+(.+)",
    r"\bfrom\s+(" + "|".join(CITY_ALIASES) + r")\b")]
_NAME_ANY = re.compile(r"(?:my name is|my name's|call me|name is|je m'appelle|je m’appelle)\s+([A-Za-z][\w'-]*(?: [A-Z][\w'-]*)?)", re.I)
_NAME_IM = re.compile(r"(?:\bI'm|\bI am|\bthis is|\bit's)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)")
_NOT_NAMES = {"me", "new", "here", "a", "an", "the", "from", "in", "not", "no", "so", "just",
              "back", "looking", "allergic", "vegetarian", "vegan", "starving", "hungry", "i",
              "based", "living", "moving", "staying", "going", "planning", "trying", "also", "really"}
_GROUP_N = re.compile(r"(?:table for|party of|group of|for|we'?re|we are|there are|there'll be)\s+"
                      r"(\d+|a couple|[a-z]+)\b|\b(\d+|[a-z]+) (?:of us|people|persons|guests|friends)\b")


def normalise(text: str) -> str:
    """Lower-case, straight apostrophes, accents removed, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.lower()).strip()


def _words_regex(words) -> re.Pattern:
    alts = sorted(words, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in alts) + r")\b")


_CITY_RE = _words_regex(CITY_ALIASES)
_ALLERGEN_RE = _words_regex(ALLERGEN_WORDS)
_DIET_RE = _words_regex(DIET_WORDS)


def allergens_in(fragment: str) -> list[str]:
    """Canonical allergens named anywhere in ``fragment`` (already normalised)."""
    found = []
    for word in _ALLERGEN_RE.findall(fragment):
        found += [a for a in ALLERGEN_WORDS[word] if a not in found]
    return found


def city_in(text: str) -> str | None:
    """First catalogue city mentioned in the text, or None."""
    m = _CITY_RE.search(normalise(text))
    return CITY_ALIASES[m.group(1)] if m else None


def home_city(text: str) -> str | None:
    """The city the speaker says they live in ("I live in Paris", "I'm from Lagos")."""
    raw = text.replace("\u2019", "'")
    for pattern in _HOME:
        m = pattern.search(normalise(raw))
        if m:
            return city_in(m.group(1)) or _capitalised_place(raw, m.start(1))
    return None


def _capitalised_place(raw: str, start: int) -> str | None:
    """A place name not in the catalogue: the capitalised words at ``start`` of the raw text."""
    m = re.match(r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)", raw[start:])
    return m.group(1) if m else None


def name_in(text: str) -> str | None:
    """The speaker's name from "my name is X", "call me X", or "I'm X" (capitalised)."""
    text = text.replace("\u2019", "'")
    for pattern in (_NAME_ANY, _NAME_IM):
        m = pattern.search(text)
        if m and m.group(1).split()[0].lower() not in _NOT_NAMES and not city_in(m.group(1)):
            return " ".join(w.capitalize() for w in m.group(1).split())
    return None


def allergy_changes(text: str) -> tuple[list[str], list[str], bool]:
    """(allergens to add, allergens to remove, said "no allergies") for a profile statement."""
    t = normalise(text)
    removed = [a for m in _ALLERGY_REMOVE.finditer(t) for a in allergens_in(m.group(1))]
    t_add = _ALLERGY_REMOVE.sub(" ", t)
    added = [a for m in _ALLERGY_ADD.finditer(t_add) for a in allergens_in(m.group(1))]
    added += [a for m in _ALLERGEN_NOUN.finditer(t_add) for a in allergens_in(m.group(1).split()[-1])]
    return _unique(added), _unique(removed), bool(_NO_ALLERGIES.search(t))


def avoided_in_request(text: str) -> list[str]:
    """Allergens the speaker wants left out of this request ("without dairy", "nut-free")."""
    t = _ALLERGY_REMOVE.sub(" ", normalise(text))
    found = [a for m in _AVOID.finditer(t) for a in allergens_in(m.group(1))]
    found += [a for m in _FREE_SUFFIX.finditer(t) for a in allergens_in(m.group(1))]
    return _unique(found + allergy_changes(text)[0])


def diet_changes(text: str) -> tuple[list[str], list[str]]:
    """(diets to add, diets to remove): "I'm vegan now" / "I'm no longer vegetarian"."""
    t = normalise(text)
    removed = [DIET_WORDS[m.group(1)] for m in _DIET_OFF.finditer(t) if m.group(1) in DIET_WORDS]
    if re.search(r"\bi eat meat\b|\bi'?m eating meat\b", t):
        removed += ["vegetarian", "vegan", "pescatarian"]
    added = [DIET_WORDS[w] for w in _DIET_RE.findall(_DIET_OFF.sub(" ", t))]
    return _unique([d for d in added if d not in removed]), _unique(removed)


def spice_range(text: str) -> tuple[int, int]:
    """(min, max) spice on a 0-3 scale from "spicy", "a kick", "mild", "not too spicy"."""
    t = normalise(text)
    if re.search(r"not (too |very |that )?(spicy|hot)|\bmild\b|no spice|nothing (too |very )?spicy|gentle|less spicy", t):
        return 0, 1
    if re.search(r"spicy|fiery|a kick|some heat|extra hot|really hot|\bhot\b food|chill?i", t):
        return 2, 3
    return 0, 3


def budget(text: str) -> str | None:
    """"low", "high" or None from "cheap", "on a budget", "something fancy", "splurge"."""
    t = normalise(text)
    if re.search(r"cheap|budget|affordable|inexpensive|not too expensive|broke", t):
        return "low"
    if re.search(r"fancy|splurge|treat (my|our)sel|upscale|luxur|posh|special occasion", t):
        return "high"
    return None


def group_size(text: str, default: int = 4) -> int:
    """Party size from "table for six", "8 of us", "we're a group of 5"; ``default`` otherwise."""
    for m in _GROUP_N.finditer(normalise(text)):
        word = m.group(1) or m.group(2)
        n = int(word) if word.isdigit() else NUMBERS.get(word)
        if n and 1 < n <= 50:
            return n
    return default


def travel_tags(text: str) -> list[str]:
    """Travel preferences named in the text (nightlife, quiet, family, budget, luxury...)."""
    t = normalise(text)
    return [tag for tag, pattern in TRAVEL_TAGS.items() if re.search(pattern, t)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
