"""Social agent: a restaurant that seats the group, with dishes to share that are safe for the user."""

from __future__ import annotations

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest, user_and_city
from agents.food_agent import hard_filters, is_safe
from agents.providers.graph import DishQuery
from agents.slots import group_size


class SocialAgent:
    """Finds a place for a group in the city in play."""

    name = "social"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, city_name, city = await user_and_city(req, ctx)
        if city is None:
            text = T.say("unknown_city", city=city_name) if city_name else T.say("no_city")
            return AgentReply(self.name, text, T.cultural_context(None, req.voice_profile))
        size = group_size(req.text)
        allergies, diets = hard_filters(profile, req.text)
        context = T.cultural_context(city, req.voice_profile)
        for place in await ctx.graph.find_group_places(city["name"], size):
            q = DishQuery(city["name"], allergies, diets, restaurant_ids=(place["id"],))
            dishes = [d for d in await ctx.graph.find_dishes(q) if is_safe(d, allergies)][:2]
            if dishes:
                return AgentReply(self.name, self._text(size, city, place, dishes, allergies), context,
                                  ({"kind": "restaurant", **place},) + tuple(self._dish(d, city) for d in dishes))
        return AgentReply(self.name, T.say("social_none", city=city["name"], size=size), context)

    def _text(self, size, city, place, dishes, allergies) -> str:
        shared = T.listing([f"{d['name']} ({T.money(d['price'], city)})" for d in dishes])
        return T.say("social", size=size, city=city["name"], place=place["name"],
                     neighbourhood=place["neighbourhood"], max_group=place["max_group"],
                     dishes=f"Good to share: {shared}.", safety=T.safety_note(allergies))

    def _dish(self, d: dict, city: dict) -> dict:
        return {"kind": "dish", "id": d["id"], "name": d["name"], "price": d["price"],
                "currency": city["currency"], "allergens": list(d["allergens"])}
