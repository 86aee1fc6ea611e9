"""The reservations contract: a table booked at an external MCP server.

A server offering this tool is a reservations server (agents/providers/mcp_servers.py routes by
tool):

* ``reserve_table(restaurant, city, party_size, time)`` → ``{"confirmation": "<id>",
  "restaurant"?, "time"?}``; ``time`` is what the user said ("8pm", "tonight"), "" when they
  said nothing. A booking that cannot be made is a tool error (or any answer without a
  confirmation id).

The server a dish came from is asked first, then the other servers offering the tool. The
confirmation id must be a short plain token (letters, digits, ``-_.:``, at most 64): it is
spoken back to the user and stored with the order. No server offering the tool: ``offered`` is
False (the food agent notes the order as for a catalogue dish); offered but no confirmation
(refused, down, slow, garbage): the agent says it could not book and records nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agents.providers.mcp_servers import ask
from agents.providers.mcp_values import text

RESERVE_TOOL = "reserve_table"
_CONFIRMATION = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


@dataclass(frozen=True)
class Booking:
    """What booking gave: a confirmation id (and who gave it), or none."""

    confirmation: str = ""  # "": not booked
    server: str = ""
    offered: bool = False  # some server offers reservations (so not booked means it failed)


def parse_confirmation(data: Any, server: str) -> str | None:
    """The confirmation id of a booking answer, or None."""
    confirmation = text(data, "confirmation", limit=65) if isinstance(data, dict) else None
    return confirmation if confirmation and _CONFIRMATION.fullmatch(confirmation) else None


async def book_table(settings, restaurant: str, city: str, party_size: int, time: str, prefer: str = "") -> Booking:
    """Book at the configured reservations servers (``prefer``, a server name, first)."""
    args = {"restaurant": restaurant, "city": city, "party_size": party_size, "time": time}
    asked = await ask(settings, RESERVE_TOOL, args, parse_confirmation, prefer)
    return Booking(asked.value or "", asked.server, asked.offered)
