"""The profile memory is derived from the ``User`` node: each change of a stored profile becomes
Graphiti facts (``ProfileMemory.remember`` / ``forget``), so what was true when stays answerable.
The ``User`` node stays the one source of truth; nothing reads this back to decide anything."""

from __future__ import annotations

import logging
from datetime import datetime

from agents.memory import ProfileMemory, utc
from agents.slots_allergy import severity_of

_LOGGER = logging.getLogger(__name__)
_PROFILE_LISTS = (("allergies", "allergy"), ("diets", "diet"))


async def mirror_profile(memory: ProfileMemory | None, user_id: str, before: dict, after: dict,
                         at: datetime | float | None = None) -> int:
    """Write the difference between two stored profiles (allergies, diets, home_city, language) as
    facts: additions ``remember``ed (allergies with the severity the profile keeps,
    ``allergy_severity``), removals ``forget``-ed.  The ``User`` node is the profile; this history
    is derived from its changes only.  Never raises (the reply must not fail on memory); returns
    how many facts were written or ended."""
    if memory is None:
        return 0
    at = utc(at)
    n = 0
    try:
        for key, kind in _PROFILE_LISTS:
            old, new = set(before.get(key) or []), set(after.get(key) or [])
            severities = severity_of(after) if kind == "allergy" else {}
            for value in sorted(new - old):
                severity = severities.get(value)
                await memory.remember(user_id, kind, value, at, {"severity": severity} if severity else None)
                n += 1
            for value in sorted(old - new):
                n += await memory.forget(user_id, kind, value, at)
        for key in ("home_city", "language"):  # single-valued facts: a new value replaces the old
            if after.get(key) and after.get(key) != before.get(key):
                await memory.remember(user_id, key, after[key], at)
                n += 1
    except Exception:  # noqa: BLE001 - logged; the profile upsert already succeeded
        _LOGGER.exception("graph memory: mirroring the profile of %s failed", user_id)
    return n


