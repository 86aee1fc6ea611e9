"""Which city a request is about: the one named, else the user's home."""

from __future__ import annotations

from agents.areas import shared_area_city
from agents.base import AgentContext, AgentRequest
from agents.slots import city_in, normalise
from agents.slots_home import home_place


async def user_and_city(req: AgentRequest, ctx: AgentContext) -> tuple[dict, str | None, dict | None]:
    """(profile or {}, city name in play, catalogue city or None).

    The city in play is the one named in the utterance (a home just declared counts; "Soho" is the
    home's if it has one), else the user's home city.
    """
    profile = await ctx.graph.get_user(req.user_id) or {}
    home = profile.get("home_city")
    name = city_in(req.text) or home_place(req.text)[0] or shared_area_city(normalise(req.text), home) or home
    city = await ctx.graph.get_city(name) if name else None
    return profile, name, city
