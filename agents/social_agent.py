"""Social agent: a place every member of a group can eat at; friends; sharing recommendations.

A group is the speaker plus the friends they name ("dinner with Kemi and Tunde"; see
``agents.friends``).  Everyone's allergies and diets together are hard filters: pre-filtered
in the query, decided by ``agents.safety``, exactly as for one person.  The outside (MCP) restaurants
whose dishes were offered to the speaker lately come first, when one has dishes safe for everyone:
decided from their ingredients alone, as every outside dish (agents/providers/mcp_offers.py), and
the reply says nothing of seating, which no outside server tells.  A name that is not a friend gets a clear
reply instead of a guess.  Friend edits, "share that with Kemi" and "what did my friends
share?" are answered here too; unseen shares are mentioned in the next group reply.
"""

from __future__ import annotations

from agents import friends as F
from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.city_in_play import user_and_city
from agents.culture import style_for
from agents import safety
from agents.food_agent import hard_filters, health_first
from agents.providers import mcp_offers as offers
from agents.providers.graph import DishQuery
from agents.slots import group_size
from agents.slots_social import asks_friend_list, asks_shared, share_targets


def group_filters(profile: dict, members: list[dict], text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(allergies, diets) of everyone at the table: the speaker's (and the request's) plus each member's."""
    allergies, diets = hard_filters(profile, text)
    for m in members:
        member_allergies, member_diets = hard_filters(m, "")  # a member's unsettled guesses too
        allergies += tuple(a for a in member_allergies if a not in allergies)
        diets += tuple(d for d in member_diets if d not in diets)
    return allergies, diets


def outside_choice(offered: list[dict], allergies, diets) -> list[dict]:
    """Up to two dishes of the first outside restaurant (in ``offered``'s order) with dishes safe
    for everyone; [] when none has."""
    by_place: dict[str, list[dict]] = {}
    for d in offered:
        by_place.setdefault(d.get("restaurant_id") or d["restaurant"], []).append(d)
    return next((safe[:2] for dishes in by_place.values() if (safe := safety.safe_only(dishes, allergies, diets))), [])


def party_size(text: str, members: list[dict]) -> int:
    """The size said ("table for six"), at least the speaker plus the named friends; 4 if nothing tells."""
    said = group_size(text, default=0)
    return max(said, len(members) + 1) if said or members else 4


class SocialAgent:
    """Finds a place for a group in the city in play; manages friends and shares."""

    name = "social"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, city_name, city = await user_and_city(req, ctx)
        style = style_for(profile, city, req.voice_profile)
        context = T.cultural_context(city, req.voice_profile, style)
        people = await self._people(req, ctx, profile, style)
        if people is not None:
            return AgentReply(self.name, people[0], context, people[1])
        if city is None:
            text = T.say("unknown_city", style, city=city_name) if city_name else T.say("no_city", style)
            return AgentReply(self.name, text, context)
        members, unknown = await F.group_members(ctx, req.user_id, req.text)
        if unknown:
            return AgentReply(self.name, F.not_friends(unknown, style), context)
        reply = await self._group(req, ctx, profile, city, members, style, context)
        news = await F.inbox(ctx, profile, style, unseen_only=True) if profile else ""
        return AgentReply(reply.agent, f"{news} {reply.text}".strip(), context, reply.items, awaiting=reply.awaiting)

    async def _people(self, req, ctx, profile, style) -> tuple[str, tuple] | None:
        """Friend edits, the friend list, shares and the share inbox; None for a group request."""
        if asks_shared(req.text) and profile:
            return await F.inbox(ctx, profile, style), ()
        targets = share_targets(req.text)
        if targets:
            return await F.share_last(ctx, req, targets, style)
        edited = await F.edit_friends(ctx, req.user_id, req.text, style)
        if edited is not None:
            return edited, ()
        if asks_friend_list(req.text):
            names = [f["name"] for f in await ctx.graph.friends_of(req.user_id)]
            return (T.say("friends_list", style, names=T.listing(names, style)) if names
                    else T.say("friends_none", style)), ()
        return None

    async def _group(self, req, ctx, profile, city, members, style, context) -> AgentReply:
        if asked := health_first(self.name, profile, city, req, style):  # the speaker's own, unsettled
            return asked
        size = party_size(req.text, members)
        allergies, diets = group_filters(profile, members, req.text)
        outside = outside_choice(await offers.offered(ctx.graph, req.user_id, city["name"]), allergies, diets)
        if outside:
            return self._outside(size, city, outside, allergies, members, style, context)
        for place in await ctx.graph.find_group_places(city["name"], size):
            q = DishQuery(city["name"], allergies, diets, restaurant_ids=(place["id"],))
            dishes = safety.safe_only(await ctx.graph.find_dishes(q), allergies, diets)[:2]
            if dishes:
                text = self._text(size, city, place, dishes, allergies, members, style)
                return AgentReply(self.name, text, context, ({"kind": "restaurant", **place, "city": city["name"]},)
                                  + tuple(self._dish(d, city) for d in dishes))
        if members:
            why = T.say("why_diet", style, diets=T.diet_words(diets, style)) if diets else ""
            why += T.say("why_allergens", style, allergens=T.allergen_words(allergies, style)) if allergies else ""
            return AgentReply(self.name, T.say("social_none_members", style, city=city["name"],
                                               members=self._members(members, style), why=why), context)
        return AgentReply(self.name, T.say("social_none", style, city=city["name"], size=size), context)

    def _outside(self, size, city, dishes, allergies, members, style, context) -> AgentReply:
        """The plan at an outside restaurant: its name, area and dishes; no seating claim."""
        first = dishes[0]
        area = T.say("in_area", style, neighbourhood=first["neighbourhood"]) if first.get("neighbourhood") else ""
        text = T.say("social_outside", style, size=size, city=city["name"], place=first["restaurant"], area=area,
                     members=f" ({self._members(members, style)})" if members else "",
                     dishes=T.say("to_share", style, dishes=self._shared(dishes, city, style)),
                     safety=T.safety_note(allergies, style))
        place = {"kind": "restaurant", "id": first.get("restaurant_id") or first["restaurant"],
                 "name": first["restaurant"], "neighbourhood": first.get("neighbourhood", ""), "city": city["name"],
                 "source": first.get("source", "")}
        return AgentReply(self.name, text, context, (place,) + tuple(self._dish(d, city) for d in dishes))

    def _members(self, members, style) -> str:
        return T.listing([T.word("you", style)] + [m["name"] for m in members], style)

    def _text(self, size, city, place, dishes, allergies, members, style) -> str:
        shared = self._shared(dishes, city, style)
        key, extra = ("social_members", {"members": self._members(members, style)}) if members else ("social", {})
        return T.say(key, style, size=size, city=city["name"], place=place["name"],
                     neighbourhood=place["neighbourhood"], max_group=place["max_group"],
                     dishes=T.say("to_share", style, dishes=shared), safety=T.safety_note(allergies, style), **extra)

    def _shared(self, dishes, city, style) -> str:
        return T.listing([f"{d['name']} ({T.money(d['price'], city, style)})" for d in dishes], style)

    def _dish(self, d: dict, city: dict) -> dict:
        return {"kind": "dish", "id": d["id"], "name": d["name"], "price": d["price"],
                "currency": city["currency"], "allergens": list(d["allergens"])}
