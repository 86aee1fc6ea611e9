"""Food agent: dish recommendations (and simple orders) from the catalogue in the graph.

Safety: the user's declared allergies, plus anything the utterance asks to avoid, are a hard
filter inside the Cypher query *and* re-checked here against each dish's ingredients
(``is_safe``) before anything is said.  Diets are hard filters too; spice and budget are soft.
"""

from __future__ import annotations

import re
from collections import Counter

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest, user_and_city
from agents.catalogue.data import INGREDIENTS
from agents.providers.graph import DishQuery
from agents.slots import avoided_in_request, budget, diet_changes, normalise, spice_range

ORDER_WORDS = re.compile(r"\b(order|i'?ll have|i will have|get me the|i'?ll take|i want the)\b")
STOP = {"with", "and", "the", "a", "of", "du"}


def is_safe(dish: dict, allergies) -> bool:
    """Final check: no declared allergen among the dish's allergens or its ingredients' allergens."""
    banned = set(allergies)
    from_ingredients = {INGREDIENTS.get(i, (None, None))[0] for i in dish.get("ingredients") or []}
    return not (banned & set(dish.get("allergens") or []) or banned & from_ingredients)


def hard_filters(profile: dict, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(allergies, diets) for this request: the profile's plus what the utterance adds."""
    allergies = dict.fromkeys(profile.get("allergies", []) + avoided_in_request(text))
    diets = dict.fromkeys(profile.get("diets", []) + diet_changes(text)[0])
    return tuple(allergies), tuple(diets)


def rank(dishes: list[dict], text: str) -> list[dict]:
    """Order candidates by what the speaker asked for: spicy first, cheapest, or priciest."""
    wants_spicy = spice_range(text)[0] > 0
    b = budget(text)
    key = {"low": lambda d: d["price"], "high": lambda d: -d["price"]}.get(b, lambda d: -d["rating"])
    ranked = sorted(dishes, key=key)
    return sorted(ranked, key=lambda d: -d["spice"]) if wants_spicy else ranked


def describe(dish: dict, city: dict) -> str:
    return f"{dish['name']} at {dish['restaurant']} in {dish['neighbourhood']} ({T.money(dish['price'], city)})"


def item(dish: dict, city: dict) -> dict:
    return {"kind": "dish", "id": dish["id"], "name": dish["name"], "restaurant": dish["restaurant"],
            "price": dish["price"], "currency": city["currency"], "allergens": list(dish["allergens"])}


def _name_words(name: str) -> set[str]:
    return set(re.findall(r"[a-z]+", normalise(name))) - STOP


def match_dish(text: str, dishes: list[dict]) -> dict | None:
    """The dish the speaker names ("the jollof"): a word unique to one dish's name, or most of its name."""
    said = set(re.findall(r"[a-z]+", normalise(text)))
    names = {d["id"]: _name_words(d["name"]) for d in dishes}
    counts = Counter(w for ws in names.values() for w in ws)

    def score(d: dict) -> float:
        ws = names[d["id"]]
        unique = {w for w in ws & said if counts[w] == 1 and len(w) > 3}
        return 2 * len(unique) + len(ws & said) / len(ws)

    best = max(dishes, key=score, default=None)
    return best if best and score(best) >= 2 else None


class FoodAgent:
    """Recommends safe dishes in the city in play; records an order when asked."""

    name = "food"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, city_name, city = await user_and_city(req, ctx)
        if city is None:
            text = T.say("unknown_city", city=city_name) if city_name else T.say("no_city")
            return AgentReply(self.name, text, T.cultural_context(None, req.voice_profile))
        allergies, diets = hard_filters(profile, req.text)
        if ORDER_WORDS.search(normalise(req.text)):
            ordered = await self._order(req, ctx, city, allergies, diets)
            if ordered is not None:
                return ordered
        return await self._recommend(req, ctx, city, allergies, diets)

    async def _recommend(self, req, ctx, city, allergies, diets) -> AgentReply:
        lo, hi = spice_range(req.text)
        q = DishQuery(city["name"], allergies, diets, lo, hi)
        found, key = await ctx.graph.find_dishes(q), "food"
        if not found and (lo, hi) != (0, 3):
            found, key = await ctx.graph.find_dishes(DishQuery(city["name"], allergies, diets)), "food_relaxed"
        dishes = rank([d for d in found if is_safe(d, allergies)], req.text)[:3]
        return self._recommendation(req, city, dishes, allergies, diets, key)

    def _recommendation(self, req, city, dishes, allergies, diets, key) -> AgentReply:
        context = T.cultural_context(city, req.voice_profile)
        if not dishes:
            why = f" your {T.diet_words(diets)} diet" if diets else ""
            why += f" without {T.allergen_words(allergies)}" if allergies else ""
            return AgentReply(self.name, T.say("food_none", city=city["name"], why=why), context)
        more = [f"{d['name']} ({T.money(d['price'], city)})" for d in dishes[1:]]
        text = T.say(key, city=city["name"], first=describe(dishes[0], city),
                     more=f" Or {T.listing(more)}." if more else "", safety=T.safety_note(allergies))
        return AgentReply(self.name, text, context, tuple(item(d, city) for d in dishes))

    async def _order(self, req, ctx, city, allergies, diets) -> AgentReply | None:
        menu = await ctx.graph.find_dishes(DishQuery(city["name"]))
        dish = match_dish(req.text, menu)
        if dish is None:
            return None
        context = T.cultural_context(city, req.voice_profile)
        if not is_safe(dish, allergies):
            return self._refuse(dish, menu, city, allergies, diets, context)
        await ctx.graph.record_order(req.user_id, dish["id"], req.session_id)
        text = T.say("food_ordered", dish=dish["name"], restaurant=dish["restaurant"],
                     price=T.money(dish["price"], city), safety=T.safety_note(allergies, "It's"))
        return AgentReply(self.name, text, context, (item(dish, city) | {"ordered": True},))

    def _refuse(self, dish, menu, city, allergies, diets, context) -> AgentReply:
        """Decline an order that contains a declared allergen; offer a safe alternative."""
        bad = [a for a in dish["allergens"] if a in allergies]
        alt = [d for d in menu if is_safe(d, allergies) and all(x in d["diets"] for x in diets)]
        alternative = f"How about {describe(alt[0], city)} instead?" if alt else ""
        text = T.say("food_unsafe", dish=dish["name"], allergens=T.allergen_words(bad), alternative=alternative)
        return AgentReply(self.name, text.strip(), context, tuple(item(d, city) for d in alt[:1]))
