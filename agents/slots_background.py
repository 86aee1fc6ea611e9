"""Cultural backgrounds the speaker states for themself ("I'm Yoruba", "of Gujarati descent",
"je suis algérienne"), in display spelling.  A background or ethnicity is a background, never a
name: ``agents.slots_names`` asks ``is_culture`` before taking a word as a name.
"""

from __future__ import annotations

import re

from agents.slots import normalise
from agents.word_match import words_regex

# Backgrounds people state as "I'm X": peoples, regions' people and nationalities (display spelling).
CULTURES = (
    "Yoruba", "Igbo", "Hausa", "Fulani", "Edo", "Ijaw", "Efik", "Ibibio", "Tiv", "Urhobo", "Itsekiri", "Kanuri",
    "Nigerian", "Ghanaian", "Akan", "Ashanti", "Ewe", "Kenyan", "Kikuyu", "Luo", "Ugandan", "Tanzanian",
    "Ethiopian", "Eritrean", "Somali", "Sudanese", "Senegalese", "Wolof", "Malian", "Ivorian", "Cameroonian",
    "Congolese", "South African", "Zulu", "Xhosa", "Zimbabwean", "Egyptian", "Moroccan", "Algerian",
    "Tunisian", "Berber", "Amazigh", "Lebanese", "Syrian", "Palestinian", "Jordanian", "Iraqi", "Kurdish",
    "Arab", "Persian", "Iranian", "Afghan", "Turkish", "Greek", "Cypriot", "Armenian",
    "Gujarati", "Punjabi", "Marathi", "Maharashtrian", "Bengali", "Tamil", "Telugu", "Malayali", "Kannadiga",
    "Konkani", "Goan", "Sindhi", "Parsi", "Kashmiri", "Rajasthani", "Marwari", "Bihari", "Odia", "Assamese",
    "Sikh", "Indian", "Pakistani", "Bangladeshi", "Sri Lankan", "Nepali", "Nepalese", "Tibetan",
    "Chinese", "Cantonese", "Hakka", "Taiwanese", "Japanese", "Korean", "Vietnamese", "Filipino", "Filipina",
    "Thai", "Malaysian", "Indonesian", "Singaporean",
    "Jamaican", "Trinidadian", "Barbadian", "Bajan", "Haitian", "Caribbean", "Dominican", "Puerto Rican",
    "Cuban", "Mexican", "Colombian", "Peruvian", "Brazilian", "Argentinian", "Venezuelan", "Ecuadorian",
    "Salvadoran", "Guatemalan", "Chilean", "Latino", "Latina", "Latinx",
    "British", "English", "Scottish", "Welsh", "Irish", "French", "Breton", "Italian", "Sicilian", "Spanish",
    "Catalan", "Basque", "Portuguese", "German", "Dutch", "Belgian", "Swiss", "Austrian", "Polish", "Czech",
    "Slovak", "Hungarian", "Romanian", "Bulgarian", "Serbian", "Croatian", "Bosnian", "Albanian",
    "Ukrainian", "Russian", "Swedish", "Norwegian", "Danish", "Finnish", "American", "Canadian",
    "Australian", "African American", "Black British", "Ashkenazi", "Sephardi", "Sephardic", "Mizrahi",
    "Jewish", "Hindu", "Muslim", "Christian", "Catholic", "Buddhist", "Zoroastrian",
    "Keralite", "Hyderabadi", "Mangalorean", "Coorgi", "Bohri", "Memon", "Kutchi", "Tulu", "Chettinad",
)
# French speakers say it in French ("je suis algérienne"): both genders, stored in English.
_FRENCH_CULTURES = {
    "Algerian": "algerien algerienne", "Moroccan": "marocain marocaine", "Tunisian": "tunisien tunisienne",
    "Senegalese": "senegalais senegalaise", "Malian": "malien malienne", "Ivorian": "ivoirien ivoirienne",
    "Cameroonian": "camerounais camerounaise", "Congolese": "congolais congolaise", "Haitian": "haitien haitienne",
    "French": "francais francaise", "Breton": "bretonne", "Lebanese": "libanais libanaise",
    "Vietnamese": "vietnamien vietnamienne", "Chinese": "chinois chinoise", "Italian": "italien italienne",
    "Portuguese": "portugais portugaise", "Spanish": "espagnol espagnole", "Indian": "indien indienne",
    "American": "americain americaine", "English": "anglais anglaise", "Nigerian": "nigerian nigeriane",
    "Jewish": "juif juive", "Muslim": "musulman musulmane", "Caribbean": "antillais antillaise",
}
CULTURE_KEYS = ({normalise(c): c for c in CULTURES} | {"ibo": "Igbo", "hausa-fulani": "Hausa", "naija": "Nigerian", "brit": "British"}
                | {word: english for english, words in _FRENCH_CULTURES.items() for word in words.split()})
CULTURE_RE = words_regex(CULTURE_KEYS)
# One compound background is one background: "Korean-American", "British Indian"; a people and a
# faith side by side are two ("Yoruba Muslim").
_CULTURE_PAIR = re.compile(CULTURE_RE.pattern + "([- ])" + CULTURE_RE.pattern)
# A second background right after the first: "I'm Yoruba and Igbo", "half Nigerian, half English".
_AND_ANOTHER = re.compile(r"(?:\s+and\s+(?:half\s+)?|\s*,\s*half\s+)" + CULTURE_RE.pattern)
_FAITHS = {"jewish", "hindu", "muslim", "christian", "catholic", "buddhist", "zoroastrian", "sikh", "juif", "juive",
           "musulman", "musulmane"}
# "I'm Yoruba", "I'm a Gujarati", "as a Gujarati", "je suis algérienne", "my background is Igbo",
# "of Punjabi descent", "Bengali by heritage".
_CULTURE_SAID = re.compile(
    r"\b(?:i'?m|i am|we're|we are|i be|as|je suis|nous sommes|my (?:family|parents|people) (?:is|are)|my (?:background|heritage|culture|"
    r"ethnicity|tribe|ethnic group)(?: is|'s)|i'?m of|i am of|i come from an?|i grew up|raised)\s+(?:an?\s+|half\s+|proudly\s+|originally\s+)?"
    r"(?P<c>[a-z' -]+?)(?=\s*(?:,|\.|!|\?|;|$| and | but | by | from | descent| heritage| background| family| "
    r"woman| man| girl| guy| person| lady| babe| in | living| who| so | i | et | mais ))")
# Pidgin "I be Igbo man", Hinglish "main Bengali hoon", or a background and "man/woman" leading a clause.
_CULTURE_OTHER = re.compile(r"\b(?:i be|na)\s+(?:an?\s+)?([a-z' -]+?)\s+(?:man|woman|girl|boy|babe|pikin)\b|"
                            r"\b(?:main\s+([a-z' -]+?)\s+(?:hoon|hun|hu)|hum\s+([a-z' -]+?)\s+(?:hain|hai|hein))\b|"
                            r"(?:^|[,.;!?])\s*([a-z' -]+?)\s+(?:man|woman|girl|guy|lady|boy|babe|munda|kudi|ladka|ladki)\b")
# Generation words are not the background ("second-gen Gujarati"); nor are hedges around it ("really").
_GENERATION = re.compile(r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:gen|generation)\b\s*")
_HEDGES = re.compile(r"^\s*(?:(?:well|actually|i mean|or rather|i guess|mostly)\s+)+|"
                     r"(?:\s+(?:really|actually|mostly|originally|i guess|i suppose|i think))+\s*$")
# A background others put on the speaker is not theirs ("people assume I'm Chinese, but I'm Vietnamese").
_SAID_BY_OTHERS = re.compile(r"(?<!\bi )\b(?:assume|assumes|assumed|think|thinks|thought|guess|guesses|mistake me for)"
                             r"\s+(?:that\s+)?(?:i'?m|i am)\s+(?:an?\s+)?$")
_HERITAGE = re.compile(r"\b(?:of|from an?|from the)\s+([a-z' -]+?)\s+(?:descent|heritage|background|family|origin|tribe|"
                       r"community)\b|"
                       r"(?:^|[,.;!?]|\band)\s*([a-z' -]+?)\s+by (?:background|heritage|descent|birth|culture|faith|religion|tribe)\b")


def cultures_in(text: str) -> list[str]:
    """Backgrounds the speaker states for themself ("I'm Yoruba", "of Gujarati descent"), display spelling."""
    t = _GENERATION.sub("", normalise(text))
    # a clause that is only a background: "I'm Ama, Ghanaian, living in Tottenham", "British Nigerian really"
    found = [c for clause in re.split(r"[,.;!?]", t) for c in _clause_cultures(_HEDGES.sub("", clause).strip())]
    for m in list(_CULTURE_SAID.finditer(t)) + list(_HERITAGE.finditer(t)) + list(_CULTURE_OTHER.finditer(t)):
        phrase = m.group(m.lastindex or 1)
        if phrase.strip().startswith(("not ", "no longer ")):  # "I'm not Jewish, but I keep kosher"
            continue
        if _SAID_BY_OTHERS.search(t[:m.start(m.lastindex or 1)]):  # "people assume I'm Chinese"
            continue
        if not (CULTURE_RE.fullmatch(phrase.strip()) or _CULTURE_PAIR.fullmatch(phrase.strip())
                or len(phrase.split()) <= 3):
            continue
        pairs = [(a, sep, b) for a, sep, b in _CULTURE_PAIR.findall(phrase) if sep == "-" or not {a, b} & _FAITHS]
        found += [CULTURE_KEYS[a] + sep + CULTURE_KEYS[b] for a, sep, b in pairs]
        for a, sep, b in pairs:
            phrase = phrase.replace(a + sep + b, " ")
        found += [CULTURE_KEYS[k] for k in CULTURE_RE.findall(phrase)]
        another = _AND_ANOTHER.match(t, m.end()) if m.re is _CULTURE_SAID else None
        found += [CULTURE_KEYS[another.group(1)]] if another else []
    return without_parts(list(dict.fromkeys(found)))


def _clause_cultures(clause: str) -> list[str]:
    """The background a clause is made of, alone ("Ghanaian") or compound ("British Nigerian"; a
    people and a faith are two: "Yoruba Muslim")."""
    if clause in CULTURE_KEYS:
        return [CULTURE_KEYS[clause]]
    pair = _CULTURE_PAIR.fullmatch(clause)
    if not pair:
        return []
    a, sep, b = pair.groups()
    return [CULTURE_KEYS[a], CULTURE_KEYS[b]] if sep == " " and {a, b} & _FAITHS else [CULTURE_KEYS[a] + sep + CULTURE_KEYS[b]]


def without_parts(cultures: list[str]) -> list[str]:
    """``cultures`` without those said again inside a compound one: "Nigerian, well, British Nigerian"
    is British Nigerian."""
    return [c for c in cultures if not any(c != other and c in re.split(r"[- ]", other) for other in cultures)]


def is_culture(words: str) -> bool:
    """A background ("Yoruba", "Black British", "Nigerian-British"), or words starting with one."""
    t = normalise(words)
    return bool(CULTURE_RE.match(t)) or all(CULTURE_RE.fullmatch(p) for p in re.split(r"[- ]", t) if p)
