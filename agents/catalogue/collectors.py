"""Collectors: where catalogue records come from.

* ``bundled()``: the committed dataset (always; no network).
* ``GooglePlacesCollector``: Places API (New) Text Search, used when ``GOOGLE_PLACES_API_KEY`` is set.
* ``FoursquareCollector``: Places API v3 search, used when ``FOURSQUARE_API_KEY`` is set.

Both APIs give places (name, coordinates, rating, price level, type), not menus: a collected
restaurant gets a menu from its cuisine's dish templates (``menu_source="cuisine_template"``),
seeded by the place id so it is stable.  Certification is only set when the place itself
says "halal"/"kosher".  Records have the bundled shape, so the enricher and loader treat
every source alike.  ``collect(env)`` = bundled + whatever the configured APIs return; a
failing API is logged and skipped, never fatal.
"""

from __future__ import annotations

import logging
import math
import os
import random
import re

import httpx

from agents.catalogue import blocks, build_dataset

log = logging.getLogger(__name__)

# Keyword in a Google type / Foursquare category -> catalogue cuisine (first match wins).
CUISINE_KEYWORDS: list[tuple[str, str]] = [
    ("halal", "Halal Cart"), ("kosher", "Jewish Deli"), ("jewish", "Jewish Deli"), ("deli", "Jewish Deli"),
    ("nigerian", "Nigerian"), ("west african", "Nigerian"), ("african", "Nigerian"),
    ("lebanese", "Lebanese"), ("middle eastern", "Lebanese"), ("middle_eastern", "Lebanese"),
    ("falafel", "Lebanese"), ("turkish", "Turkish"), ("kebab", "Turkish"),
    ("bangladeshi", "Bangladeshi"), ("indo chinese", "Indo-Chinese"), ("south indian", "South Indian"),
    ("gujarati", "Gujarati"), ("mughlai", "Mughlai"), ("parsi", "Parsi"), ("indian", "Indian"),
    ("chinese", "Chinese"), ("dim sum", "Chinese"), ("dumpling", "Chinese"), ("korean", "Korean"),
    ("japanese", "Japanese"), ("sushi", "Japanese"), ("ramen", "Japanese"), ("vietnamese", "Vietnamese"),
    ("pho", "Vietnamese"), ("pizza", "Pizza"), ("italian", "Italian"), ("creperie", "Creperie"),
    ("crêpe", "Creperie"), ("crepe", "Creperie"), ("french", "French"), ("bistro", "French"),
    ("moroccan", "North African"), ("north african", "North African"), ("algerian", "North African"),
    ("tunisian", "North African"), ("caribbean", "Caribbean"), ("jamaican", "Caribbean"),
    ("mexican", "Mexican"), ("taco", "Mexican"), ("seafood", "Konkani Seafood"), ("british", "British"),
    ("fish and chips", "British"), ("pub", "British"), ("gastropub", "British"), ("american", "American"),
    ("hamburger", "American"), ("burger", "American"), ("diner", "American"),
]
GOOGLE_PRICE = {"PRICE_LEVEL_FREE": 0.75, "PRICE_LEVEL_INEXPENSIVE": 0.75, "PRICE_LEVEL_MODERATE": 1.0,
                "PRICE_LEVEL_EXPENSIVE": 1.4, "PRICE_LEVEL_VERY_EXPENSIVE": 2.0}
FOURSQUARE_PRICE = {1: 0.75, 2: 1.0, 3: 1.4, 4: 2.0}
GOOGLE_FIELDS = ",".join(f"places.{f}" for f in (
    "id", "displayName", "formattedAddress", "location", "rating", "priceLevel", "primaryType",
    "types")) + ",nextPageToken"


def bundled() -> dict:
    """The committed dataset: {"meta", "cities", "restaurants", "stays"}."""
    return build_dataset.read()


def cuisine_for(*labels: str, city: str | None = None) -> str | None:
    """The catalogue cuisine named by any of the labels ("italian_restaurant", "Sushi Restaurant")."""
    text = " ".join(label.replace("_", " ").lower() for label in labels if label)
    for word, cuisine in CUISINE_KEYWORDS:
        if re.search(r"\b" + re.escape(word), text):
            if cuisine == "Konkani Seafood" and city != "Mumbai":
                continue
            return cuisine
    return None


def nearest_neighbourhood(city: str, lat: float, lon: float) -> str:
    def dist(n):
        return (n[1] - lat) ** 2 + ((n[2] - lon) * math.cos(math.radians(lat))) ** 2
    return min(blocks.NEIGHBOURHOODS[city], key=dist)[0]


def place_record(source: str, place_id: str, name: str, city: str, lat: float, lon: float,
                 cuisine: str, rating: float | None, tier: float, labels: str) -> dict:
    """A collected place in the bundled record shape, with a cuisine-template menu."""
    rng = random.Random(f"{source}-{place_id}")
    text = labels.lower() + " " + name.lower()
    halal, kosher = "halal" in text, "kosher" in text
    rid = f"r-{source}-{re.sub(r'[^A-Za-z0-9_-]', '', place_id)[:40]}"
    return {"id": rid, "name": name, "city": city, "neighbourhood": nearest_neighbourhood(city, lat, lon),
            "lat": round(lat, 6), "lon": round(lon, 6), "cuisine": cuisine,
            "rating": float(rating) if rating is not None else 4.0, "max_group": 8,
            "halal_certified": halal, "kosher_certified": kosher, "prayer_spaces": [],
            "source": source, "menu_source": "cuisine_template",
            "dishes": build_dataset._menu(rng, city, cuisine, rid, halal, kosher, tier, size=8)}


class PlacesCollector:
    """What both API collectors share: every neighbourhood of a city searched, places deduped by id.

    Subclasses say how to search around one neighbourhood (``places_near``) and how a place
    becomes a restaurant record (``to_record``).
    """

    _client: httpx.AsyncClient | None = None

    async def collect(self, city: str, neighbourhoods: list[tuple] | None = None) -> list[dict]:
        client = self._client or httpx.AsyncClient(timeout=20.0)
        try:
            out: dict[str, dict] = {}
            for nb in neighbourhoods or blocks.NEIGHBOURHOODS[city]:
                for place in await self.places_near(client, city, nb):
                    rec = self.to_record(place, city)
                    if rec:
                        out.setdefault(rec["id"], rec)
            return list(out.values())
        finally:
            if self._client is None:
                await client.aclose()


class GooglePlacesCollector(PlacesCollector):
    """Places API (New) ``places:searchText`` around each neighbourhood of a city."""

    source = "gp"

    def __init__(self, api_key: str, base_url: str = "https://places.googleapis.com",
                 client: httpx.AsyncClient | None = None, max_pages: int = 3):
        self.api_key, self.base_url, self.max_pages = api_key, base_url.rstrip("/"), max_pages
        self._client = client

    async def search(self, client: httpx.AsyncClient, query: str, lat: float, lon: float,
                     radius_m: float = 2000.0) -> list[dict]:
        """Raw ``places`` of every page for one text query biased to a circle."""
        body = {"textQuery": query, "includedType": "restaurant", "pageSize": 20,
                "locationBias": {"circle": {"center": {"latitude": lat, "longitude": lon}, "radius": radius_m}}}
        headers = {"X-Goog-Api-Key": self.api_key, "X-Goog-FieldMask": GOOGLE_FIELDS}
        places: list[dict] = []
        for _ in range(self.max_pages):
            resp = await client.post(f"{self.base_url}/v1/places:searchText", json=body, headers=headers)
            resp.raise_for_status()
            data = resp.json()
            places += data.get("places", [])
            if not data.get("nextPageToken"):
                break
            body = body | {"pageToken": data["nextPageToken"]}
        return places

    def to_record(self, place: dict, city: str) -> dict | None:
        labels = [place.get("primaryType", "")] + list(place.get("types", []))
        name = (place.get("displayName") or {}).get("text", "")
        cuisine = cuisine_for(*labels, name, city=city)
        loc = place.get("location") or {}
        if not (cuisine and name and "latitude" in loc and "longitude" in loc):
            return None
        return place_record(self.source, place["id"], name, city, loc["latitude"], loc["longitude"], cuisine,
                            place.get("rating"), GOOGLE_PRICE.get(place.get("priceLevel"), 1.0), " ".join(labels))

    async def places_near(self, client: httpx.AsyncClient, city: str, nb: tuple) -> list[dict]:
        return await self.search(client, f"restaurants in {nb[0]}, {city}", nb[1], nb[2])


class FoursquareCollector(PlacesCollector):
    """Foursquare Places API v3 ``/v3/places/search`` (dining category) around each neighbourhood."""

    source = "fsq"
    DINING = "13000"

    def __init__(self, api_key: str, base_url: str = "https://api.foursquare.com",
                 client: httpx.AsyncClient | None = None, max_pages: int = 3):
        self.api_key, self.base_url, self.max_pages = api_key, base_url.rstrip("/"), max_pages
        self._client = client

    async def search(self, client: httpx.AsyncClient, lat: float, lon: float, radius_m: int = 2000) -> list[dict]:
        params = {"ll": f"{lat},{lon}", "radius": radius_m, "categories": self.DINING, "limit": 50,
                  "fields": "fsq_id,name,geocodes,location,categories,rating,price"}
        headers = {"Authorization": self.api_key, "Accept": "application/json"}
        url: str | None = f"{self.base_url}/v3/places/search"
        results: list[dict] = []
        for _ in range(self.max_pages):
            resp = await client.get(url, params=params, headers=headers)
            resp.raise_for_status()
            results += resp.json().get("results", [])
            url = resp.links.get("next", {}).get("url")
            if not url:
                break
            params = None  # the next link carries the cursor and the query
        return results

    def to_record(self, place: dict, city: str) -> dict | None:
        labels = [c.get("name", "") for c in place.get("categories", [])]
        main = (place.get("geocodes") or {}).get("main") or place
        name = place.get("name", "")
        cuisine = cuisine_for(*labels, name, city=city)
        pid = place.get("fsq_id") or place.get("fsq_place_id")
        if not (cuisine and name and pid and "latitude" in main and "longitude" in main):
            return None
        rating = place.get("rating")  # 0-10 on Foursquare
        return place_record(self.source, pid, name, city, main["latitude"], main["longitude"], cuisine,
                            round(rating / 2, 1) if rating is not None else None,
                            FOURSQUARE_PRICE.get(place.get("price"), 1.0), " ".join(labels))

    async def places_near(self, client: httpx.AsyncClient, city: str, nb: tuple) -> list[dict]:
        return await self.search(client, nb[1], nb[2])


def live_collectors(env=None) -> list:
    """The API collectors whose keys are set in ``env`` (default ``os.environ``)."""
    env = os.environ if env is None else env
    out = []
    if env.get("GOOGLE_PLACES_API_KEY"):
        out.append(GooglePlacesCollector(env["GOOGLE_PLACES_API_KEY"],
                                         env.get("GOOGLE_PLACES_BASE_URL", "https://places.googleapis.com")))
    if env.get("FOURSQUARE_API_KEY"):
        out.append(FoursquareCollector(env["FOURSQUARE_API_KEY"],
                                       env.get("FOURSQUARE_BASE_URL", "https://api.foursquare.com")))
    return out


async def collect(env=None, cities: list[str] | None = None) -> dict:
    """Bundled catalogue plus live places from every configured API (failures are skipped)."""
    catalogue = bundled()
    seen = {r["id"] for r in catalogue["restaurants"]}
    for collector in live_collectors(env):
        for city in cities or [c["name"] for c in catalogue["cities"]]:
            try:
                found = await collector.collect(city)
            except (httpx.HTTPError, ValueError) as err:
                log.warning("%s collector failed for %s: %s", type(collector).__name__, city, err)
                continue
            fresh = [r for r in found if r["id"] not in seen]
            seen.update(r["id"] for r in fresh)
            catalogue["restaurants"] += fresh
            log.info("%s: %d places in %s", type(collector).__name__, len(fresh), city)
    return catalogue
