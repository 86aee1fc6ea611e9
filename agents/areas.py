"""Neighbourhoods and boroughs people name as home, each resolved to its catalogue city.

"I live in Peckham" means London (neighbourhood Peckham): the profile keeps both, the agents
search the city and may prefer the neighbourhood.  The catalogue's own neighbourhoods are
included, plus their short forms ("Lekki" for "Lekki Phase 1") and well-known areas the
catalogue has no restaurant in yet.  Names shared by two cities (Chinatown, Chelsea, SoHo,
Greenwich) are left out: they say nothing about which city.
"""

from __future__ import annotations

import re
import unicodedata

from agents.catalogue.blocks import NEIGHBOURHOODS

# city -> areas said as home (display spelling); the catalogue's neighbourhoods are added below.
EXTRA_AREAS: dict[str, tuple[str, ...]] = {
    "Lagos": ("Lekki", "Ikeja", "Ikorodu", "Gbagada", "Magodo", "Festac", "Apapa", "Oshodi",
              "Ogba", "Ojota", "Agege", "Egbeda", "Isolo", "Ilupeju", "Mushin", "Oniru", "Banana Island",
              "Sangotedo", "Ojo", "Ogudu", "Anthony Village", "Ketu", "Obalende", "Ebute Metta", "Akoka",
              "Lekki Phase One", "Ikota", "Ilasamaja", "Alimosho", "Amuwo Odofin", "Satellite Town"),
    "London": ("Peckham", "Brixton", "Hackney", "Camden", "Camden Town", "Islington", "Clapham", "Stratford",
               "Croydon", "Lewisham", "Wembley", "Tottenham", "Walthamstow", "Notting Hill", "Kensington",
               "Fulham", "Hammersmith", "Ealing", "Bethnal Green", "Dalston", "Stoke Newington", "Deptford",
               "Woolwich", "Bermondsey", "Battersea", "Wandsworth", "Putney", "Balham", "Tooting", "Streatham",
               "Mayfair", "Marylebone", "Paddington", "Bayswater", "Holloway", "Finsbury Park", "Kilburn",
               "Hampstead", "Harrow", "Barking", "Ilford", "East Ham", "Canary Wharf", "Elephant and Castle",
               "Kennington", "Vauxhall", "Southwark", "Tower Hamlets", "Wimbledon", "Acton",
               "Shepherd's Bush", "Hounslow", "Enfield", "Edmonton", "Thamesmead", "Catford", "Forest Gate",
               "Leyton", "Mile End", "Poplar", "Old Kent Road", "Camberwell", "Dulwich", "Sydenham",
               "Brent", "Harlesden", "Willesden", "Neasden", "Edgware", "Golders Green", "King's Cross"),
    "New York": ("Brooklyn", "Manhattan", "Queens", "the Bronx", "Bronx", "Staten Island", "Bushwick", "Bed-Stuy",
                 "Bedford-Stuyvesant", "Park Slope", "Greenpoint", "Crown Heights", "Flatbush", "DUMBO",
                 "Upper East Side", "East Village", "West Village", "Tribeca", "Hell's Kitchen", "Bay Ridge",
                 "Sunset Park", "Red Hook", "Washington Heights", "Inwood", "Financial District", "Murray Hill",
                 "Gramercy", "Chelsea Manhattan", "Jamaica Queens", "Forest Hills", "Ridgewood", "Sunnyside",
                 "Elmhurst", "Fort Greene", "Clinton Hill", "Prospect Heights", "Cobble Hill",
                 "Carroll Gardens", "Brighton Beach", "Coney Island", "Riverdale", "Fordham", "Nolita",
                 "Morningside Heights", "Hamilton Heights", "Kips Bay", "Battery Park"),
    "Paris": ("Marais", "Saint-Germain", "Quartier Latin", "Pigalle", "Oberkampf", "Batignolles", "Montparnasse",
              "Republique", "Menilmontant", "Bercy", "Passy", "Les Halles", "Chatelet", "Grands Boulevards",
              "Sentier", "Butte-aux-Cailles", "Buttes-Chaumont", "La Villette", "Auteuil", "Trocadero",
              "Champs-Elysees", "Ile de la Cite", "Ile Saint-Louis", "Barbes", "Chateau Rouge", "Jourdain",
              "Abbesses", "Opéra", "Strasbourg-Saint-Denis", "Faubourg Saint-Antoine", "Porte de Clignancourt"),
    "Mumbai": ("Bandra", "Andheri", "Powai", "Borivali", "Malad", "Goregaon", "Kandivali", "Chembur", "Ghatkopar",
               "Kurla", "Worli", "Churchgate", "Marine Drive", "Malabar Hill", "Santacruz", "Vile Parle", "Khar",
               "Versova", "Mulund", "Vikhroli", "Sion", "Mahim", "Byculla", "Navi Mumbai", "Bandra East",
               "Andheri West", "Girgaon", "Grant Road", "Tardeo", "Breach Candy", "Cuffe Parade", "Nariman Point",
               "Parel", "Prabhadevi", "Wadala", "Dharavi", "Jogeshwari", "Dahisar", "Bhandup", "Kalina"),
}
AMBIGUOUS = {"chinatown", "chelsea", "soho", "greenwich"}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    return re.sub(r"\s+", " ", "".join(c for c in text if not unicodedata.combining(c)).lower()).strip()


def _table() -> dict[str, tuple[str, str]]:
    """Normalised spoken name -> (city, neighbourhood as displayed)."""
    table: dict[str, tuple[str, str]] = {}
    for city, hoods in NEIGHBOURHOODS.items():
        for hood in hoods:
            table[_key(hood[0])] = (city, hood[0])
    for city, names in EXTRA_AREAS.items():
        for name in names:
            table.setdefault(_key(name), (city, name.removeprefix("the ")))
    return {k: v for k, v in table.items() if k not in AMBIGUOUS}


AREAS = _table()
_AREA_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(AREAS, key=len, reverse=True)) + r")\b")


def area_in(normalised: str) -> tuple[str, str] | None:
    """(city, neighbourhood) of the first known area named in already-normalised text."""
    m = _AREA_RE.search(normalised)
    return AREAS[m.group(1)] if m else None


def same_area(said: str | None, catalogue_hood: str | None) -> bool:
    """A neighbourhood the user named matches a catalogue one ("Bandra" ~ "Bandra West")."""
    if not said or not catalogue_hood:
        return False
    a, b = _key(said), _key(catalogue_hood)
    return a == b or b.startswith(a + " ") or a.startswith(b + " ")
