"""Travel agent: suggests a neighbourhood and hotel in one of the five cities, from the graph."""

from __future__ import annotations

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.culture import style_for
from agents.slots import city_in, travel_tags


def pick(stays: list[dict], tags: list[str]) -> list[dict]:
    """Stays ordered by how many requested tags they match; budget/luxury also sort by price."""
    ordered = sorted(stays, key=lambda s: -len(set(tags) & set(s["tags"])))
    if "budget" in tags:
        ordered = sorted(ordered, key=lambda s: s["price"])
    elif "luxury" in tags:
        ordered = sorted(ordered, key=lambda s: -s["price"])
    return ordered


class TravelAgent:
    """Where to stay: neighbourhood, hotel, nightly price in the local currency."""

    name = "travel"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile = await ctx.graph.get_user(req.user_id) or {}
        name = city_in(req.text) or profile.get("home_city")
        city = await ctx.graph.get_city(name) if name else None
        style = style_for(profile, city, req.voice_profile)
        context = T.cultural_context(city, req.voice_profile, style)
        if city is None:
            text = T.say("unknown_city", style, city=name) if name else T.say("travel_no_city", style)
            return AgentReply(self.name, text, context)
        stays = pick(await ctx.graph.find_stays(city["name"]), travel_tags(req.text))
        return AgentReply(self.name, self._text(city, stays, style), context,
                          tuple(self._item(s, city) for s in stays[:2]))

    def _text(self, city: dict, stays: list[dict], style) -> str:
        best, alt = stays[0], stays[1] if len(stays) > 1 else None
        same = alt and alt["neighbourhood"] == best["neighbourhood"]  # don't name the area twice
        more = T.say("travel_more_same" if same else "travel_more", style, neighbourhood=alt["neighbourhood"],
                     hotel=alt["name"], price=T.money(alt["price"], city, style)) if alt else ""
        return T.say("travel", style, city=city["name"], neighbourhood=best["neighbourhood"], hotel=best["name"],
                     price=T.money(best["price"], city, style), why=best["why"], more=more)

    def _item(self, stay: dict, city: dict) -> dict:
        return {"kind": "stay", "id": stay["id"], "name": stay["name"], "neighbourhood": stay["neighbourhood"],
                "price": stay["price"], "currency": city["currency"]}
