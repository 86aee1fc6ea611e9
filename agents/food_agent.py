"""Food agent: dish recommendations (and simple orders) from the catalogue in the graph.

Safety: the user's declared allergies and diets, plus anything the utterance asks to avoid,
are hard filters.  The Cypher query pre-filters on the dishes' stored tags; the decision is
``agents.safety.allowed`` (every ingredient's full allergen list) before anything is said.
Spice and budget are soft: when nothing fits them, the closest safe dishes are offered and
the reply says so.
"""

from __future__ import annotations

import re

from agents import safety
from agents.areas import area_in, same_area
from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest, user_and_city
from agents.culture import style_for
from agents.dish_match import asked_terms, candidates, match_dish, terms_matched
from agents.providers.graph import DishQuery
from agents.slots import (ALLERGEN_WORDS, ORDER_WORDS, _ALLERGEN_RE, avoided_in_request, budget, diet_changes,
                          normalise, spice_range)


def hard_filters(profile: dict, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(allergies, diets) for this request: the profile's plus what the utterance adds."""
    allergies = dict.fromkeys(profile.get("allergies", []) + avoided_in_request(text))
    diets = dict.fromkeys(profile.get("diets", []) + diet_changes(text)[0])
    return tuple(allergies), tuple(diets)


def forbidden_words(text: str, allergies) -> list[str]:
    """Allergen words the request asks *for* ("peanut stew") that the user must not have."""
    banned = set(safety.expand_allergies(allergies))
    if not banned:
        return []
    t = _AVOIDED.sub(" ", normalise(text))  # "without dairy" asks for no dairy
    return list(dict.fromkeys(w for w in _ALLERGEN_RE.findall(t)
                              if banned & set(safety.expand_allergies(ALLERGEN_WORDS[w]))))


# Phrases that ask for an allergen to be left out, not put in.
_AVOIDED = re.compile(r"\b(?:without|no|free of|avoid|avoiding|hold the|not)\s+[a-z ,]*?(?=[.;!?]|$|\bbut\b)"
                      r"|\b[a-z]+[- ]free\b")


def rank(dishes: list[dict], text: str, neighbourhood: str | None = None) -> list[dict]:
    """Order candidates by what the speaker asked for: spicy first, cheapest, or priciest;
    dishes in the user's own neighbourhood before the rest."""
    wants_spicy = spice_range(text)[0] > 0
    b = budget(text)
    key = {"low": lambda d: d["price"], "high": lambda d: -d["price"]}.get(b, lambda d: -d["rating"])
    ranked = sorted(dishes, key=key)
    ranked = sorted(ranked, key=lambda d: -d["spice"]) if wants_spicy else ranked
    return sorted(ranked, key=lambda d: not same_area(neighbourhood, d.get("neighbourhood"))) if neighbourhood else ranked


def describe(dish: dict, city: dict, style=None) -> str:
    """"Suya at Yellow Pepper Kitchen in Victoria Island (₦5,000)", plus the distance when known."""
    text = T.say("dish_at", style, dish=dish["name"], restaurant=dish["restaurant"],
                 neighbourhood=dish["neighbourhood"], price=T.money(dish["price"], city, style))
    return text + (f", {T.distance(dish['distance_m'], style)}" if dish.get("distance_m") is not None else "")


def item(dish: dict, city: dict) -> dict:
    return {"kind": "dish", "id": dish["id"], "name": dish["name"], "restaurant": dish["restaurant"],
            "price": dish["price"], "currency": city["currency"], "allergens": list(dish["allergens"])}


class FoodAgent:
    """Recommends safe dishes in the city in play; records an order when asked."""

    name = "food"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, city_name, city = await user_and_city(req, ctx)
        style = style_for(profile, city, req.voice_profile)
        if city is None:
            text = T.say("unknown_city", style, city=city_name) if city_name else T.say("no_city", style)
            return AgentReply(self.name, text, T.cultural_context(None, req.voice_profile, style))
        allergies, diets = hard_filters(profile, req.text)
        if ORDER_WORDS.search(normalise(req.text)):
            ordered = await self._order(req, ctx, city, allergies, diets, style)
            if ordered is not None:
                return ordered
        return await self._recommend(req, ctx, profile, city, allergies, diets, style)

    async def _recommend(self, req, ctx, profile, city, allergies, diets, style) -> AgentReply:
        """Safe dishes for what was named ("pizza"), else the closest safe ones (and the reply says
        so); spice is loosened before giving up on either."""
        lo, hi = spice_range(req.text)
        asked = tuple(asked_terms(req.text, await ctx.graph.menu_words(city["name"])))
        spices = [(lo, hi)] + ([(0, 3)] if (lo, hi) != (0, 3) else [])
        attempts = [(asked, s, "food" if s == (lo, hi) else "food_relaxed") for s in spices] if asked else []
        attempts += [((), s, "food_closest" if asked else "food" if s == (lo, hi) else "food_relaxed") for s in spices]
        safe, key = [], "food"
        for words, (s_lo, s_hi), key in attempts:
            q = DishQuery(city["name"], allergies, diets, s_lo, s_hi, name_words=words)
            safe = safety.safe_only(await ctx.graph.find_dishes(q), allergies, diets)
            if safe:
                break
        forbidden = forbidden_words(req.text, allergies)
        if forbidden:  # "peanut stew" for a peanut allergy: say that part cannot be had
            key = "food_closest"
        ranked = rank(safe, req.text, self._area(req.text, profile, city))
        dishes = sorted(ranked, key=lambda d: -terms_matched(d, asked))[:3]  # most of what was named first
        return self._recommendation(req, city, dishes, allergies, diets, key, style, forbidden or asked)

    @staticmethod
    def _area(text: str, profile: dict, city: dict) -> str | None:
        """The neighbourhood to prefer: the one the request names, else the user's own (in their city)."""
        named = area_in(normalise(text))
        if named and named[0] == city["name"]:
            return named[1]
        return profile.get("neighbourhood") if profile.get("home_city") == city["name"] else None

    def _recommendation(self, req, city, dishes, allergies, diets, key, style, asked=()) -> AgentReply:
        context = T.cultural_context(city, req.voice_profile, style)
        why = T.say("why_diet", style, diets=T.diet_words(diets, style)) if diets else ""
        why += T.say("why_allergens", style, allergens=T.allergen_words(allergies, style)) if allergies else ""
        if not dishes:
            return AgentReply(self.name, T.say("food_none", style, city=city["name"], why=why), context)
        more = [f"{d['name']} ({T.money(d['price'], city, style)})" for d in dishes[1:]]
        text = T.say(key, style, city=city["name"], first=describe(dishes[0], city, style),
                     more=T.say("or_more", style, items=T.listing(more, style)) if more else "",
                     safety=T.safety_note(allergies, style), asked=" ".join(asked), why=why)
        return AgentReply(self.name, text, context, tuple(item(d, city) for d in dishes))

    async def _order(self, req, ctx, city, allergies, diets, style) -> AgentReply | None:
        menu = await ctx.graph.menu_names(city["name"])  # the whole menu, not the top of a search
        named = match_dish(req.text, menu)
        options = [named] if named else candidates(req.text, menu)
        if not options:
            return None
        context = T.cultural_context(city, req.voice_profile, style)
        if not named or len({o["name"] for o in options}) > 1:  # "the suya", or only a guess: which one?
            return await self._which(ctx, options, city, allergies, diets, context, style)
        [dish] = await ctx.graph.get_dishes([options[0]["id"]])
        if not safety.allowed(dish, allergies, diets):
            return await self._refuse(ctx, dish, city, allergies, diets, context, style)
        await ctx.graph.record_order(req.user_id, dish["id"], req.session_id)
        text = T.say("food_ordered", style, dish=dish["name"], restaurant=dish["restaurant"],
                     price=T.money(dish["price"], city, style), safety=T.safety_note(allergies, style, one=True))
        return AgentReply(self.name, text, context, (item(dish, city) | {"ordered": True},))

    async def _which(self, ctx, options, city, allergies, diets, context, style) -> AgentReply:
        """Several dishes fit the name: offer the safe ones (refuse if none is safe)."""
        dishes = await ctx.graph.get_dishes([o["id"] for o in options[:30]])
        safe = safety.safe_only(dishes, allergies, diets)[:3]
        if not safe:
            return await self._refuse(ctx, dishes[0], city, allergies, diets, context, style)
        names = [describe(d, city, style) for d in safe]
        text = T.say("food_which", style, options=T.listing(names, style, T.word("or", style)))
        return AgentReply(self.name, text + T.safety_note(allergies, style), context,
                          tuple(item(d, city) for d in safe))

    async def _refuse(self, ctx, dish, city, allergies, diets, context, style) -> AgentReply:
        """Decline an order the safety check refuses (an allergen, a diet, unknown ingredients);
        offer a safe alternative (same place first)."""
        v = safety.verdict(dish, allergies, diets)
        same_place = DishQuery(city["name"], allergies, diets, restaurant_ids=(dish["restaurant_id"],), limit=5)
        found = await ctx.graph.find_dishes(same_place) or await ctx.graph.find_dishes(
            DishQuery(city["name"], allergies, diets, limit=5))
        alt = safety.safe_only(found, allergies, diets)
        alternative = T.say("alternative", style, dish=describe(alt[0], city, style)) if alt else ""
        if v.allergens:
            text = T.say("food_unsafe", style, dish=dish["name"], allergens=T.allergen_words(v.allergens, style),
                         alternative=alternative)
        elif v.diets_broken:
            text = T.say("food_unsafe_diet", style, dish=dish["name"], diets=T.diet_words(v.diets_broken, style),
                         alternative=alternative)
        else:
            text = T.say("food_unknown", style, dish=dish["name"], alternative=alternative)
        return AgentReply(self.name, text.strip(), context, tuple(item(d, city) for d in alt[:1]))
