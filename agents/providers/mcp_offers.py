"""What the food agent offered from external servers, and what was ordered or booked there, in the graph.

An outside dish is not a catalogue ``Dish`` (the catalogue's reload prunes those, and its menu
queries must not see outside rows), so it is an ``OutsideDish`` node holding the row as it was
offered (already checked by agents/providers/mcp_places.py): ``(User)-[:OFFERED {at,
session_id}]->(OutsideDish)``. An order of one names it as a catalogue order names a dish:
``(User)-[:ORDERED {session_id, at, confirmation, server}]->(OutsideDish)``, the confirmation
"" when no server takes reservations. A table booked by name is ``(User)-[:BOOKED {session_id,
at}]->(Booking {id, confirmation, server, restaurant, city, party_size, time})``. Only a
confirmed booking is written: one that failed leaves no trace.
"""

from __future__ import annotations

import json
import time

OFFER_WINDOW_S = 24 * 3600  # an outside dish offered longer ago than this is not "that one" any more
MAX_RECALLED = 20

_REMEMBER = """
MATCH (u:User {id: $user_id})
UNWIND $dishes AS row
MERGE (d:OutsideDish {id: row.id})
SET d.name = row.name, d.city = $city, d.row = row.json
MERGE (u)-[o:OFFERED]->(d)
SET o.at = $at, o.session_id = $session_id
RETURN count(o) AS n
"""

_RECALL = """
MATCH (:User {id: $user_id})-[o:OFFERED]->(d:OutsideDish)
WHERE d.city = $city AND o.at >= $since
RETURN d.row AS row ORDER BY o.at DESC LIMIT $limit
"""

_ORDER = """
MATCH (u:User {id: $user_id}), (d:OutsideDish {id: $dish_id})
MERGE (u)-[o:ORDERED {session_id: $session_id}]->(d)
ON CREATE SET o.at = $at
SET o.confirmation = $confirmation, o.server = $server
RETURN count(o) AS n
"""

_BOOK = """
MATCH (u:User {id: $user_id})
MERGE (b:Booking {id: $id})
ON CREATE SET b.confirmation = $confirmation, b.server = $server, b.restaurant = $restaurant, b.city = $city,
              b.party_size = $party_size, b.time = $time
MERGE (u)-[r:BOOKED {session_id: $session_id}]->(b)
ON CREATE SET r.at = $at
RETURN count(r) AS n
"""

_ORDERS = """
MATCH (:User {id: $user_id})-[o:ORDERED]->(d:OutsideDish)
RETURN d.id AS id, d.name AS name, o.confirmation AS confirmation, o.server AS server, o.session_id AS session_id
ORDER BY o.at
"""

_BOOKINGS = """
MATCH (:User {id: $user_id})-[r:BOOKED]->(b:Booking)
RETURN b.confirmation AS confirmation, b.server AS server, b.restaurant AS restaurant, b.party_size AS party_size,
       b.time AS time, r.session_id AS session_id
ORDER BY r.at
"""


async def remember_offered(graph, user_id: str, session_id: str, city: str, dishes: list[dict]) -> None:
    """Keep the outside dishes a reply offered (those whose id is an outside one), so one can be ordered."""
    rows = [{"id": d["id"], "name": d["name"], "json": json.dumps(d)} for d in dishes if is_outside(d)]
    if rows:
        await graph.query(_REMEMBER, {"user_id": user_id, "session_id": session_id, "city": city,
                                      "dishes": rows, "at": time.time()})


async def offered(graph, user_id: str, city: str) -> list[dict]:
    """The outside dishes offered to the user in ``city`` lately, newest first (full rows)."""
    rows = await graph.query(_RECALL, {"user_id": user_id, "city": city, "limit": MAX_RECALLED,
                                       "since": time.time() - OFFER_WINDOW_S})
    return [d for d in (_row(r["row"]) for r in rows) if d is not None]


def _row(stored) -> dict | None:
    try:
        row = json.loads(stored)
    except (TypeError, ValueError):
        return None
    return row if isinstance(row, dict) and is_outside(row) else None


def is_outside(dish: dict) -> bool:
    return str(dish.get("id", "")).startswith("mcp:")


async def record_order(graph, user_id: str, session_id: str, dish: dict, confirmation: str = "",
                       server: str = "") -> bool:
    """Note that the user ordered an outside dish (with the booking's confirmation, if one was made)."""
    rows = await graph.query(_ORDER, {"user_id": user_id, "dish_id": dish["id"], "session_id": session_id,
                                      "at": time.time(), "confirmation": confirmation, "server": server})
    return bool(rows and rows[0]["n"])


async def record_booking(graph, user_id: str, session_id: str, booking, table: dict) -> bool:
    """Note a confirmed table booking (``table``: restaurant, city, party_size, time)."""
    rows = await graph.query(_BOOK, {"user_id": user_id, "session_id": session_id, "at": time.time(),
                                     "id": f"{booking.server}:{booking.confirmation}",
                                     "confirmation": booking.confirmation, "server": booking.server, **table})
    return bool(rows and rows[0]["n"])


async def orders_of(graph, user_id: str) -> list[dict]:
    """The user's orders of outside dishes, oldest first."""
    return await graph.query(_ORDERS, {"user_id": user_id})


async def bookings_of(graph, user_id: str) -> list[dict]:
    """The user's confirmed table bookings, oldest first."""
    return await graph.query(_BOOKINGS, {"user_id": user_id})
