"""The food agent's bookings: ordering a dish an external server offered, and booking a table.

An outside dish (agents/providers/mcp_places.py) can be ordered once it was offered: the offer is
kept in the graph (agents/providers/mcp_offers.py) and the order path matches it like a catalogue
dish; ``agents.safety`` decides it from its ingredients first, as for any dish. Ordering it books
at a reservations server (its own server first; agents/providers/mcp_reservations.py): the reply
says the confirmation id; a booking that fails is said and nothing is recorded. With no server
offering reservations the order is noted, as a catalogue order is.
"""

from __future__ import annotations

import re

from agents import templates as T
from agents.base import AgentReply
from agents.dish_match import STOP
from agents.providers import mcp_offers as offers
from agents.providers.mcp_reservations import Booking, book_table
from agents.slots import normalise

_TABLE = re.compile(r"\b(book|reserve)\b.*\btable\b|\btable for\b|\b(make|get) (a |me a )?reservation\b")
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12}
_SIZE = re.compile(r"\b(?:for|party of|table of)\s+(\d{1,2}|" + "|".join(_NUMBERS) + r")\b|\b(\d{1,2}|"
                   + "|".join(_NUMBERS) + r")\s+(?:of us|people|persons|guests)\b")
_TIME = re.compile(r"\b(?:at|for|around)\s+(\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|h)?)(?=\W|$)"
                   r"|\b(tonight|tomorrow(?: night| evening| lunchtime)?|this evening|lunchtime)\b")


def wants_table(text: str) -> bool:
    """A request to book a table ("book a table for four at Yellow Pepper at 8pm")."""
    return bool(_TABLE.search(normalise(text)))


def party_size(text: str, default: int = 2) -> int:
    """How many the table is for (``default`` when not said)."""
    m = _SIZE.search(normalise(text))
    said = (m.group(1) or m.group(2)) if m else str(default)
    size = int(said) if said.isdigit() else _NUMBERS[said]
    return size if 1 <= size <= 30 else default


def time_said(text: str) -> str:
    """When the table is for, as said ("8pm", "tonight"), or ""; a size ("for 4") is not a time."""
    for m in _TIME.finditer(normalise(text)):
        said = (m.group(1) or m.group(2)).strip()
        if not said.isdigit() or m.group(0).startswith("at"):
            return said
    return ""


def restaurant_named(text: str, names: list[str]) -> str | None:
    """The restaurant the request names: more than half its name's words said ("Tripoli Grill" is not
    named by "grill"), the first of equals."""
    said = set(re.findall(r"[a-z]+", normalise(text)))

    def share(name: str) -> float:
        words = {w for w in re.findall(r"[a-z]+", normalise(name)) if w not in STOP and len(w) > 2}
        return len(words & said) / len(words) if words else 0.0
    best = max(names, key=share, default=None)
    return best if best and share(best) > 0.5 else None


def _when(text: str) -> str:
    time = time_said(text)
    return f" ({time})" if time else ""


def server_of(dish: dict) -> str:
    """The server a dish came from ("mcp:places" -> "places")."""
    return str(dish.get("source", "")).removeprefix("mcp:")


async def order_outside(req, ctx, dish: dict, city: dict, allergies, style, context, item) -> AgentReply:
    """Order an outside dish the safety check allowed: book at a reservations server (see the module)."""
    size = party_size(req.text, default=1)  # one dish ordered: for one, unless a party is said
    booking = await book_table(ctx.settings, dish["restaurant"], city["name"], size, time_said(req.text),
                               prefer=server_of(dish))
    facts = dict(dish=dish["name"], restaurant=dish["restaurant"], when=_when(req.text))
    if booking.offered and not booking.confirmation:
        return AgentReply("food", T.say("food_not_booked", style, **facts), context)
    await offers.record_order(ctx.graph, req.user_id, req.session_id, dish, booking.confirmation, booking.server)
    price, safety = T.money(dish["price"], city, style), T.safety_note(allergies, style, one=True)
    if booking.confirmation:
        text = T.say("food_booked", style, price=price, safety=safety, size=size,
                     confirmation=booking.confirmation, **facts)
    else:  # no server takes reservations: noted, as a catalogue order is
        text = T.say("food_ordered", style, dish=dish["name"], restaurant=dish["restaurant"], price=price,
                     safety=safety)
    done = {"ordered": True} | ({"confirmation": booking.confirmation} if booking.confirmation else {})
    return AgentReply("food", text, context, (item(dish, city) | done,))


async def book_a_table(req, ctx, city: dict, style, context) -> AgentReply | None:
    """Book the table the request asks for, at the restaurant it names (an outside one offered lately,
    else one of the catalogue's); None when no restaurant is named or no server takes reservations."""
    if not getattr(ctx.settings, "mcp_servers", ""):
        return None
    outside = await offers.offered(ctx.graph, req.user_id, city["name"])
    places = {d["restaurant"]: server_of(d) for d in outside}
    places |= {m["restaurant"]: "" for m in await ctx.graph.menu_names(city["name"]) if m["restaurant"] not in places}
    restaurant = restaurant_named(req.text, list(places))
    if restaurant is None:
        return None
    size, time = party_size(req.text), time_said(req.text)
    booking = await book_table(ctx.settings, restaurant, city["name"], size, time, prefer=places[restaurant])
    if not booking.offered:
        return None
    facts = dict(restaurant=restaurant, when=_when(req.text))
    if not booking.confirmation:
        return AgentReply("food", T.say("table_not_booked", style, **facts), context)
    table = {"restaurant": restaurant, "city": city["name"], "party_size": size, "time": time}
    await offers.record_booking(ctx.graph, req.user_id, req.session_id, booking, table)
    text = T.say("table_booked", style, size=size, confirmation=booking.confirmation, **facts)
    return AgentReply("food", text, context, (_booked(booking, table),))


def _booked(booking: Booking, table: dict) -> dict:
    return {"kind": "booking", "id": f"mcp:{booking.server}:{booking.confirmation}", "name": table["restaurant"],
            "confirmation": booking.confirmation, "party_size": table["party_size"], "time": table["time"]}
