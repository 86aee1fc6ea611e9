"""What the product stored about a user, as the page's profile panel shows it.

The profile is the graph's ``User`` node (what the agents read); an allergy's severity is a fact
in the profile memory (agents/memory.py). The gateway opens its own connections to both on first
use, on its own loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aurasense.settings import Settings

FIELDS = ("name", "home_city", "neighbourhood", "language", "cultural_background")


class ProfileReader:
    """``await reader(user_id)``: the profile panel's view of one user (read only)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._graph: Any = None
        self._memory: Any = None
        self._opening = asyncio.Lock()

    async def _open(self) -> None:
        from agents.memory import make_memory
        from agents.providers.graph_backend import make_graph_store

        async with self._opening:
            if self._graph is None:
                graph, memory = make_graph_store(self.settings), make_memory(self.settings)
                await graph.connect()
                await memory.connect()
                self._graph, self._memory = graph, memory

    async def __call__(self, user_id: str) -> dict:
        await self._open()
        user = await self._graph.get_user(user_id)
        # Only a user with allergies has severities to look up (and a memory graph to read).
        facts = await self._memory.current(user_id) if user and user.get("allergies") else {}
        return profile_view(user, facts)


def profile_view(user: dict | None, facts: dict) -> dict:
    """The stored profile (``known`` false before the user said anything about themself)."""
    user = user or {}
    severity = (facts.get("details") or {}).get("allergy") or {}
    view: dict[str, Any] = {f: user.get(f) for f in FIELDS}
    view.update(known=bool(user), onboarded=bool(user.get("onboarded")),
                diets=list(user.get("diets") or []),
                allergies=[{"name": a, "severity": (severity.get(a) or {}).get("severity")}
                           for a in user.get("allergies") or []])
    return view
