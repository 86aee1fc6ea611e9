"""Travel agent: answers the travel question asked, for the five cities.

Where to stay comes from the graph (``find_stays``); tipping, transport, airports, visas, dress
codes, customs, safety, districts and landmarks from ``agents.travel_knowledge``.  The topic is
read from the request; a district, landmark or airport it names narrows the answer.  Hotels are
offered only when the request asks where to stay.  Configured external MCP servers are asked
first: places servers for stays (agents/providers/mcp_places.py), maps servers for the way from
one place to another (agents/providers/mcp_maps.py); the graph and the knowledge answer otherwise.
"""

from __future__ import annotations

import re

from agents import templates as T
from agents import travel_knowledge as K
from agents.areas import places_in
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.city_in_play import user_and_city
from agents.culture import style_for
from agents.providers.mcp_maps import external_route
from agents.providers.mcp_places import external_stays
from agents.slots import normalise, travel_tags

# "from Ikeja to Lekki", "get to the Louvre": the ends of a route as said (a maps server may know
# places the knowledge table does not), stopping before "by bus", "in Lagos", "tonight"...
_END = r"(?:the\s+)?([^?.!,;]{2,60}?)\s*(?=$|[?.!,;]|\s(?:by|on|at|in|from|tonight|today|tomorrow|please)\b)"
_FROM_TO = re.compile(r"\bfrom\s+(?:the\s+)?([^?.!,;]{2,60}?)\s+to\s+" + _END, re.IGNORECASE)
_TO = re.compile(r"\b(?:get|go|getting|going|travel|way)\s+to\s+" + _END, re.IGNORECASE)


def pick(stays: list[dict], tags: list[str], district: str | None = None,
         near: tuple[float, float] | None = None) -> list[dict]:
    """Stays in the named district first, then by how many requested tags they match;
    budget/luxury also sort by price.  ``near`` (a landmark's place) instead: the nearest first,
    each with its ``distance_m``."""
    if near:
        placed = [s | {"distance_m": K.metres_between(near, (s["lat"], s["lon"]))} for s in stays
                  if s.get("lat") is not None and s.get("lon") is not None]
        if placed:
            return sorted(placed, key=lambda s: s["distance_m"])
    ordered = sorted(stays, key=lambda s: -len(set(tags) & set(s["tags"])))
    if "budget" in tags:
        ordered = sorted(ordered, key=lambda s: s["price"])
    elif "luxury" in tags:
        ordered = sorted(ordered, key=lambda s: -s["price"])
    return sorted(ordered, key=lambda s: not K.within(district, s["neighbourhood"])) if district else ordered


def route_ends(text: str, districts: list[str], landmark: str | None) -> tuple[str, str] | None:
    """(origin, destination) of a way-finding question ("" origin: only where to go was said), or None."""
    m = _FROM_TO.search(text)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    if len(districts) > 1:
        return districts[0], districts[1]
    m = _TO.search(text)
    if m:
        return "", m.group(1).strip()
    return ("", landmark) if landmark else None


def route_text(route: dict, origin: str, destination: str) -> str:
    """A maps server's route as the reply: where, the summary, the steps, the time."""
    where = f"From {origin} to {destination}" if origin else f"To {destination}"
    steps = f" {'; '.join(route['steps'])}." if route["steps"] else ""
    took = f" About {route['minutes']} minutes." if route["minutes"] is not None else ""
    return f"{where}: {route['summary'].rstrip('.')}.{steps}{took}"


async def stays_in(ctx, city: str, text: str = "") -> list[dict]:
    """Places to stay in ``city``: from the configured external MCP servers when one answers
    (agents/providers/mcp_places.py), else from the catalogue."""
    return await external_stays(ctx.settings, city, text) or await ctx.graph.find_stays(city)


class TravelAgent:
    """Answers the travel topic asked; where to stay (neighbourhood, hotel, nightly price) when asked."""

    name = "travel"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile, name, city = await user_and_city(req, ctx)
        style = style_for(profile, city, req.voice_profile)
        context = T.cultural_context(city, req.voice_profile, style)
        if city is None or city["name"] not in K.CITIES:
            text = T.say("unknown_city", style, city=name) if name else T.say("travel_no_city", style)
            return AgentReply(self.name, text, context)
        c = city["name"]
        districts = [d for _, pc, d in places_in(normalise(req.text)) if pc == c and d]
        landmark = K.landmark_in(c, req.text)
        topic = K.topic_of(req.text, landmark, districts[0] if districts else None)
        if topic == "hotel":
            found = await stays_in(ctx, c, req.text)
            in_district = districts and any(K.within(districts[0], s["neighbourhood"]) for s in found)
            near = K.LANDMARK_AT.get(landmark) if landmark and not in_district else None  # "near the Louvre"
            stays = pick(found, travel_tags(req.text), districts[0] if in_district else None, near)
            text = self._text(city, stays, style)
            if stays and "distance_m" in stays[0]:
                text += T.say("travel_near", style, distance=T.distance(stays[0]["distance_m"], style),
                              landmark=landmark)
            return AgentReply(self.name, text, context, tuple(self._item(s, city) for s in stays[:2]))
        info = {"kind": "travel_info", "topic": topic, "city": c, "district": districts[0] if districts else None,
                "landmark": landmark}
        ends = route_ends(req.text, districts, landmark) if topic == "transport" else None
        route = await external_route(ctx.settings, c, *ends) if ends else None
        if route:
            info |= {"origin": ends[0], "destination": ends[1], "source": route["source"]}
            return AgentReply(self.name, route_text(route, *ends), context, (info,))
        return AgentReply(self.name, answer(c, topic, districts, landmark, req.text), context, (info,))

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


def answer(city: str, topic: str, districts: list[str], landmark: str | None, text: str) -> str:
    """The knowledge answer for one topic, narrowed by the district(s) or landmark named."""
    k = K.CITIES[city]
    entries = [e for e in (K.district_entry(city, d) for d in dict.fromkeys(districts)) if e]
    if topic == "district":
        if not entries:
            names = list(k["districts"])[:5]
            return f"Areas to know in {city}: " + "; ".join(f"{n}, {k['districts'][n][0]}" for n in names) + "."
        return " ".join(f"{n}: {what}. Safety: {safe}." for n, (what, safe) in entries)
    if topic == "landmark":
        if landmark:
            where, note = k["landmarks"][landmark]
            return f"{landmark} ({where}, {city}): {note}."
        return f"Sights in {city}: " + ", ".join(list(k["landmarks"])[:6]) + "."
    if topic == "airport":
        airports = k["airports"]
        named = [a for a in airports if any(re.search(r"\b" + re.escape(w) + r"\b", normalise(text))
                                            for w in _airport_words(a))]
        lines = [f"{a}: {airports[a]}" for a in (named or airports)]
        to = f" For {entries[0][0]}, that's the way in; then {entries[0][1][0]}." if entries else ""
        early = f" {K.AIRPORT_EARLY}" if re.search(K.HOW_EARLY, normalise(text)) else ""
        return f"Getting to and from the airport in {city}: " + "; ".join(lines) + "." + to + early
    if topic == "transport":
        route = f"From {districts[0]} to {districts[1]}: " if len(districts) > 1 else (
            f"Around {districts[0]}: " if districts else "")
        return route + k["transport"]
    if topic == "safety":
        local = " ".join(f"Safety in {n}: {safe}." for n, (_, safe) in entries)
        return (local + " " if local else "") + k["safety"]
    if topic == "dress_code":
        place = f"{landmark}: {k['landmarks'][landmark][1]}. " if landmark else ""
        return place + k["dress_code"]
    if topic == "visa":
        return f"Visiting {city}: {k['visa']} {K.VISA_CHECK}"
    if topic == "customs" and re.search(K.BORDER_CUES, normalise(text)):
        return f"Customs in {city}: {k['border']} {K.BORDER_CHECK}"
    if topic in ("tipping", "customs"):
        return k[topic]
    # No topic heard: what the agent can tell about the city.
    return (f"In {city}: areas to know include " + ", ".join(list(k["districts"])[:4]) + "; sights include "
            + ", ".join(list(k["landmarks"])[:3]) + ". Ask me where to stay, getting around, tipping or local customs.")


def _airport_words(name: str) -> list[str]:
    """Words that name an airport: its first word and its code ("heathrow", "lhr")."""
    code = re.findall(r"\(([A-Z]{3})\)", name)
    first = normalise(name).split()[0]
    return [first] + [c.lower() for c in code] + ([normalise(name)] if len(name) <= 4 else [])
