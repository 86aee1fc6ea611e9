"""Neighbourhoods and boroughs people name as home, each resolved to its catalogue city.

"I live in Peckham" means London (neighbourhood Peckham): the profile keeps both, the agents
search the city and may prefer the neighbourhood.  The catalogue's own neighbourhoods are
included, plus their short forms ("Lekki" for "Lekki Phase 1") and well-known areas the
catalogue has no restaurant in yet.  Names shared by two cities (Chinatown, Chelsea, SoHo) are
left out: they say nothing about which city.  "Greenwich" alone is London's (New York's is said
"Greenwich Village").  Names are displayed with their accents ("Barbès"), matched without.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from agents.catalogue.blocks import NEIGHBOURHOODS
from agents.word_match import words_regex
from speech.sound_alike import sounds_most_like

# what people call the catalogue's cities
CITY_ALIASES = {
    "lagos": "Lagos", "london": "London", "new york city": "New York", "new york": "New York",
    "nyc": "New York", "manhattan": "New York", "brooklyn": "New York", "paris": "Paris",
    "mumbai": "Mumbai", "bombay": "Mumbai", "londres": "London", "new-york": "New York",
}
# Airports people name stand for their city ("from Heathrow to Shoreditch" is about London).
AIRPORTS = {
    "heathrow": "London", "gatwick": "London", "stansted": "London", "luton": "London",
    "jfk": "New York", "laguardia": "New York", "la guardia": "New York", "newark": "New York",
    "charles de gaulle": "Paris", "roissy": "Paris", "orly": "Paris", "cdg": "Paris",
    "murtala muhammed": "Lagos", "murtala mohammed": "Lagos", "chhatrapati shivaji": "Mumbai",
}
CITY_WORDS = {**CITY_ALIASES, **AIRPORTS}
CITY_RE = words_regex(CITY_WORDS)

# city -> areas said as home (display spelling); the catalogue's neighbourhoods are added below.
EXTRA_AREAS: dict[str, tuple[str, ...]] = {
    "Lagos": ("Lekki", "Ikeja", "VI", "Omole", "Ojodu", "Berger", "Iyana Ipaja", "Ikotun", "Igando", "Ibeju-Lekki", "Idumota", "Marina", "Sabo", "Onike", "Bariga", "Shomolu", "Somolu", "Palmgrove", "Ojuelegba", "Ijesha", "Itire", "Ikate", "Osapa", "Agungi", "Jakande", "VGC", "Ajao Estate", "Lekki Phase 2", "Opebi", "Allen Avenue", "Alausa", "Ipaja", "Ejigbo", "Okota", "Ago Palace", "Mile 2", "Orile", "Ijora", "Costain", "Ikorodu", "Gbagada", "Magodo", "Festac", "Apapa", "Oshodi",
              "Ogba", "Ojota", "Agege", "Egbeda", "Isolo", "Ilupeju", "Mushin", "Oniru", "Banana Island",
              "Sangotedo", "Ojo", "Ogudu", "Anthony Village", "Ketu", "Obalende", "Ebute Metta", "Akoka",
              "Lekki Phase One", "Ikota", "Ilasamaja", "Alimosho", "Amuwo Odofin", "Satellite Town", "Maryland"),
    "London": ("Peckham", "Stockwell", "Kentish Town", "Hoxton", "Angel", "Holborn", "Covent Garden", "Bloomsbury", "Pimlico", "Earl's Court", "Lambeth", "Hackney Wick", "Leytonstone", "Eltham", "Thornton Heath", "Tulse Hill", "Herne Hill", "Forest Hill", "Crystal Palace", "Norwood", "West Norwood", "Wood Green", "Muswell Hill", "Highbury", "Archway", "Clapham Junction", "Nine Elms", "Rotherhithe", "Surrey Quays", "Plaistow", "Upton Park", "Bromley", "Lewisham", "New Cross", "Charlton", "Kensal Rise", "Queens Park", "Maida Vale", "St John's Wood", "Belsize Park", "Primrose Hill", "Chiswick", "Wapping", "Limehouse", "Aldgate", "Clerkenwell", "Fitzrovia", "Knightsbridge", "Belgravia", "Barnes", "Hampstead Heath", "Seven Sisters", "Haringey", "Newham", "Brent Cross", "Colindale", "Hendon", "Southgate", "Palmers Green", "Brixton", "Hackney", "Camden", "Camden Town", "Islington", "Clapham", "Stratford",
               "Croydon", "Lewisham", "Wembley", "Tottenham", "Walthamstow", "Notting Hill", "Kensington",
               "Fulham", "Hammersmith", "Ealing", "Bethnal Green", "Dalston", "Stoke Newington", "Deptford",
               "Woolwich", "Bermondsey", "Battersea", "Wandsworth", "Putney", "Balham", "Tooting", "Streatham",
               "Mayfair", "Marylebone", "Paddington", "Bayswater", "Holloway", "Finsbury Park", "Kilburn",
               "Hampstead", "Harrow", "Barking", "Ilford", "East Ham", "Canary Wharf", "Elephant and Castle",
               "Kennington", "Vauxhall", "Southwark", "Tower Hamlets", "Wimbledon", "Acton",
               "Shepherd's Bush", "Hounslow", "Enfield", "Edmonton", "Thamesmead", "Catford", "Forest Gate",
               "Leyton", "Mile End", "Poplar", "Old Kent Road", "Camberwell", "Dulwich", "Sydenham",
               "Brent", "Harlesden", "Willesden", "Neasden", "Edgware", "Golders Green", "King's Cross", "Greenwich"),
    "New York": ("Brooklyn", "Lower Manhattan", "East Harlem", "Spanish Harlem", "Canarsie", "East New York", "Brownsville", "Bensonhurst", "Sheepshead Bay", "Woodside", "Bayside", "Rego Park", "Kew Gardens", "Howard Beach", "Rockaway", "Hudson Yards", "NoHo", "Meatpacking District", "Turtle Bay", "Yorkville", "Lenox Hill", "Two Bridges", "Boerum Hill", "Windsor Terrace", "Ditmas Park", "Kensington Brooklyn", "Flatiron", "Union Square", "Alphabet City", "Stuyvesant Town", "Roosevelt Island", "Mott Haven", "South Bronx", "Pelham Bay", "Throgs Neck", "Co-op City", "Jamaica Estates", "St. Albans", "Far Rockaway", "Maspeth", "Glendale", "Middle Village", "Whitestone", "College Point", "Downtown Brooklyn", "Brooklyn Heights", "Gowanus", "Dyker Heights", "Borough Park", "Manhattan", "Queens", "the Bronx", "Bronx", "Staten Island", "Bushwick", "Bed-Stuy",
                 "Bedford-Stuyvesant", "Park Slope", "Greenpoint", "Crown Heights", "Flatbush", "DUMBO",
                 "Upper East Side", "East Village", "West Village", "Tribeca", "Hell's Kitchen", "Bay Ridge",
                 "Sunset Park", "Red Hook", "Washington Heights", "Inwood", "Financial District", "Murray Hill",
                 "Gramercy", "Chelsea Manhattan", "Jamaica Queens", "Forest Hills", "Ridgewood", "Sunnyside",
                 "Elmhurst", "Fort Greene", "Clinton Hill", "Prospect Heights", "Cobble Hill",
                 "Carroll Gardens", "Brighton Beach", "Coney Island", "Riverdale", "Fordham", "Nolita",
                 "Morningside Heights", "Hamilton Heights", "Kips Bay", "Battery Park"),
    "Paris": ("Marais", "Ménilmontant", "Charonne", "Gambetta", "Parmentier", "Saint-Paul", "Invalides", "Saint-Michel", "Odéon", "Denfert-Rochereau", "Alésia", "Vaugirard", "Grenelle", "Clichy", "Place d'Italie", "Porte d'Italie", "Porte de Versailles", "Convention", "La Chapelle", "Stalingrad", "Jaurès", "Louvre", "Palais-Royal", "Beaubourg", "Arts et Métiers", "Temple", "Folie-Méricourt", "Picpus", "Daumesnil", "Reuilly", "Plaisance", "Pernety", "Javel", "Bir-Hakeim", "Ternes", "Monceau", "Wagram", "Épinettes", "Marcadet", "Château d'Eau", "Bonne Nouvelle", "Poissonnière", "Saint-Lazare", "Madeleine", "Concorde", "Saint-Germain", "Quartier Latin", "Pigalle", "Oberkampf", "Batignolles", "Montparnasse",
              "République", "Ménilmontant", "Bercy", "Passy", "Les Halles", "Châtelet", "Grands Boulevards",
              "Sentier", "Butte-aux-Cailles", "Buttes-Chaumont", "La Villette", "Auteuil", "Trocadéro",
              "Champs-Élysées", "Île de la Cité", "Île Saint-Louis", "Barbès", "Château Rouge", "Jourdain",
              "Abbesses", "Opéra", "Strasbourg-Saint-Denis", "Faubourg Saint-Antoine", "Porte de Clignancourt"),
    "Mumbai": ("Bandra", "Lokhandwala", "Oshiwara", "Mahalaxmi", "Walkeshwar", "Peddar Road", "Nepean Sea Road", "Malad West", "Goregaon East", "Santacruz West", "Kurla West", "Bandra Kurla Complex", "BKC", "Chowpatty", "Crawford Market", "Bhuleshwar", "Dongri", "Mazgaon", "Sewri", "Antop Hill", "Chembur East", "Tilak Nagar", "Ghatkopar East", "Vidyavihar", "Kanjurmarg", "Bhandup West", "Mulund West", "Borivali West", "Kandivali East", "Charkop", "Gorai", "Madh Island", "Marol", "Saki Naka", "Chandivali", "Hiranandani", "Seven Bungalows", "Four Bungalows", "Dharavi", "Andheri", "Powai", "Borivali", "Malad", "Goregaon", "Kandivali", "Chembur", "Ghatkopar",
               "Kurla", "Worli", "Churchgate", "Marine Drive", "Malabar Hill", "Santacruz", "Vile Parle", "Khar",
               "Versova", "Mulund", "Vikhroli", "Sion", "Mahim", "Byculla", "Navi Mumbai", "Bandra East",
               "Andheri West", "Girgaon", "Grant Road", "Tardeo", "Breach Candy", "Cuffe Parade", "Nariman Point",
               "Parel", "Prabhadevi", "Wadala", "Dharavi", "Jogeshwari", "Dahisar", "Bhandup", "Kalina"),
}
AMBIGUOUS = {"chinatown", "chelsea", "soho"}  # each is in London and New York
# Boroughs that hold other neighbourhoods: "Brooklyn, Williamsburg to be exact" is Williamsburg.
BOROUGHS = {"Brooklyn", "Queens", "Manhattan", "The Bronx", "Staten Island"}
# The name an area is kept under: what people call it, not a catalogue sub-division
# ("Lekki Phase 1" is Lekki, "Bandra West" is Bandra; "VI" is Victoria Island).
# A Mumbai suburb's East or West half is the suburb ("Malad West" is Malad): see ``_table``.
CANONICAL = {"vi": "Victoria Island", "lekki phase 1": "Lekki", "lekki phase one": "Lekki",
             "saint-germain-des-pres": "Saint-Germain", "marais": "Le Marais",
             "bronx": "The Bronx", "the bronx": "The Bronx", "ikeja gra": "Ikeja", "camden town": "Camden", "opera": "Opéra", "quartier latin": "Latin Quarter",
             "bedford-stuyvesant": "Bed-Stuy", "chelsea manhattan": "Chelsea", "jamaica queens": "Jamaica"}


def place_key(name: str) -> str:
    """A place name as matched: lower case, no accents ("Barbès" -> "barbes")."""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    return re.sub(r"\s+", " ", "".join(c for c in text if not unicodedata.combining(c)).lower()).strip()


def _table() -> dict[str, tuple[str, str]]:
    """Normalised spoken name -> (city, neighbourhood as displayed)."""
    table: dict[str, tuple[str, str]] = {}
    for city, hoods in NEIGHBOURHOODS.items():
        for hood in hoods:
            table[place_key(hood[0])] = (city, hood[0])
    for city, names in EXTRA_AREAS.items():
        for name in names:
            table.setdefault(place_key(name), (city, name.removeprefix("the ")))
    table = {k: (city, CANONICAL.get(k, hood)) for k, (city, hood) in table.items()}
    for k, (city, hood) in table.items():
        half = re.fullmatch(r"(.+) (?:east|west)", k)
        if half and table.get(half.group(1), ("",))[0] == city:
            table[k] = table[half.group(1)]
    return {k: v for k, v in table.items() if k not in AMBIGUOUS}


AREAS = _table()
_AMBIGUOUS_RE = words_regex(AMBIGUOUS)


def spelling_key(name: str) -> str:
    """How a place name is spelt, as compared: Whisper writes "St. Germain" and "Saint Germain"
    for Saint-Germain, "St John's Wood" for St. John's Wood."""
    return re.sub(r"\b(?:saint|st)\b\.?", "saint", name).replace("-", " ")


def _spelt_any_way(key: str) -> str:
    """The pattern of a spelling key: hyphens or spaces, "saint" or "st." ("St Paul's" is a
    cathedral in London, not Saint-Paul: a saint's name followed by 's is not the place)."""
    pattern = re.escape(key).replace(r"\ ", "[- ]")
    if "saint" not in key:
        return pattern
    return re.sub(r"\bsaint\b", r"(?:saint|st\\.?)", pattern) + r"(?!'s\b)"


_AREA_SPELT = {spelling_key(k): k for k in AREAS}
_AREA_RE = re.compile(r"\b(" + "|".join(
    _spelt_any_way(k) for k in sorted(_AREA_SPELT, key=len, reverse=True)) + r")\b")


def _area_of(match: re.Match) -> tuple[str, str]:
    return AREAS[_AREA_SPELT[spelling_key(match.group(1))]]


def area_in(normalised: str) -> tuple[str, str] | None:
    """(city, neighbourhood) of the first known area named in already-normalised text."""
    m = _AREA_RE.search(normalised)
    return _area_of(m) if m else None


def without_places(normalised: str) -> str:
    """The text with every city, area and airport name blanked ("new york cheesecake" -> "cheesecake"
    is still a dish; "york" alone is not)."""
    return CITY_RE.sub(" ", _AREA_RE.sub(" ", normalised))


def shared_area_in(normalised: str, city: str) -> str | None:
    """A name London and New York share ("Soho") that the text names, as ``city``'s catalogue
    spells it, when ``city`` has it."""
    m = _AMBIGUOUS_RE.search(normalised)
    if not m:
        return None
    return next((h[0] for h in NEIGHBOURHOODS.get(city, ()) if place_key(h[0]) == m.group(1)), None)


def shared_area_city(normalised: str, home: str | None) -> str | None:
    """The city of a name London and New York share ("Soho", "Chinatown"): the user's home when it is
    one of them, else the one whose catalogue has it ("Soho" is London's; New York's is "SoHo")."""
    m = _AMBIGUOUS_RE.search(normalised)
    if not m:
        return None
    if home in ("London", "New York"):
        return home
    cities = [city for city, hoods in NEIGHBOURHOODS.items() if any(place_key(h[0]) == m.group(1) for h in hoods)]
    return cities[0] if len(cities) == 1 else None


def same_area(said: str | None, catalogue_hood: str | None) -> bool:
    """A neighbourhood the user named matches a catalogue one ("Bandra" ~ "Bandra West")."""
    if not said or not catalogue_hood:
        return False
    a, b = place_key(said), place_key(catalogue_hood)
    return a == b or any(b.startswith(a + sep) or a.startswith(b + sep) for sep in (" ", "-"))


def places_in(normalised: str) -> list[tuple[int, str, str | None]]:
    """Every known place named, in order: (position, city, neighbourhood or None for a city)."""
    found = [(m.start(), *_area_of(m)) for m in _AREA_RE.finditer(normalised)]
    spans = [(m.start(), m.end()) for m in _AREA_RE.finditer(normalised)]
    for m in CITY_RE.finditer(normalised):
        if not any(a <= m.start() < b for a, b in spans):  # "Lagos Island" is an area, not the city
            area = AREAS.get(m.group(1))  # brooklyn/manhattan are city aliases and areas
            found.append((m.start(), CITY_WORDS[m.group(1)], area[1] if area else None))
    return sorted(found)


# A home place heard but not known is read back as the known place it sounds most like, if at
# most this share of its sounds differ (on the dev takes: "Lucky" ~ Lekki 0.25, "Pekkan" ~ Peckham
# 0.2, "Surula" ~ Surulere 0.29; "server" ~ Berger 0.33, a wrong guess, is not made).
MAX_SOUND_RATIO = 0.3


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", place_key(name))


@functools.lru_cache(maxsize=1)
def _by_letters() -> dict[str, tuple[str, str | None]]:
    """Every known place as its bare letters -> (city, neighbourhood or None)."""
    return {_letters(k): (city, hood) for k, (city, hood) in AREAS.items()} | {
        _letters(k): (city, AREAS[k][1] if k in AREAS else None) for k, city in CITY_ALIASES.items()}


def place_sounding_like(heard: str) -> tuple[str, str | None] | None:
    """(city, neighbourhood) of the known place ``heard`` sounds like ("Lucky" -> Lagos, Lekki), or None."""
    known = _by_letters()
    found = sounds_most_like(_letters(heard), known, MAX_SOUND_RATIO) if len(_letters(heard)) >= 2 else None
    return known[found] if found else None
