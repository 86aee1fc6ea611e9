"""What the food agent offered from external servers, and what was ordered or booked there, in the graph.

An outside dish is not a catalogue ``Dish`` (the catalogue's reload prunes those, and its menu
queries must not see outside rows), so it is an ``OutsideDish`` node holding the row as it was
offered (already checked by agents/providers/mcp_places.py): ``(User)-[:OFFERED {at,
session_id}]->(OutsideDish)``. An order of one names it as a catalogue order names a dish:
``(User)-[:ORDERED {session_id, at, confirmation, server}]->(OutsideDish)``, the confirmation
"" when no server takes reservations. A table booked by name is ``(User)-[:BOOKED {session_id,
at}]->(Booking {id, confirmation, server, restaurant, city, party_size, time})``. Only a
confirmed booking is written: one that failed leaves no trace. An outside dish a reply named can
be shared with friends like a catalogue dish (agents/providers/graph.py, agents/friends.py). The
Cypher is in agents/providers/graph_cypher.py, the same for both backends.
"""

from __future__ import annotations

import json
import time

from agents.providers import graph_cypher as cypher

OFFER_WINDOW_S = 24 * 3600  # an outside dish offered longer ago than this is not "that one" any more
MAX_RECALLED = 20


async def remember_offered(graph, user_id: str, session_id: str, city: str, dishes: list[dict]) -> None:
    """Keep the outside dishes a reply offered (those whose id is an outside one), so one can be ordered."""
    rows = [{"id": d["id"], "name": d["name"], "json": json.dumps(d)} for d in dishes if is_outside(d)]
    if rows:
        await graph.query(cypher.REMEMBER_OFFERED, {"user_id": user_id, "session_id": session_id, "city": city,
                                                    "dishes": rows, "at": time.time()})


async def offered(graph, user_id: str, city: str) -> list[dict]:
    """The outside dishes offered to the user in ``city`` lately, newest first (full rows)."""
    rows = await graph.query(cypher.OFFERED_LATELY, {"user_id": user_id, "city": city, "limit": MAX_RECALLED,
                                                     "since": time.time() - OFFER_WINDOW_S})
    return [d for d in (_row(r["row"]) for r in rows) if d is not None]


async def outside_dishes(graph, ids) -> list[dict]:
    """The kept rows of these outside dishes (offered to anyone), in the order given; unknown ids left out."""
    rows = await graph.query(cypher.OUTSIDE_DISHES_BY_ID, {"ids": list(ids)})
    kept = {d["id"]: d for d in (_row(r["row"]) for r in rows) if d is not None}
    return [kept[i] for i in ids if i in kept]


def _row(stored) -> dict | None:
    try:
        row = json.loads(stored)
    except (TypeError, ValueError):
        return None
    if not (isinstance(row, dict) and is_outside(row)):
        return None
    return row | {"diets": []}  # no certification from outside, whatever was kept (agents.safety)


def is_outside(dish: dict) -> bool:
    return str(dish.get("id", "")).startswith("mcp:")


async def record_order(graph, user_id: str, session_id: str, dish: dict, confirmation: str = "",
                       server: str = "") -> bool:
    """Note that the user ordered an outside dish (with the booking's confirmation, if one was made)."""
    rows = await graph.query(cypher.RECORD_OUTSIDE_ORDER, {
        "user_id": user_id, "dish_id": dish["id"], "session_id": session_id, "at": time.time(),
        "confirmation": confirmation, "server": server})
    return bool(rows and rows[0]["n"])


async def record_booking(graph, user_id: str, session_id: str, booking, table: dict) -> bool:
    """Note a confirmed table booking (``table``: restaurant, city, party_size, time)."""
    rows = await graph.query(cypher.RECORD_BOOKING, {"user_id": user_id, "session_id": session_id, "at": time.time(),
                                                     "id": f"{booking.server}:{booking.confirmation}",
                                                     "confirmation": booking.confirmation, "server": booking.server,
                                                     **table})
    return bool(rows and rows[0]["n"])


async def orders_of(graph, user_id: str) -> list[dict]:
    """The user's orders of outside dishes, oldest first."""
    return await graph.query(cypher.OUTSIDE_ORDERS, {"user_id": user_id})


async def bookings_of(graph, user_id: str) -> list[dict]:
    """The user's confirmed table bookings, oldest first."""
    return await graph.query(cypher.BOOKINGS, {"user_id": user_id})
