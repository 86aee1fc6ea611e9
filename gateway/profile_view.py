"""What the product stored about a user, as the page's profile panel shows it.

The profile is the graph's ``User`` node, the one source of truth the agents read too (an allergy's
severity included, ``allergy_severity``). The gateway opens its own connection on first use, on
its own loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from agents.slots_allergy import severity_of
from core.settings import Settings

FIELDS = ("name", "home_city", "neighbourhood", "language", "cultural_background")


class ProfileReader:
    """``await reader(user_id)``: the profile panel's view of one user (read only)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._graph: Any = None
        self._opening = asyncio.Lock()

    async def _open(self) -> None:
        from agents.providers.graph_backend import make_graph_store

        async with self._opening:
            if self._graph is None:
                graph = make_graph_store(self.settings)
                await graph.connect()
                self._graph = graph

    async def __call__(self, user_id: str) -> dict:
        await self._open()
        return profile_view(await self._graph.get_user(user_id))


def profile_view(user: dict | None) -> dict:
    """The stored profile (``known`` false before the user said anything about themself)."""
    user = user or {}
    severity = severity_of(user)
    view: dict[str, Any] = {f: user.get(f) for f in FIELDS}
    view.update(known=bool(user), onboarded=bool(user.get("onboarded")),
                diets=list(user.get("diets") or []),
                allergies=[{"name": a, "severity": severity.get(a)}
                           for a in user.get("allergies") or []])
    return view
