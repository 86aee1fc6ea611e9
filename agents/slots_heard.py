"""Health words as a speech recogniser writes them ("hallal", "pesca tarian", "glutton free",
"see liac", "muscles"): each maps to the word it stands for, so the diet and allergen word lists
of ``agents.slots`` read them as that word.  Only spellings that can mean nothing else in a
health statement are here; a made-up near-miss ("I'm seliac") is still read back and asked.
"""

from __future__ import annotations

HEARD_AS = {
    "hallal": "halal", "halaal": "halal",
    "cosher": "kosher", "kosha": "kosher",
    "pesca tarian": "pescatarian", "pesce tarian": "pescatarian", "pesca-tarian": "pescatarian",
    "glutton free": "gluten free", "glutton-free": "gluten-free", "gluton free": "gluten free",
    "see liac": "coeliac", "see-liac": "coeliac", "sea liac": "coeliac",
    "muscles": "mussels", "muscle": "mussel",
    "pesky tarian": "pescatarian", "pesky-tarian": "pescatarian", "glue ten free": "gluten free",
    "glue-ten free": "gluten free", "glue ten": "gluten", "lack toes": "lactose", "lack-toes": "lactose",
    "see same": "sesame", "see-same": "sesame", "shell fish": "shellfish", "shell-fish": "shellfish",
}
# The coeliac words among them, for the rules that read "I'm coeliac" as an allergy.
HEARD_COELIAC = tuple(heard for heard, word in HEARD_AS.items() if word == "coeliac")


def with_heard(words: dict) -> dict:
    """``words`` plus each recogniser spelling of one of its keys, with that key's value."""
    return {**words, **{heard: words[word] for heard, word in HEARD_AS.items() if word in words}}
