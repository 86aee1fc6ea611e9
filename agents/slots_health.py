"""Health statements too unclear to store: a declared allergy or diet that names nothing we know
("I'm allergic to seelyak"), or a made-up word that sounds like a health word ("I'm seliac" ->
coeliac).  They are read back as a question, never stored and never ignored.
"""

from __future__ import annotations

import functools
import re

from agents.slots import (_ALLERGY_ADD, ALLERGEN_WORDS, DIET_WORDS, DISAGREES, GIVES_ILL, MAKES_ILL, allergy_changes,
                          diet_changes, normalise)
from agents.slots_background import CULTURE_KEYS
from agents.slots_statements import QUESTION

# Health words a speaker declares of themself ("I'm coeliac"); a made-up word that sounds like one
# of them ("I'm seliac") is read back as a question, never stored and never ignored.
SELF_HEALTH_WORDS = ("coeliac", "celiac", "vegetarian", "vegan", "pescatarian", "halal", "kosher", "lactose",
                     "pregnant", "jain", "gluten", "allergic", "intolerant", "sesame", "peanuts", "shellfish",
                     "dairy", "mustard", "celery", "sulphites", "lupin", "molluscs", "crustaceans")
# Ordinary words Whisper writes for a health word it does not know ("I keep halal" -> "I keep
# hell": base wrote "halal" for none of the outside evaluation's eight halal speakers): said
# where a health word belongs, they are read back, never stored.
ORDINARY_FOR = {"hell": "halal"}
_SELF_SAID = [re.compile(r"\b(?:i'?m|i am)\s+(?:an?\s+|very\s+|really\s+|quite\s+|severely\s+)?([a-z]+)"),
              re.compile(r"\b(?:i keep|i (?:eat|chop) only|i only (?:eat|chop)) ([a-z]+)"),
              re.compile(r"\b([a-z]+) (?:intolerant|allergy|free)\b"),
              re.compile(r"\b(?:allergic|allergy|allergies|intolerant|sensitive) to ([a-z]+)")]
MAX_SOUND_RATIO = 0.34  # as the transcript repair: at most a third of the sounds differ


@functools.lru_cache(maxsize=1)


def _ordinary() -> frozenset:
    """Real English words (the pinned MiniLM vocabulary); empty if unavailable."""
    try:
        from speech.transcript_fix import ordinary_words

        return ordinary_words()
    except Exception:  # noqa: BLE001 - without the list, no guessing (the plain read-back still works)
        return frozenset()


def misheard_health(text: str) -> tuple[str, str] | None:
    """(word heard, health word it sounds like) when the speaker seems to declare a health fact
    with a word we do not know ("I'm seliac" -> ("seliac", "coeliac")); else None."""
    from speech.transcript_fix import edit_distance, sound_spelling

    ordinary, known = _ordinary(), set(SELF_HEALTH_WORDS) | set(DIET_WORDS) | set(ALLERGEN_WORDS)
    if not ordinary or QUESTION.search(normalise(text)):
        return None
    capitalised = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", text)}  # "I'm Celia": a name
    t = normalise(text)
    for m in (m for pattern in _SELF_SAID for m in pattern.finditer(t)):
        heard = m.group(1)
        if heard in ORDINARY_FOR:
            return heard, ORDINARY_FOR[heard]
        if len(heard) < 4 or heard in known or heard in ordinary or heard in CULTURE_KEYS or heard in capitalised:
            continue
        sound = sound_spelling(heard)
        scored = sorted((edit_distance(sound, sound_spelling(w)) / max(len(sound), len(sound_spelling(w))), w)
                        for w in SELF_HEALTH_WORDS)
        if scored[0][0] <= MAX_SOUND_RATIO:
            return heard, scored[0][1]
    return None


_REFUSES = r"(?:don'?t|do not|never) eat"
# A declaration of something the speaker cannot eat, whatever follows it.
_DECLARES = re.compile(r"(?:allergic to|allerg(?:y|ies) to|i have an? [a-z ]*allergy|intolerant|intolerance|"
                       r"can'?t eat|cannot eat|can'?t have|react(?:s)? badly|sensitive to|my diet is|"
                       r"i'?m on an? [a-z]+ diet|" + "|".join((_REFUSES, MAKES_ILL, GIVES_ILL, DISAGREES)) + ")")
_REFUSED = re.compile(r"\b" + _REFUSES + r" (.+)")
# What follows "don't eat" that is no food: an amount, a time or place, or a pronoun for a food
# named in another clause ("eggs, I don't eat them").
_NOT_A_FOOD = re.compile(r"(?:much|a lot|enough|anything|out|late|early|after|before|at|in|on|with|breakfast|lunch|"
                         r"dinner|here|there|that|this|it|them|those|these|any)\b")


def unclear_health(text: str) -> str | None:
    """What was heard when the speaker declares an allergy or diet but nothing known is extracted
    ("I'm allergic to seelyak" -> "seelyak"), so the reply can read it back and ask; else None.

    Clause by clause: a diet understood in one clause does not cover a declaration in another
    ("I eat fish but no meat, and that's make me ill" stored the diet and asked nothing)."""
    t = normalise(text)
    if not _DECLARES.search(t) or QUESTION.search(t):
        return None
    added, _, none_declared = allergy_changes(text)
    if added or none_declared or re.search(r"\bno longer\b|\bnot allergic\b|\bremove\b", t):
        return None
    for clause in (c.strip(" ,") for c in re.split(r"[,.;!?]", t)):
        if not _DECLARES.search(clause) or diet_changes(clause)[0]:
            continue
        if re.search(r"\b(spicy|spice|hot food|chilli|chillies)\b", clause):  # a taste, not a health fact
            continue
        refused = _REFUSED.search(clause)
        if refused and _NOT_A_FOOD.match(refused.group(1)):  # "I don't eat much"
            continue
        m = refused or _ALLERGY_ADD.search(clause)
        return re.sub(r"^(?:and|so|but|also) ", "", (m.group(1) if m else clause).strip(" ,")) or clause
    return None


def health_question(text: str) -> tuple[str, str | None] | None:
    """What to read back before storing a health fact: (what was heard, the health word it may be,
    or None), or None when the statement was understood."""
    return misheard_health(text) or ((heard, None) if (heard := unclear_health(text)) else None)
