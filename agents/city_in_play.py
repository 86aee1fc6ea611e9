"""Which city a request is about: the one place every agent asks (food, social, travel)."""

from __future__ import annotations

import re

from agents import travel_knowledge as K
from agents.areas import shared_area_city
from agents.base import AgentContext, AgentRequest
from agents.slots import city_in, normalise
from agents.slots_home import home_place
from agents.word_match import words_regex

# A country said ("visa for India", "food in France") -> the city we know there ("the US", never
# the pronoun "us": "somewhere for four of us").
COUNTRIES = {"india": "Mumbai", "france": "Paris", "uk": "London", "united kingdom": "London", "britain": "London",
             "england": "London", "the us": "New York", "us visa": "New York", "usa": "New York", "america": "New York",
             "united states": "New York", "nigeria": "Lagos"}
_COUNTRY_RE = words_regex(COUNTRIES)
# "food from Nigeria", "visiting from France": where something or someone comes from, not where.
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$")


def city_of(text: str, home: str | None) -> str | None:
    """The city ``text`` is about, in this order: a city named (or a district's, an airport's;
    not the one the user comes from when another is named), a landmark's, a country's (not one
    said after "from"), a home just declared, a name London and New York share ("Soho": the
    home's if it has one), else ``home``."""
    named = city_in(K.without_landmark_names(text)) or next((c for c in K.CITIES if K.landmark_in(c, text)), None)
    if named:
        return named
    t = normalise(text)
    country = next((COUNTRIES[m.group(1)] for m in _COUNTRY_RE.finditer(t) if not _FROM_BEFORE.search(t[:m.start()])),
                   None)
    return country or home_place(text)[0] or shared_area_city(t, home) or home


async def user_and_city(req: AgentRequest, ctx: AgentContext) -> tuple[dict, str | None, dict | None]:
    """(profile or {}, city name in play, catalogue city or None): ``city_of`` the utterance, for
    the user's home."""
    profile = await ctx.graph.get_user(req.user_id) or {}
    name = city_of(req.text, profile.get("home_city"))
    city = await ctx.graph.get_city(name) if name else None
    return profile, name, city
