"""Food agent: dish recommendations (and simple orders) from the catalogue in the graph.

Safety: the user's declared allergies, plus anything the utterance asks to avoid, are a hard
filter inside the Cypher query *and* re-checked here against each dish's ingredients
(``is_safe``) before anything is said.  Diets are hard filters too; spice and budget are soft.
"""

from __future__ import annotations

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest, user_and_city
from agents.catalogue.data import INGREDIENTS
from agents.culture import style_for
from agents.dish_match import candidates, match_dish
from agents.providers.graph import DishQuery
from agents.slots import ORDER_WORDS, avoided_in_request, budget, diet_changes, normalise, spice_range

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
        return await self._recommend(req, ctx, city, allergies, diets, style)

    async def _recommend(self, req, ctx, city, allergies, diets, style) -> AgentReply:
        lo, hi = spice_range(req.text)
        q = DishQuery(city["name"], allergies, diets, lo, hi)
        found, key = await ctx.graph.find_dishes(q), "food"
        if not found and (lo, hi) != (0, 3):
            found, key = await ctx.graph.find_dishes(DishQuery(city["name"], allergies, diets)), "food_relaxed"
        dishes = rank([d for d in found if is_safe(d, allergies)], req.text)[:3]
        return self._recommendation(req, city, dishes, allergies, diets, key, style)

    def _recommendation(self, req, city, dishes, allergies, diets, key, style) -> AgentReply:
        context = T.cultural_context(city, req.voice_profile, style)
        if not dishes:
            why = T.say("why_diet", style, diets=T.diet_words(diets, style)) if diets else ""
            why += T.say("why_allergens", style, allergens=T.allergen_words(allergies, style)) if allergies else ""
            return AgentReply(self.name, T.say("food_none", style, city=city["name"], why=why), context)
        more = [f"{d['name']} ({T.money(d['price'], city, style)})" for d in dishes[1:]]
        text = T.say(key, style, city=city["name"], first=describe(dishes[0], city, style),
                     more=T.say("or_more", style, items=T.listing(more, style)) if more else "",
                     safety=T.safety_note(allergies, style))
        return AgentReply(self.name, text, context, tuple(item(d, city) for d in dishes))

    async def _order(self, req, ctx, city, allergies, diets, style) -> AgentReply | None:
        menu = await ctx.graph.menu_names(city["name"])  # the whole menu, not the top of a search
        named = match_dish(req.text, menu)
        options = [named] if named else candidates(req.text, menu)
        if not options:
            return None
        context = T.cultural_context(city, req.voice_profile, style)
        if len({o["name"] for o in options}) > 1:  # "the suya": which one?
            return await self._which(ctx, options, city, allergies, diets, context, style)
        [dish] = await ctx.graph.get_dishes([options[0]["id"]])
        if not is_safe(dish, allergies):
            return await self._refuse(ctx, dish, city, allergies, diets, context, style)
        await ctx.graph.record_order(req.user_id, dish["id"], req.session_id)
        text = T.say("food_ordered", style, dish=dish["name"], restaurant=dish["restaurant"],
                     price=T.money(dish["price"], city, style), safety=T.safety_note(allergies, style, one=True))
        return AgentReply(self.name, text, context, (item(dish, city) | {"ordered": True},))

    async def _which(self, ctx, options, city, allergies, diets, context, style) -> AgentReply:
        """Several dishes fit the name: offer the safe ones (refuse if none is safe)."""
        dishes = await ctx.graph.get_dishes([o["id"] for o in options[:30]])
        safe = [d for d in dishes if is_safe(d, allergies) and all(x in d["diets"] for x in diets)][:3]
        if not safe:
            return await self._refuse(ctx, dishes[0], city, allergies, diets, context, style)
        names = [describe(d, city, style) for d in safe]
        text = T.say("food_which", style, options=T.listing(names, style, T.word("or", style)))
        return AgentReply(self.name, text + T.safety_note(allergies, style), context,
                          tuple(item(d, city) for d in safe))

    async def _refuse(self, ctx, dish, city, allergies, diets, context, style) -> AgentReply:
        """Decline an order that contains a declared allergen; offer a safe alternative (same place first)."""
        bad = [a for a in dish["allergens"] if a in allergies]
        same_place = DishQuery(city["name"], allergies, diets, restaurant_ids=(dish["restaurant_id"],), limit=5)
        found = await ctx.graph.find_dishes(same_place) or await ctx.graph.find_dishes(
            DishQuery(city["name"], allergies, diets, limit=5))
        alt = [d for d in found if is_safe(d, allergies)]
        alternative = T.say("alternative", style, dish=describe(alt[0], city, style)) if alt else ""
        text = T.say("food_unsafe", style, dish=dish["name"], allergens=T.allergen_words(bad or allergies, style),
                     alternative=alternative)
        return AgentReply(self.name, text.strip(), context, tuple(item(d, city) for d in alt[:1]))
