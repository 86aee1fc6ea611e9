"""What kind of dish a catalogue dish is, and which cuisine family a restaurant belongs to.

The catalogue stores a dish's name and ingredients and a restaurant's cuisine ("Mughlai",
"Creperie"), not "soup" or "Indian".  A request says "a good soup" or "Indian food", so both
are read here from the catalogue's own words: the food agent uses this to follow the request,
``bench/reply_relevance.py`` to judge a reply against the catalogue data.
"""

from __future__ import annotations

import re
from functools import lru_cache

from agents.slots import normalise
from agents.word_match import words_regex

# Dish type -> words of a dish *name* that make it one (word starts; "noodle" covers "noodles").
DISH_TYPES: dict[str, tuple[str, ...]] = {
    "soup": ("soup", "soupe", "chowder", "jjigae", "rasam", "harira", "corbasi", "minestrone", "pho", "sol kadhi",
             "ramen", "wonton soup", "kadhi", "ofe", "pepper soup", "banga"),
    "rice": ("rice", "jollof", "biryani", "pulao", "pilau", "risotto", "bibimbap", "don", "khichdi", "thali"),
    "curry": ("curry", "korma", "vindaloo", "jalfrezi", "rogan josh", "dhansak", "tikka masala", "dal",
              "daal", "gassi", "sukka", "nihari", "kala bhuna", "ruby", "saag", "chana", "aloo gobi", "bhuna",
              "curry goat", "ca ri", "chettinad", "undhiyu",
              # "X masala" is a curry, a masala dosa is not
              "crab masala", "prawn masala", "fish masala", "egg masala", "paneer masala", "chicken masala",
              "mutton masala", "lamb masala"),
    "salad": ("salad", "salade", "fattoush", "tabbouleh", "cacik", "nicoise"),
    "bread": ("bread", "croissant", "baguette", "pain au chocolat", "jambon", "naan", "bagel", "roti", "pav",
              "pitta", "manakish", "thepla", "pide", "sheermal", "brioche", "toast", "lahmacun", "knots"),
    "breakfast": ("breakfast", "full english", "pain au chocolat", "chausson", "pancake", "akara", "poha", "idli",
                  "dosa", "upma", "akuri", "bun maska", "shakshuka", "uttapam", "moi moi", "lox", "bagel", "croissant",
                  "waffle", "blintz", "irani chai", "filter coffee", "thepla", "appam", "latke", "kanda poha"),
    "dessert": ("dessert", "cake", "cheesecake", "ice cream", "kulfi", "gulab jamun", "tart", "tatin", "brulee",
                "mousse", "pudding", "tiramisu", "cannoli", "baklava", "kunefe", "profiterole", "eton mess",
                "panna cotta", "phirni", "shrikhand", "custard", "rugelach", "churros", "crepe", "makroud",
                "puff-puff", "chin chin", "eclair", "chausson"),
    "street food": ("suya", "vada pav", "pav bhaji", "pani puri", "bhel", "sev puri", "frankie", "hot dog",
                    "falafel", "kebab", "taco", "shawarma", "gyro", "puff-puff", "samosa", "slice", "banh mi",
                    "misal", "kheema pav", "over rice", "boli", "elote", "patty", "bombay sandwich", "chin chin",
                    "asun", "merguez", "crepe", "galette", "knish", "meat pie"),
    "snack": ("snack", "samosa", "bhaji", "pakora", "vada", "chin chin", "puff-puff", "dhokla", "khandvi",
              "bhel", "sev puri", "pani puri", "edamame", "spring roll", "summer roll", "gyoza", "dumpling",
              "har gow", "fries", "chips", "akara", "plantain", "scotch egg", "knots", "wings", "hummus",
              "koliwada", "boli", "mandu", "nem"),
    "noodles": ("noodle", "ramen", "chow fun", "chow mein", "lo mein", "udon", "pad thai", "japchae", "hakka",
                "pho", "bun cha", "bo bun"),
    "pizza": ("pizza", "slice", "calzone", "white pie"),
    "stew": ("stew", "tagine", "bourguignon", "coq au vin", "blanquette", "efo riro", "egusi", "nkwobi",
             "pozole", "chili", "oxtail", "ayamase", "ewa agoyin"),
    "grill": ("grill", "kebab", "suya", "tikka", "tandoori", "shish", "asun", "jerk", "bulgogi", "steak",
              "mixed grill", "skewer", "seekh"),
}

# What people call a dish type ("a curry", "biryani", "something sweet") -> the type.
TYPE_WORDS: dict[str, str] = {
    "soup": "soup", "soups": "soup", "soupe": "soup", "broth": "soup", "chowder": "soup", "pepper soup": "soup",
    "rice": "rice", "jollof": "rice", "biryani": "rice", "pulao": "rice", "risotto": "rice", "riz": "rice",
    "curry": "curry", "curries": "curry", "dal": "curry", "daal": "curry",
    "salad": "salad", "salads": "salad", "salade": "salad",
    "bread": "bread", "bakery": "bread", "croissant": "bread", "baguette": "bread", "boulangerie": "bread",
    "naan": "bread", "pain": "bread",
    "breakfast": "breakfast", "brunch": "breakfast", "full english": "breakfast", "petit dejeuner": "breakfast",
    "nashta": "breakfast",
    "dessert": "dessert", "desserts": "dessert", "something sweet": "dessert", "sweets": "dessert",
    "pudding": "dessert", "cake": "dessert", "ice cream": "dessert", "mithai": "dessert",
    "street food": "street food", "vada pav": "street food", "pav bhaji": "street food", "suya": "street food",
    "chaat": "street food", "food cart": "street food", "halal cart": "street food",
    "snack": "snack", "snacks": "snack", "nibbles": "snack", "small chops": "snack", "bite": "snack",
    "noodles": "noodles", "noodle": "noodles", "ramen": "noodles", "pho": "noodles",
    "pizza": "pizza", "slice": "pizza",
    "stew": "stew", "stews": "stew", "tagine": "stew",
    "grill": "grill", "grilled": "grill", "kebab": "grill", "kebabs": "grill", "bbq": "grill", "barbecue": "grill",
}
_TYPE_RE = words_regex(TYPE_WORDS)

# Cuisine a request names -> the catalogue cuisines that belong to it.
CUISINE_FAMILIES: dict[str, tuple[str, ...]] = {
    "Indian": ("Indian", "Mughlai", "South Indian", "Gujarati", "Parsi", "Konkani Seafood", "Mumbai Street Food",
               "Bangladeshi", "Indo-Chinese"),
    "Chinese": ("Chinese", "Indo-Chinese"),
    "French": ("French", "Creperie", "Boulangerie"),
    "Nigerian": ("Nigerian",), "British": ("British",), "Italian": ("Italian", "Pizza"),
    "Japanese": ("Japanese",), "Korean": ("Korean",), "Vietnamese": ("Vietnamese",), "Mexican": ("Mexican",),
    "Lebanese": ("Lebanese",), "Middle Eastern": ("Lebanese", "Turkish", "Halal Cart"), "Turkish": ("Turkish",),
    "Caribbean": ("Caribbean",), "Jamaican": ("Caribbean",), "American": ("American", "Pizza"),
    "Jewish": ("Jewish Deli",), "North African": ("North African",), "Moroccan": ("North African",),
    "Gujarati": ("Gujarati",), "South Indian": ("South Indian",), "Mughlai": ("Mughlai",), "Parsi": ("Parsi",),
    "Thai": ("Thai",), "Greek": ("Greek",), "Ethiopian": ("Ethiopian",), "Spanish": ("Spanish",),
}
CUISINE_WORDS: dict[str, str] = {
    "indian": "Indian", "desi": "Indian", "chinese": "Chinese", "indo-chinese": "Chinese", "french": "French",
    "francais": "French", "française": "French", "francaise": "French", "nigerian": "Nigerian",
    "naija": "Nigerian", "yoruba": "Nigerian", "british": "British", "english": "British", "italian": "Italian",
    "japanese": "Japanese", "sushi": "Japanese", "korean": "Korean", "vietnamese": "Vietnamese",
    "mexican": "Mexican", "lebanese": "Lebanese", "middle eastern": "Middle Eastern", "turkish": "Turkish",
    "caribbean": "Caribbean", "jamaican": "Jamaican", "american": "American", "jewish": "Jewish",
    "north african": "North African", "moroccan": "Moroccan", "gujarati": "Gujarati",
    "south indian": "South Indian", "mughlai": "Mughlai", "parsi": "Parsi", "thai": "Thai", "greek": "Greek",
    "ethiopian": "Ethiopian", "spanish": "Spanish", "bistro": "French", "creperie": "French",
    # French names of cuisines ("un chinois pas trop cher", "un curry indien")
    "chinois": "Chinese", "chinoise": "Chinese", "italien": "Italian", "italienne": "Italian",
    "indien": "Indian", "indienne": "Indian", "japonais": "Japanese", "japonaise": "Japanese",
    "libanais": "Lebanese", "libanaise": "Lebanese", "marocain": "Moroccan", "marocaine": "Moroccan",
    "vietnamien": "Vietnamese", "vietnamienne": "Vietnamese", "mexicain": "Mexican", "mexicaine": "Mexican",
    "coreen": "Korean", "coreenne": "Korean", "nigeriane": "Nigerian",
}
_CUISINE_RE = words_regex(CUISINE_WORDS)
# A cuisine turned down ("not Indian again", "Thai? Nah") is not the one asked for; after a
# correction ("Japanese... no wait, make it Chinese") the last one said is.
_TURNED_DOWN_BEFORE = re.compile(r"\b(not|no|nah|never|instead of|rather than|except|other than|sick of|"
                                 r"tired of|pas de|pas)\s+(more\s+|any\s+)?$")
_TURNED_DOWN_AFTER = re.compile(r"\W{0,3}\s*(nah|no thanks|no way)\b")
_CORRECTION = re.compile(r"\b(no wait|actually|instead|make it|scratch that|on second thought)\b")


_TYPE_NAME_RE = {t: re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + ")") for t, words in DISH_TYPES.items()}


@lru_cache(maxsize=4096)
def types_of(dish_name: str) -> frozenset[str]:
    """The dish types a catalogue dish name says ("Goat Meat Pepper Soup" -> {"soup"})."""
    name = normalise(dish_name)
    return frozenset(t for t, pattern in _TYPE_NAME_RE.items() if pattern.search(name))


def type_asked(text: str) -> str | None:
    """The dish type a request names ("where can I get a good soup" -> "soup"), or None."""
    m = _TYPE_RE.search(normalise(text))
    return TYPE_WORDS[m.group(1)] if m else None


def cuisine_asked(text: str) -> str | None:
    """The cuisine a request names ("any good Chinese around here?" -> "Chinese"), or None; one turned
    down is skipped, and after a correction the last one named counts."""
    t = normalise(text)
    said = [m for m in _CUISINE_RE.finditer(t)
            if not _TURNED_DOWN_BEFORE.search(t[max(0, m.start() - 24):m.start()])
            and not _TURNED_DOWN_AFTER.match(t[m.end():m.end() + 12])]
    if not said:
        return None
    return CUISINE_WORDS[(said[-1] if _CORRECTION.search(t) else said[0]).group(1)]


def in_family(cuisine: str, catalogue_cuisine: str | None) -> bool:
    """Whether a restaurant's catalogue cuisine belongs to the cuisine asked for."""
    return (catalogue_cuisine or "") in CUISINE_FAMILIES.get(cuisine, (cuisine,))


# --- dish names said in a sentence about people ("dinner with Chicken Ruby and Kemi") ----------------

def _catalogue_names() -> list[str]:
    from agents.catalogue.data import RESTAURANTS  # the bundled catalogue, already in memory

    return sorted({normalise(d[1]) for r in RESTAURANTS for d in r["dishes"]}, key=len, reverse=True)


DISH_NAMES = _catalogue_names()
_JOINERS = {"with", "and", "a", "the", "de", "du", "la", "le", "al", "ai", "of", "over", "on", "in"}
# Words of dish names that are also people's names: alone they stay a name ("dinner with Ruby").
_PERSON_LIKE = {"ruby", "suzette", "frankie", "wellington", "royal", "festival", "margherita", "parm"}
DISH_WORDS = ({w for n in DISH_NAMES for w in re.findall(r"[a-z]+", n) if len(w) > 3} - _JOINERS - _PERSON_LIKE
              | {w for k in TYPE_WORDS for w in k.split() if len(w) > 3})
_DISH_NAME_RE = re.compile(r"\b(" + "|".join(re.escape(n) for n in DISH_NAMES) + r")\b")


def is_dish_phrase(said: str) -> bool:
    """Whether a name-like phrase is food: a catalogue dish name or part of one ("Chicken Ruby",
    "Pav Bhaji", "Jollof"), or a dish word ("Biryani")."""
    key = normalise(said)
    words = re.findall(r"[a-z]+", key)
    if not words:
        return False
    if len(words) == 1:
        return words[0] in DISH_WORDS
    return any(re.search(r"\b" + re.escape(key) + r"\b", n) for n in DISH_NAMES) or all(
        w in DISH_WORDS or w in _JOINERS for w in words)


def without_dish_names(normalised: str) -> str:
    """The text with every catalogue dish name said blanked out ("chicken ruby" -> " ")."""
    return _DISH_NAME_RE.sub(" ", normalised)
