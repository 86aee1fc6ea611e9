"""Food agent: dish recommendations (and simple orders) from the catalogue in the graph.

Safety: the user's declared allergies and diets, plus anything the utterance asks to avoid,
are hard filters.  The Cypher query pre-filters on the dishes' stored tags; the decision is
``agents.safety.allowed`` (every ingredient's full allergen list) before anything is said.
Spice and budget are soft: when nothing fits them, the closest safe dishes are offered and
the reply says so.  Dishes from external MCP servers offered earlier can be ordered too, and a
table booked (agents/food_booking.py).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace

from agents import health_unsure as unsure
from agents import safety
from agents.areas import area_in, shared_area_in
from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.city_in_play import user_and_city
from agents.culture import style_for
from agents.dish_match import asked_terms, candidates, match_dish, restaurant_named, terms_matched
from agents.food_booking import book_a_table, order_outside, wants_table
from agents.travel_knowledge import metres_between, within
from agents.dish_types import CUISINE_WORDS, cuisine_asked, in_family, type_asked, types_of
from agents.providers.graph import DishQuery
from agents.providers import mcp_offers as offers
from agents.providers.mcp_places import external_dishes
from agents.slots import (ALLERGEN_WORDS, NUMBERS, ORDER_WORDS, _ALLERGEN_RE, avoided_in_request, budget,
                          diet_changes, normalise, spice_range)


def hard_filters(profile: dict, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(allergies, diets) for this request: the profile's, what a health word read back and not
    yet settled may mean (``agents.health_unsure``), and what the utterance adds."""
    guessed_allergies, guessed_diets = unsure.guessed_restrictions(profile)
    allergies = dict.fromkeys(list(profile.get("allergies") or []) + guessed_allergies + avoided_in_request(text))
    diets = dict.fromkeys(list(profile.get("diets") or []) + guessed_diets + diet_changes(text)[0])
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


@dataclass(frozen=True)
class Wants:
    """What a request asks of a dish, beyond safety: each part is followed when the catalogue allows."""

    terms: tuple[str, ...] = ()        # menu words named ("jollof", "pizza")
    cuisine: str | None = None         # "Indian": a cuisine family (agents.dish_types)
    dish_type: str | None = None       # "soup", "breakfast"...
    max_level: int | None = None       # 1 (cheap) .. 4
    spice: tuple[int, int] = (0, 3)
    district: str | None = None
    high_end: bool = False
    near: tuple[float, float] | None = None  # where the district the request names is (lat, lon), if known
    district_said: bool = False  # the district is the one the request names, not the user's home's


# Heat words a request may name while asking for *no* heat ("I can't take pepper").
HEAT_WORDS = {"pepper", "peppery", "chilli", "chili", "spicy", "hot"}


def wants_of(text: str, terms, district: str | None, near: tuple[float, float] | None = None,
             district_said: bool = False) -> Wants:
    lo, hi = spice_wanted(text)
    terms = [t for t in terms if not (hi <= 1 and t in HEAT_WORDS)]
    return Wants(tuple(terms), cuisine_asked(text), type_asked(text), max_level(text), (lo, hi), district,
                 budget(text) == "high", near, district_said)


def spice_wanted(text: str) -> tuple[int, int]:
    """(min, max) spice: ``slots.spice_range`` plus pepper talk ("can't take pepper", "kam teekha", "peppery")."""
    t = normalise(text)
    if re.search(r"can'?t (take|handle|do) (pepper|spice|heat)|no pepper|kam teekha|sensitive|bland|"
                 r"pas (trop )?epice|(no|without|nothing with) (chilli|chili|pepper|spice)|not spicy at all", t):
        return 0, 1
    lo, hi = spice_range(text)
    # Pidgin "wey hot" (that is hot), Hindi "teekha", French "pimenté"/"épicé"
    if (lo, hi) == (0, 3) and re.search(r"\bteekha\b|peppery|\bwey hot|\bpimente|\bepice|spiciest", t):
        return 2, 3
    return lo, hi


# "under twenty", "under a fiver": an amount, not "under the bridge".
_AMOUNT_WORDS = r"(?:" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r"|thirty|forty|fifty|hundred)\b"


def max_level(text: str) -> int | None:
    """Highest price band (1-4) the request allows: "cheap" 1, "not too expensive" 2, "not over the top" 3;
    an amount per person ("not more than thirty euros") is read as the band it falls in."""
    t = normalise(text)
    if re.search(r"cheap|student|\bbroke\b|skint|budget|sasta|kam paisa|pas cher|low cost", t) and not re.search(
            r"not (too |that )?cheap", t):
        return 1
    if re.search(r"(?:not|nothing) (too |that |very )?(expensive|pricey|dear)|won'?t cost (too|that) much|affordable|"
                 r"(?:not|n't|never)\b[^.,;]*\bbreak the bank|"
                 r"reasonabl|moderate|mid-?range|not more than|under (?:[\d£$€₦₹]|a fiver|a tenner|" + _AMOUNT_WORDS + r")|"
                 r"pas trop cher", t):
        return 2
    if re.search(r"not over the top|not too fancy|nothing too fancy", t):
        return 3
    return None


def fit(dish: dict, w: Wants) -> int:
    """How well a safe dish follows the request (higher is better): what was named counts most,
    then the district, budget and spice asked for."""
    band = dish.get("price_band") or 1
    return (3 * terms_matched(dish, w.terms)
            + 3 * bool(w.cuisine and in_family(w.cuisine, dish.get("cuisine")))
            + 3 * bool(w.dish_type and w.dish_type in types_of(dish["name"]))
            + 2 * bool(w.district and within(w.district, dish.get("neighbourhood")))
            + 3 * (w.max_level is not None and band <= w.max_level)
            + 3 * (w.spice != (0, 3) and w.spice[0] <= dish["spice"] <= w.spice[1])
            + (w.high_end and band >= 3))


def from_district_m(dish: dict, w: Wants) -> float | None:
    """Metres from the middle of the district asked to the dish's restaurant (None: unknown)."""
    if w.near is None or dish.get("lat") is None or dish.get("lon") is None:
        return None
    return metres_between(w.near, (float(dish["lat"]), float(dish["lon"])))


def fit_then_nearness(dish: dict, w: Wants) -> float:
    """``fit``, and among equally fitting dishes outside the district the request names, the
    nearer to it: a district with nothing fitting gets the next one over, not one across town.
    Inside the district (or with none named) every dish is as near as the next."""
    if w.near is not None and within(w.district, dish.get("neighbourhood")):
        return fit(dish, w) + 1.0
    metres = from_district_m(dish, w)
    return fit(dish, w) + (0.0 if metres is None else 1 / (1 + metres / 1000))


def choose(dishes: list[dict], w: Wants, text: str, n: int = 3) -> list[dict]:
    """The ``n`` best-fitting dishes (the nearer first, outside a district named); among equally
    fitting ones a choice that depends on the request (so different requests get different
    dishes), rating next, never the same dish name twice."""
    def salt(d):
        return zlib.crc32(f"{normalise(text)}|{d['id']}".encode())
    def cheap(d):  # on a budget, the cheaper of equally fitting dishes
        return -(d.get("price_band") or 1) if w.max_level else 0
    ranked = sorted(dishes, key=lambda d: (fit_then_nearness(d, w), cheap(d), round(d.get("rating") or 0, 0), salt(d)),
                    reverse=True)
    chosen, names = [], set()
    for d in ranked:
        if d["name"] not in names:
            chosen.append(d)
            names.add(d["name"])
        if len(chosen) == n:
            break
    return chosen


def is_advice(text: str) -> bool:
    """A question about what to order or how ("what should I order at a Nigerian place?"), not an order."""
    t = normalise(text)
    return bool(re.match(r"(what|which|how|why|should|would|is|are|do|does|c'?est|qu'?est|quel|tell me|"
                         r"any (tips|advice)|recommend|suggest)\b", t)
                or re.search(r"\b(should i|what to|how to|how do i|recommend|suggest|advice|tips?)\b", t))


# Order phrasings besides ``slots.ORDER_WORDS``: "get me two vada pav", "order karo".
_MORE_ORDER = re.compile(r"\b(get me|bring me|order karo|mangwa|mangao|commande[rz]?|je prends)\b")


def wants_order(text: str) -> bool:
    t = normalise(text)
    return bool(ORDER_WORDS.search(t) or _MORE_ORDER.search(t)) and not is_advice(text)


def describe(dish: dict, city: dict, style=None) -> str:
    """"Suya at Yellow Pepper Kitchen in Victoria Island (₦5,000)", plus the distance when known."""
    text = T.say("dish_at", style, dish=dish["name"], restaurant=dish["restaurant"],
                 neighbourhood=dish["neighbourhood"], price=T.money(dish["price"], city, style))
    return text + (f", {T.distance(dish['distance_m'], style)}" if dish.get("distance_m") is not None else "")


def item(dish: dict, city: dict) -> dict:
    return {"kind": "dish", "id": dish["id"], "name": dish["name"], "restaurant": dish["restaurant"],
            "price": dish["price"], "currency": city["currency"], "allergens": list(dish["allergens"])}


# The city's menu in the columns ranking needs (no ingredient lists: cheap to fetch whole); the
# stored allergens and diets pre-filter, ``agents.safety`` decides on the full rows of the best.
_POOL = """
MATCH (c:City {name: $city})<-[:IN]-(r:Restaurant)<-[:SERVED_AT]-(d:Dish)
WHERE none(a IN d.allergens WHERE a IN $allergies) AND all(x IN $diets WHERE x IN d.diets)
RETURN d.id AS id, d.name AS name, d.spice AS spice, d.price_band AS price_band, r.cuisine AS cuisine,
       r.neighbourhood AS neighbourhood, r.rating AS rating, r.lat AS lat, r.lon AS lon
"""


async def wants_in(ctx, text: str, profile: dict, city: dict) -> tuple[tuple[str, ...], Wants]:
    """(menu words the request names, what it asks of a dish) in ``city``."""
    asked = tuple(asked_terms(text, await ctx.graph.menu_words(city["name"])))
    return asked, wants_of(text, asked, *await where_wanted(ctx, text, profile, city))


# A place named as part of a food ("agege bread", "New York cheesecake", "Lagos-style"): not where.
_PLACE_IN_FOOD = re.compile(r"\b[\w']+[ -](?:bread|style|cheesecake|sandwich|slice|bagel)s?\b")


def named_area(text: str, city: str) -> str | None:
    """The neighbourhood of ``city`` the request names as a place, if any ("Soho" in London)."""
    t = _PLACE_IN_FOOD.sub(" ", normalise(text))
    named = area_in(t)
    return named[1] if named and named[0] == city else shared_area_in(t, city)


async def where_wanted(ctx, text: str, profile: dict, city: dict) -> tuple[str | None, tuple[float, float] | None, bool]:
    """(district to prefer, where it is, whether the request names it): the district the request
    names, located at the middle of its catalogue neighbourhoods (a borough's parts too; None when
    the catalogue has no restaurant there), else the user's own in their city, never a place to
    measure from."""
    said = named_area(text, city["name"])
    if not said:
        home = profile.get("neighbourhood") if profile.get("home_city") == city["name"] else None
        return home, None, False
    points = [p for hood, p in (await ctx.graph.neighbourhood_centres(city["name"])).items() if within(said, hood)]
    near = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)) if points else None
    return said, near, True


async def safe_dishes(ctx, profile: dict, city: dict, text: str = "", n: int = 3):
    """(dishes, allergies, diets): the ``n`` safe dishes that best follow ``text`` for a user with
    ``profile`` in ``city``, as the agent picks them (the MCP server's tool)."""
    allergies, diets = hard_filters(profile, text)
    w = (await wants_in(ctx, text, profile, city))[1]
    return await FoodAgent._best(ctx, city, allergies, diets, w, text, n), allergies, diets


def health_first(agent: str, profile: dict, city: dict, req: AgentRequest, style) -> AgentReply | None:
    """The question asked before any dish while a health word we could not place is unsettled
    (``agents.health_unsure``), or while a user who has not finished onboarding has told nothing
    of their health: what can't you eat?  None when there is none."""
    profile = profile or {}
    heard, guessed, guess = unsure.unguessed(profile), unsure.misheard(profile), None
    if heard:
        key = "food_health_first" if heard[-1] else "food_health_unheard"  # "": a turn not heard at all
    elif guessed:  # a guess may be wrong ("note" read back as nuts when milk was said): asked again first
        key, (said, guess) = "food_health_guess_first", guessed[-1]
        heard = [said]
    elif not profile.get("onboarded") and not unsure.health_told(profile) and not unsure.unsure_of(profile):
        key = "food_health_untold"  # onboarding's question about allergies, never answered
    else:
        return None
    return AgentReply(agent, T.say(key, style, heard=heard[-1] if heard else "", guess=guess or ""),
                      T.cultural_context(city, req.voice_profile, style),
                      awaiting=unsure.asking_before(agent, req.text, guess))


class FoodAgent:
    """Recommends safe dishes in the city in play; records an order when asked."""

    name = "food"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, city_name, city = await user_and_city(req, ctx)
        style = style_for(profile, city, req.voice_profile)
        if city is None:
            text = T.say("unknown_city", style, city=city_name) if city_name else T.say("no_city", style)
            return AgentReply(self.name, text, T.cultural_context(None, req.voice_profile, style))
        if asked := health_first(self.name, profile, city, req, style):
            return asked
        allergies, diets = hard_filters(profile, req.text)
        if wants_table(req.text):  # at a reservations server (None: none configured, or no place named)
            booked = await book_a_table(req, ctx, city, style, T.cultural_context(city, req.voice_profile, style))
            if booked is not None:
                return booked
        if wants_order(req.text):  # advice ("what should I order?") never places an order
            ordered = await self._order(req, ctx, profile, city, allergies, diets, style)
            if ordered is not None:
                return ordered
        return await self._recommend(req, ctx, profile, city, allergies, diets, style)

    async def _recommend(self, req, ctx, profile, city, allergies, diets, style) -> AgentReply:
        """The safe dishes that best follow the request (dish or cuisine named, dish type, district,
        budget, spice); when the best ones miss what was named or the spice, the reply says so."""
        asked, w = await wants_in(ctx, req.text, profile, city)
        dishes = await self._best(ctx, city, allergies, diets, w, req.text)
        named = [CUISINE_WORDS.get(x, x) for x in (asked or ((w.cuisine,) if w.cuisine else ())) if x]  # "Indian"
        key = "food"
        if dishes and asked and not terms_matched(dishes[0], asked):
            key = "food_closest"
        elif dishes and w.cuisine and not asked and not in_family(w.cuisine, dishes[0].get("cuisine")):
            key = "food_closest"
        elif dishes and not (w.spice[0] <= dishes[0]["spice"] <= w.spice[1]):
            key = "food_relaxed"
        forbidden = forbidden_words(req.text, allergies)
        if forbidden:  # "peanut stew" for a peanut allergy: say that part cannot be had
            key = "food_closest"
        await offers.remember_offered(ctx.graph, req.user_id, req.session_id, city["name"], dishes)
        reply = self._recommendation(req, city, dishes, allergies, diets, key, style, forbidden or named, profile)
        elsewhere = self._elsewhere(w, dishes, style)
        return replace(reply, text=f"{elsewhere} {reply.text}") if elsewhere else reply

    @staticmethod
    def _elsewhere(w: Wants, dishes: list[dict], style) -> str:
        """"I have nothing in Soho that fits; the nearest is in Chinatown, 600 m away." when the
        district the request names has no dish offered (a home district is only preferred)."""
        if not dishes or not w.district_said:
            return ""
        first = dishes[0]
        if not first.get("neighbourhood") or within(w.district, first["neighbourhood"]):  # an outside dish: unknown
            return ""
        metres = from_district_m(first, w)
        if metres is None:
            return T.say("food_not_in_district", style, district=w.district)
        return T.say("food_nearest_district", style, district=w.district, neighbourhood=first["neighbourhood"],
                     distance=T.distance(metres, style))

    @staticmethod
    async def _best(ctx, city, allergies, diets, w: Wants, text: str, n: int = 3) -> list[dict]:
        """Rank the city's whole (pre-filtered) menu on its light columns, then fetch the best full rows
        and let ``agents.safety`` decide each one before it is offered.  Configured external MCP
        servers are asked first (agents/providers/mcp_places.py); their dishes pass the same check."""
        outside = safety.safe_only(await external_dishes(ctx.settings, city["name"], text) or [], allergies, diets)
        if outside:
            return choose(outside, w, text, n)
        pool = await ctx.graph.query(_POOL, {"city": city["name"], "diets": list(diets),
                                             "allergies": list(safety.expand_allergies(allergies))})
        ranked, safe = choose(pool, w, text, n=len(pool)), []
        where = {d["id"]: {"lat": d.get("lat"), "lon": d.get("lon")} for d in ranked}
        for start in range(0, len(ranked), 12):
            full = await ctx.graph.get_dishes([d["id"] for d in ranked[start:start + 12]])
            safe += [d | where[d["id"]] for d in safety.safe_only(full, allergies, diets)]
            if len(safe) >= n:
                break
        return safe[:n]

    def _recommendation(self, req, city, dishes, allergies, diets, key, style, asked=(), profile=None) -> AgentReply:
        context = T.cultural_context(city, req.voice_profile, style)
        why = T.say("why_diet", style, diets=T.diet_words(diets, style)) if diets else ""
        why += T.say("why_allergens", style, allergens=T.allergen_words(allergies, style)) if allergies else ""
        if not dishes:
            return AgentReply(self.name, T.say("food_none", style, city=city["name"], why=why), context)
        more = [f"{d['name']} ({T.money(d['price'], city, style)})" for d in dishes[1:]]
        text = T.say(key, style, city=city["name"], first=describe(dishes[0], city, style),
                     more=T.say("or_more", style, items=T.listing(more, style)) if more else "",
                     safety=T.safety_note(allergies, style), asked=" ".join(asked), why=why)
        if unsure.strictness_pending(profile or {}):
            text += T.say("food_jain_strict", style)
        return AgentReply(self.name, text, context, tuple(item(d, city) for d in dishes))

    async def _order(self, req, ctx, profile, city, allergies, diets, style) -> AgentReply | None:
        # The whole menu, not the top of a search, and the outside dishes offered lately, first.
        outside = {d["id"]: d for d in await offers.offered(ctx.graph, req.user_id, city["name"])}
        menu = list(outside.values()) + await ctx.graph.menu_names(city["name"])
        w = wants_of(req.text, (), *await where_wanted(ctx, req.text, profile, city))  # where, budget, spice

        def prefer(d: dict) -> float:
            return fit_then_nearness(d, w) if "spice" in d else 0  # an outside dish has no catalogue columns

        named = match_dish(req.text, menu, prefer)
        if named and "spice" in named and w.district_said and not within(w.district, named.get("neighbourhood")) \
                and not restaurant_named(req.text, named):  # none in the district said: never ordered from elsewhere unasked
            options = sorted((d for d in menu if d["name"] == named["name"] and "spice" in d), key=prefer, reverse=True)
            named = None
        else:
            options = [named] if named else candidates(req.text, menu, prefer)
        if not options:
            return None
        context = T.cultural_context(city, req.voice_profile, style)
        if not named or len({o["name"] for o in options}) > 1:  # "the suya", or only a guess: which one?
            reply = await self._which(ctx, options, city, allergies, diets, context, style, outside)
            placed = {o["id"]: o for o in options}
            if not all(i["id"] in placed for i in reply.items):  # refused: the alternative is another matter
                return reply
            elsewhere = self._elsewhere(w, [placed[i["id"]] for i in reply.items], style)
            return replace(reply, text=f"{elsewhere} {reply.text}") if elsewhere else reply
        [dish] = await _full_rows(ctx, [options[0]["id"]], outside)
        if not safety.allowed(dish, allergies, diets):
            return await self._refuse(ctx, dish, city, allergies, diets, context, style)
        if dish["id"] in outside:  # booked at a reservations server when one is configured
            return await order_outside(req, ctx, dish, city, allergies, style, context, item)
        await ctx.graph.record_order(req.user_id, dish["id"], req.session_id)
        text = T.say("food_ordered", style, dish=dish["name"], restaurant=dish["restaurant"],
                     price=T.money(dish["price"], city, style), safety=T.safety_note(allergies, style, one=True))
        return AgentReply(self.name, text, context, (item(dish, city) | {"ordered": True},))

    async def _which(self, ctx, options, city, allergies, diets, context, style, outside) -> AgentReply:
        """Several dishes fit the name: offer the safe ones (refuse if none is safe)."""
        dishes = await _full_rows(ctx, [o["id"] for o in options[:30]], outside)
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


async def _full_rows(ctx, ids: list[str], outside: dict[str, dict]) -> list[dict]:
    """Full dish rows for these ids, in order: outside dishes as offered, the others from the graph."""
    found = {d["id"]: d for d in await ctx.graph.get_dishes([i for i in ids if i not in outside])} | outside
    return [found[i] for i in ids if i in found]
