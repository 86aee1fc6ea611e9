"""Where the speaker lives: (home city, neighbourhood) from "I live in Peckham", "I'm from Lagos",
"my flat's in Yaba"; a neighbourhood or borough named as home gives its city and is kept.  Places
of work, past homes and visits are not home.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from agents.areas import AMBIGUOUS, AREAS, BOROUGHS, CITY_ALIASES, place_sounding_like, places_in
from agents.slots import normalise
from agents.slots_background import is_culture
from agents.slots_statements import statements_only
from agents.word_match import words_regex
from agents.world_cities import is_world_city, is_world_place

# Every place name we know: an answer made only of these is a bare place ("Mumbai, Andheri").
_AREA_WORDS = words_regex(list(AREAS) + list(CITY_ALIASES))
# "I live in ...", "I'm from ...", and a bare "from <known place>".
_HOME = [re.compile(p) for p in (
    r"(?:i live in|i'?ve lived in|i have lived in|i'?ve been living in|i have been living in|i'm living in|i am living in|i live at|i live near|i live around|based in|based out of|"
    r"moved to|moved from [a-z' -]+? to|moving to|home city (?:is|to)|home is|my city is|my area is|my neighbourhood is|"
    r"my neighborhood is|i'm staying in|i am staying in|relocated to|i stay in|j'habite a|j'habite en|"
    r"j'habite dans|je vis a|(?<!i'm )(?<!i am )living in)\s+(.+)",
    r"(?:i'm from|i am from|i come from)\s+(.+)",
    r"\bfrom\s+(?:the\s+)?(" + "|".join(sorted(list(CITY_ALIASES) + list(AREAS), key=len, reverse=True)) + r")\b")]
# Words that say a known place is where the speaker lives, however it is phrased
# ("my flat's in Yaba", "I dey Lekki", "Bandra mein rehta hoon", "I'm in Camden").
# "Sorry, I meant Powai" puts right the place just given.
_HOME_WORDS = re.compile(r"\b(?:live|lives|living|stay|staying|flat|house|apartment|home|based|moved|move|"
                         r"dey|rehta|rehti|rehte|ghar|i'?m in|i am in|now in|reside|settled|i meant)\b")
# A clause about work or a past home names a place that is not home now ("Andheri is where I work",
# "I was in Stratford at first").
_NOT_HOME = re.compile(r"\b(?:i work(?! from home)|work(?:ing)? (?:in|at|near)|where i work|my (?:office|job|work)|"
                       r"office is|i used to|used to live|i lived|i was (?:in|living|staying|based)|at first|"
                       r"previously|before that|first (?:in|at)|born(?! and (?:raised|bred)))\b")  # "Lagos born": a birthplace ("born and raised" is home)
# ("I work in Mumbai and live in Powai": the "and" before a home verb starts a clause about home.)
_CLAUSE_END = re.compile(r"[,.;!?]|\bbut\b|\band (?=(?:i )?(?:now )?(?:live|stay|reside)\b)")
# A visit is not a home ("staying in Paris for a week", "a trip to Lagos").
_VISIT = re.compile(r"\b(?:visit|visiting|trip|holiday|vacation|travel|travelling|traveling|for (?:a|one|two|three|"
                    r"the|\d+) (?:night|nights|day|days|week|weeks|weekend)|this weekend|hotel|conference|coming to|"
                    r"next (?:week|month|year))\b")
# A correction: the place said last is the one meant ("Ikeja, actually no, I moved to Yaba").
_CORRECTION = re.compile(r"\b(?:no|sorry|pardon|actually|i mean|i meant|rather|not anymore|used to|old place|moved)\b|, well,")
# A place right after a correction word is the one meant ("no, Astoria, I keep saying Harlem",
# "Montmartre, pardon, Pigalle"), whatever is named after it; so is the place said to be the exact
# one ("Kentish Town technically, but people call it Camden").
_FIXED_BEFORE = re.compile(r"\b(?:no|sorry|pardon|enfin|i mean|i meant|or rather|actually|technically)\W+$")
# A turn that opens by putting right what was said ("no wait, it's Khar"): the place in it is home.
_CORRECTS = re.compile(r"^\W*(?:no|wait|sorry|pardon|enfin|oops|actually|i mean|i meant|or rather)\b")
_EXACT_AFTER = re.compile(r"[a-z' -]*?\btechnically\b")
# A place denied: "it's Peckham not Brixton".
_DENIED_BEFORE = re.compile(r"\bnot (?:in |the )?$")


def home_place(text: str, answering: bool = False) -> tuple[str | None, str | None]:
    """(home city, neighbourhood) the speaker says they live in: "I live in Peckham" -> London,
    Peckham; "I'm from Lagos" -> Lagos, None; an unknown place's capitalised words as the city.
    ``answering``: the utterance answers "where do you live?", so a bare place counts too."""
    raw = statements_only(text)  # "Where should I stay in Paris?" says nothing about home
    t = normalise(raw)
    places = _home_places(t)
    fixed = [p for p in places if _FIXED_BEFORE.search(t[:p[0]]) or _EXACT_AFTER.match(t, p[0])][-1:]
    if fixed and not _VISIT.search(t):
        return _pick(fixed + places)
    for pattern in _HOME[:2]:  # "I live in ...", "I'm from ...": the place said after it
        m = pattern.search(t)
        if not m or ("stay" in m.group(0) and _VISIT.search(t[m.start():])):  # "staying in Paris for a week"
            continue
        said = [p for p in places if p[0] >= m.start(1)]
        if said:
            return _pick(said if not _CORRECTION.search(t[m.start(1):]) else said[::-1][:1] + said)
        return _capitalised_place(raw, m.start(1)), None
    if places and not _VISIT.search(t) and (_HOME_WORDS.search(t) or answering or _only_places(t) or _CORRECTS.match(t)):
        return _pick(places[::-1] if _CORRECTION.search(t) else places)
    m = _HOME[2].search(t)  # "Tunde from Lagos": where they are from, when nothing says where they live
    said = [p for p in places if p[0] >= m.start()] if m else []
    return _pick(said) if said else (None, None)


def _home_places(t: str) -> list[tuple[int, str, str | None]]:
    """The places named in ``t`` outside clauses about work or a past home."""
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(t)] + [len(t)]
    away = [(a, b) for a, b in zip(cuts, cuts[1:]) if _NOT_HOME.search(t[a:b]) or _VISIT.search(t[a:b])]
    return [p for p in places_in(t) if not any(a <= p[0] < b for a, b in away) and not _DENIED_BEFORE.search(t[:p[0]])]


def _pick(places: list[tuple[int, str, str | None]]) -> tuple[str, str | None]:
    """The first place of ``places`` (its city), with a neighbourhood of that city if one is named."""
    city = places[0][1]
    at, hood = next(((at, h) for at, c, h in places if h and c == city), (0, None))
    inside = [h for pos, c, h in places if c == city and h and h not in BOROUGHS and pos > at]
    return city, inside[0] if hood in BOROUGHS and inside else hood  # "Brooklyn, Williamsburg": Williamsburg


def _only_places(t: str) -> bool:
    """The utterance is just places ("Mumbai, Andheri"): an answer to "where do you live?"."""
    rest = _AREA_WORDS.sub(" ", t)
    return not re.sub(r"[\W_]+|\b(?:in|the|and|no|yes|it's|side|now|please)\b", "", rest)


def _capitalised_place(raw: str, start: int) -> str | None:
    """A place name not in the catalogue: the capitalised words at ``start`` of the raw text."""
    m = re.match(r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)", raw[start:])
    if not m or is_culture(m.group(1)) or normalise(m.group(1)) in AMBIGUOUS:  # "Chelsea": which city?
        return None
    return m.group(1)


# The cities the catalogue has places in.
CATALOGUE_CITIES = frozenset(CITY_ALIASES.values())


def unknown_home(city: str | None) -> bool:
    """Is ``city`` a home no one could recommend in, nor name without saying where it is: neither
    a catalogue city nor a city anywhere (``is_world_city``: "Corridan", Whisper's Croydon;
    "Auburn" for Ogba; a country, "Egypt" for Agege)?  Stored as said, the product would answer
    every request with "I don't have places in Corridan", so it asks which city."""
    return bool(city) and city not in CATALOGUE_CITIES and not is_world_city(city)


class HomeGuess(NamedTuple):
    """A home place heard but not known, and the known place it sounds like."""

    heard: str  # "lucky"
    city: str  # "Lagos"
    neighbourhood: str | None  # "Lekki"


# Where a home place is said: "I live in ...", "I'm from ...", "my flat is in ...".
_HOME_SAID = _HOME[:2] + [re.compile(r"\b(?:flat|house|apartment|home)(?:'s| is) in\s+(.+)")]
# Words that start a description, not a place name ("I live in a flat", "in the city centre").
_NOT_A_NAME = re.compile(r"(?:a|an|the|my|our|this|that|here|there|it|some|one)\b")


def home_heard_as(text: str) -> HomeGuess | None:
    """A home place said but not known that sounds like one we know: "I live in Lucky" ->
    ("lucky", Lagos, Lekki).  None when the place is known, is a real town elsewhere ("Houston"),
    or sounds like nothing we know.  Whisper mishears the neighbourhoods of Lagos and Mumbai as
    English words; the product asks rather than store a city that does not exist."""
    raw = statements_only(text)
    t = normalise(raw)
    for pattern in _HOME_SAID:
        m = pattern.search(t)
        if not m:
            continue
        start = max((c.end() for c in _CLAUSE_END.finditer(t, 0, m.start(1))), default=0)
        place = _CLAUSE_END.split(m.group(1), maxsplit=1)[0]
        if _VISIT.search(place) or _NOT_HOME.search(t[start:m.start(1)]):  # a visit, a past home, work
            continue
        said = place.split(" and ")[0].split()[:3]
        if not said or _NOT_A_NAME.match(" ".join(said)) or places_in(" ".join(said)):
            return None
        for n in range(len(said), 0, -1):  # "Pandra West" before "Pandra"
            heard = " ".join(said[:n])
            if is_world_place(heard) or is_culture(heard):
                return None
            if place := place_sounding_like(heard):
                return HomeGuess(heard, *place)
        return None
    return None
