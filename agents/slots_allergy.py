"""Allergy answers: a reply that only lists allergens ("Sesame and shellfish."), one that adds to
the list ("and also mussels"), and how bad an allergy is ("severe", "mild", "intolerance"), kept on
the profile as "allergen=severity".
"""

from __future__ import annotations

import re

from agents.slots import _ALLERGEN_RE as _ALLERGEN_WORDS_RE
from agents.slots import allergens_in, carries_on, corrects, normalise
from agents.slots_statements import QUESTION


_BUT_NOT = re.compile(r"(.+?),? but not (.+?)[.!]?")


def bare_allergens(text: str) -> list[str]:
    """A reply that only names allergens ("Sesame and shellfish."): the answer to "any allergies?"."""
    t = normalise(text)
    if "?" in t:  # "peanuts?" asks, it does not answer
        return []
    if m := _BUT_NOT.fullmatch(t):  # "tree nuts but not peanuts": the ones before "but not"
        return [a for a in bare_allergens(m.group(1)) if a not in allergens_in(m.group(2))] \
            if bare_allergens(m.group(2)) else []
    rest = _ALLERGEN_WORDS_RE.sub(" ", t)
    if re.sub(r"[\W_]+|\b(?:and|or|also|just|only|please|to|some|plus|yes)\b", "", rest):
        return []
    return allergens_in(t)


def more_allergens(text: str) -> list[str]:
    """Allergens added by a turn that carries on an allergy list ("and also mussels, I forgot those")
    or puts it right ("actually no, it's tree nuts")."""
    t = normalise(text)
    return allergens_in(t) if (carries_on(t) or corrects(t)) and not QUESTION.search(t) else []


# How bad an allergy is, as the speaker says it; kept on the profile as "allergen=severity".
SEVERITY_WORDS = (("severe", re.compile(r"\b(severe(ly)?|anaphyla\w*|epipen|deadly|serious(ly)?|life.threatening)\b")),
                  ("mild", re.compile(r"\b(mild(ly)?|slight(ly)?|a (little|bit))\b")),
                  ("intolerance", re.compile(r"\bintoleran(t|ce)\b")))


def severity_in(text: str) -> str | None:
    """"severe" / "mild" / "intolerance" when the utterance says so, else None."""
    t = text.lower()
    return next((name for name, pattern in SEVERITY_WORDS if pattern.search(t)), None)


def severity_of(profile: dict) -> dict[str, str]:
    """Allergen -> severity from the profile's ``allergy_severity`` ("peanut=severe" entries)."""
    return dict(entry.split("=", 1) for entry in profile.get("allergy_severity") or () if "=" in entry)


# "My husband is allergic to nuts, but not me, mine is celery": the speaker's allergy said against a
# relative's, the allergy word only in the relative's clause (dropped as not the speaker's).
_MINE_IS = re.compile(r"\b(?:moi,? c'est|pour moi,? c'est|chez moi,? c'est|for me,? it'?s|mine is|mine'?s|"
                      r"me,? it'?s|with me,? it'?s)\s+([^.;!?]*)")


def contrasted_allergens(text: str, own: str) -> list[str]:
    """Allergens of the speaker's "mine is X" when ``text`` speaks of allergies and ``own`` (its
    clauses about the speaker) dropped a relative's: "mon mari est allergique aux noix, moi c'est le céleri"."""
    t, mine = normalise(text), normalise(own)
    if t == mine or not re.search(r"allerg|intoleran", t):
        return []
    m = _MINE_IS.search(mine)
    return allergens_in(m.group(1)) if m else []
