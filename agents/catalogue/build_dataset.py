"""Build the bundled catalogue deterministically from the curated building blocks.

    python -m agents.catalogue.build_dataset            # rewrite agents/catalogue/data/catalogue.jsonl.gz
    python -m agents.catalogue.build_dataset --check    # exit 1 if the committed file is stale

The output holds *collected* facts only (places, menus with ingredients, prices, coordinates,
certifications); allergens, diets, spice and price bands are added by the enricher at load
time, so the file can never carry a stale allergen.  ``generate(per_city=N)`` is the same
generator at any scale (the benchmark uses 2,000 restaurants per city).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import random
import sys
from pathlib import Path

from agents.catalogue import blocks, curated, enrich

DATA_FILE = Path(__file__).parent / "data" / "catalogue.jsonl.gz"
SEED = "aurasense-catalogue-v2"
PER_CITY = 52            # generated restaurants per city, on top of the curated ones
CITY_CODES = {"Lagos": "lag", "London": "lon", "New York": "nyc", "Paris": "par", "Mumbai": "mum"}
_M_PER_DEG = 111_320.0


def _round(value: float, step: float) -> float:
    return float(max(step, round(value / step) * step))


def _offset(rng: random.Random, lat: float, lon: float, sigma_m: float) -> tuple[float, float]:
    """A point scattered around (lat, lon), sigma in metres, 5 decimals (~1 m)."""
    dlat = rng.gauss(0, sigma_m) / _M_PER_DEG
    dlon = rng.gauss(0, sigma_m) / (_M_PER_DEG * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _neighbourhood(city: str, name: str) -> tuple:
    return next(n for n in blocks.NEIGHBOURHOODS[city] if n[0] == name)


def _allowed(template: dict, halal: bool, kosher: bool) -> bool:
    """A certified kitchen only serves what its certification allows."""
    kinds = enrich.kinds_of(template["ingredients"])
    if halal and kinds & {"pork", "alcohol", "gelatine"}:
        return False
    if kosher and "kosher" not in enrich.diets_of(template["ingredients"], kosher_certified=True):
        return False
    return True


def _menu(rng: random.Random, city: str, cuisine: str, rid: str, halal: bool, kosher: bool,
          tier: float, size: int | None = None) -> list[dict]:
    factor, step = blocks.CITY_PRICE[city]
    options = [t for t in blocks.dish_templates(cuisine) if _allowed(t, halal, kosher)]
    k = min(len(options), size or rng.randint(6, 10))
    drawn = sorted(rng.sample(options, k), key=lambda t: t["name"])
    dishes = []
    for j, t in enumerate(drawn, 1):
        price = _round(t["usd"] * factor * tier * rng.uniform(0.9, 1.15), step)
        dishes.append({"id": f"d{rid[1:]}-{j}", "name": t["name"], "price": price,
                       "ingredients": list(t["ingredients"]), "spice": t["spice"]})
    # The cuisine's staples not drawn (generated and collected menus alike), priced without a draw:
    # every other dish stays as it was.
    staples = [t for t in options if t["name"] in blocks.STAPLES.get(cuisine, ()) and t not in drawn]
    for j, t in enumerate(staples, len(drawn) + 1):
        dishes.append({"id": f"d{rid[1:]}-{j}", "name": t["name"], "price": _round(t["usd"] * factor * tier, step),
                       "ingredients": list(t["ingredients"]), "spice": t["spice"]})
    return dishes


def _unique_name(rng, cuisine, nb, taken) -> str:
    patterns, words = blocks.NAME_PATTERNS[cuisine]
    for _ in range(20):
        name = rng.choice(patterns).format(p=rng.choice(words), h=nb)
        if name not in taken:
            return name
    n = 2
    while f"{name} {n}" in taken:
        n += 1
    return f"{name} {n}"


def _curated_restaurants(city: str) -> list[dict]:
    out = []
    for r in curated.RESTAURANTS:
        if r["city"] != city:
            continue
        rng = random.Random(f"{SEED}-{r['id']}")
        nb = _neighbourhood(city, r["neighbourhood"])
        lat, lon = _offset(rng, nb[1], nb[2], 250)
        halal = all(d[5] for d in r["dishes"])
        out.append({"id": r["id"], "name": r["name"], "city": city, "neighbourhood": nb[0],
                    "lat": lat, "lon": lon, "cuisine": r["cuisine"], "rating": r["rating"],
                    "max_group": r["max_group"], "halal_certified": halal, "kosher_certified": False,
                    "prayer_spaces": list(nb[4]), "source": "curated",
                    "dishes": [{"id": d[0], "name": d[1], "price": float(d[3]), "ingredients": list(d[4]),
                                "spice": d[2], "halal": d[5]} for d in r["dishes"]]})
    return out


# Group sizes a generated restaurant seats (the first generation's; the later ones are smaller places).
GROUP_SIZES = (4, 6, 6, 8, 8, 10, 12, 16, 20, 30)
MORE_GROUP_SIZES = (4, 6, 8, 10, 12, 16)


def _generated(rng: random.Random, city: str, rid: str, cuisine: str, hood: str, lat0: float, lon0: float,
               prayer_near, taken: set[str], group_sizes: tuple[int, ...]) -> dict:
    """One generated restaurant near (lat0, lon0), named apart from ``taken`` (the name is added to it)."""
    name = _unique_name(rng, cuisine, hood, taken)
    taken.add(name)
    lat, lon = _offset(rng, lat0, lon0, 450)
    halal = rng.random() < blocks.HALAL_RATE.get(cuisine, 0.0)
    kosher = rng.random() < blocks.KOSHER_RATE.get(cuisine, 0.0)
    tier = rng.choice((0.75, 1.0, 1.0, 1.0, 1.3, 1.8))
    rating = round(min(4.9, max(3.0, rng.gauss(4.1, 0.3))), 1)
    max_group = rng.choice(group_sizes)
    prayer = [p for p in prayer_near if rng.random() < 0.75]
    return {"id": rid, "name": name, "city": city, "neighbourhood": hood, "lat": lat, "lon": lon,
            "cuisine": cuisine, "rating": rating, "max_group": max_group,
            "halal_certified": halal, "kosher_certified": kosher, "prayer_spaces": prayer,
            "source": "generated", "dishes": _menu(rng, city, cuisine, rid, halal, kosher, tier)}


def generate_restaurants(city: str, count: int, seed: str = SEED, start: int = 101) -> list[dict]:
    """``count`` generated restaurants in ``city`` (ids r-<code>-<start>...)."""
    rng = random.Random(f"{seed}-{city}-restaurants")
    hoods = blocks.NEIGHBOURHOODS[city]
    taken: set[str] = {r["name"] for r in curated.RESTAURANTS}
    out = []
    for i in range(count):
        nb = hoods[i % len(hoods)] if i < len(hoods) * 2 else rng.choice(hoods)
        cuisine = rng.choice(nb[3])
        rid = f"r-{CITY_CODES[city]}-{start + i}"
        out.append(_generated(rng, city, rid, cuisine, nb[0], nb[1], nb[2], nb[4], taken, GROUP_SIZES))
    return out


def more_restaurants(city: str, taken: set[str], seed: str = SEED, start: int = 201) -> list[dict]:
    """The restaurants of ``blocks.MORE_RESTAURANTS`` in ``city`` (ids r-<code>-201...), from their own
    random stream, so adding them left the first generation as it was; no name in ``taken``."""
    rng = random.Random(f"{seed}-{city}-more")
    taken = set(taken)
    out = []
    for _, hood, lat0, lon0, prayer_near, cuisine, count in (r for r in blocks.MORE_RESTAURANTS if r[0] == city):
        for _ in range(count):
            rid = f"r-{CITY_CODES[city]}-{start + len(out)}"
            out.append(_generated(rng, city, rid, cuisine, hood, lat0, lon0, prayer_near, taken, MORE_GROUP_SIZES))
    return out


def _stays(city: str, seed: str = SEED) -> list[dict]:
    rng = random.Random(f"{seed}-{city}-stays")
    out = []
    for s in curated.STAYS:
        if s[1] == city:
            nb = _neighbourhood(city, s[2])
            lat, lon = _offset(random.Random(f"{seed}-{s[0]}"), nb[1], nb[2], 250)
            out.append({"id": s[0], "city": city, "neighbourhood": s[2], "name": s[3], "price": float(s[4]),
                        "tags": list(s[5]), "why": s[6], "lat": lat, "lon": lon, "category": "hotel",
                        "rating": 4.4, "prayer_spaces": list(nb[4]), "source": "curated"})
    factor, step = blocks.STAY_PRICE[city]
    for i, nb in enumerate(blocks.NEIGHBOURHOODS[city]):
        pattern, usd, tags, kind = rng.choice(blocks.STAY_KINDS)
        name = pattern.format(h=nb[0])
        lat, lon = _offset(rng, nb[1], nb[2], 300)
        price = _round(usd * factor * rng.uniform(0.85, 1.2), step)
        out.append({"id": f"s-{CITY_CODES[city]}-{101 + i}", "city": city, "neighbourhood": nb[0], "name": name,
                    "price": price, "tags": sorted(set(tags) | set(nb[5][:2])), "why": nb[6],
                    "lat": lat, "lon": lon, "category": kind, "rating": round(rng.uniform(3.8, 4.8), 1),
                    "prayer_spaces": [p for p in nb[4] if rng.random() < 0.75], "source": "generated"})
    return out


def cities() -> list[dict]:
    keys = ("country", "currency", "symbol", "language", "greeting")
    out = []
    for name, facts in curated.CITIES.items():
        hoods = blocks.NEIGHBOURHOODS[name]
        lat = round(sum(n[1] for n in hoods) / len(hoods), 4)
        lon = round(sum(n[2] for n in hoods) / len(hoods), 4)
        out.append({"name": name, **dict(zip(keys, facts)), "lat": lat, "lon": lon,
                    "neighbourhoods": [n[0] for n in hoods]})
    return out


def generate(per_city: int = PER_CITY, seed: str = SEED) -> dict:
    """The whole catalogue: {"cities": [...], "restaurants": [...], "stays": [...]}."""
    restaurants, stays = [], []
    for city in curated.CITIES:
        first = _curated_restaurants(city) + generate_restaurants(city, per_city, seed)
        restaurants += first + more_restaurants(city, {r["name"] for r in first}, seed)
        stays += _stays(city, seed)
    check_names(restaurants)
    return {"cities": cities(), "restaurants": restaurants, "stays": stays}


def check_names(restaurants) -> None:
    """One dish name = one ingredient list everywhere (so a spoken name has one allergen set)."""
    seen: dict[str, list[str]] = {}
    for r in restaurants:
        for d in r["dishes"]:
            if seen.setdefault(d["name"], d["ingredients"]) != d["ingredients"]:
                raise ValueError(f"dish {d['name']!r} has two ingredient lists")


def to_lines(catalogue: dict) -> list[str]:
    body = [json.dumps({"kind": kind[:-1] if kind != "cities" else "city", **rec}, ensure_ascii=False,
                       sort_keys=True, separators=(",", ":"))
            for kind in ("cities", "restaurants", "stays") for rec in catalogue[kind]]
    digest = hashlib.sha256("\n".join(body).encode()).hexdigest()[:16]
    counts = {"restaurants": len(catalogue["restaurants"]),
              "dishes": sum(len(r["dishes"]) for r in catalogue["restaurants"]), "stays": len(catalogue["stays"])}
    meta = json.dumps({"kind": "meta", "digest": digest, "seed": SEED, **counts}, sort_keys=True)
    return [meta] + body


def write(path: Path = DATA_FILE, catalogue: dict | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(to_lines(catalogue or generate())) + "\n").encode()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)   # mtime 0 and no name: the same data gives the same bytes
    return path


def read(path: Path = DATA_FILE) -> dict:
    """The bundled catalogue as written: {"meta", "cities", "restaurants", "stays"}."""
    out: dict = {"meta": {}, "cities": [], "restaurants": [], "stays": []}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            kind = rec.pop("kind")
            if kind == "meta":
                out["meta"] = rec
            else:
                out["cities" if kind == "city" else kind + "s"].append(rec)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed file differs from the generator")
    args = ap.parse_args(argv)
    lines = to_lines(generate())
    if args.check:
        current = read()["meta"].get("digest") if DATA_FILE.exists() else None
        fresh = json.loads(lines[0])["digest"]
        print(f"committed {current}, generator {fresh}")
        return 0 if current == fresh else 1
    path = write()
    meta = json.loads(lines[0])
    print(f"wrote {path} ({path.stat().st_size:,} bytes): {meta['restaurants']} restaurants, "
          f"{meta['dishes']} dishes, {meta['stays']} stays")
    return 0


if __name__ == "__main__":
    sys.exit(main())
