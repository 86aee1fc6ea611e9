"""Profile facts from how people introduce themselves: name, home (city and neighbourhood),
cultural background, and health statements too unclear to store (or misheard: "I'm seliac").

Pure functions over the transcript, like ``agents.slots``.  The rules that matter:
* a cultural background or ethnicity ("I'm Yoruba", "I'm Gujarati") is a background, never a name;
* a name stops at a joining word ("I'm Ada and I'm vegan" -> "Ada");
* a neighbourhood or borough named as home gives its city and is kept ("Peckham" -> London, Peckham);
* a sentence that declares an allergy or a diet but names nothing we know is read back, not stored.
"""

from __future__ import annotations

import functools
import re

from agents.areas import AMBIGUOUS, AREAS, BOROUGHS, CITY_ALIASES, area_in, places_in
from agents.word_match import words_regex
from agents.slots import (_ALLERGEN_RE as _ALLERGEN_WORDS_RE, ALLERGEN_WORDS, DIET_WORDS,
                          _ALLERGY_ADD, allergens_in, allergy_changes, carries_on, city_in, diet_changes, normalise)

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
_CULTURE_KEYS = ({normalise(c): c for c in CULTURES} | {"ibo": "Igbo", "hausa-fulani": "Hausa"}
                 | {word: english for english, words in _FRENCH_CULTURES.items() for word in words.split()})
_AREA_WORDS = words_regex(list(AREAS) + list(CITY_ALIASES))
_CULTURE_RE = words_regex(_CULTURE_KEYS)
# One compound background is one background: "Korean-American", "British Indian"; a people and a
# faith side by side are two ("Yoruba Muslim").
_CULTURE_PAIR = re.compile(_CULTURE_RE.pattern + "([- ])" + _CULTURE_RE.pattern)
# A second background right after the first: "I'm Yoruba and Igbo", "half Nigerian, half English".
_AND_ANOTHER = re.compile(r"(?:\s+and\s+(?:half\s+)?|\s*,\s*half\s+)" + _CULTURE_RE.pattern)
_FAITHS = {"jewish", "hindu", "muslim", "christian", "catholic", "buddhist", "zoroastrian", "sikh", "juif", "juive",
           "musulman", "musulmane"}
# "I'm Yoruba", "I'm a Gujarati", "as a Gujarati", "je suis algérienne", "my background is Igbo",
# "of Punjabi descent", "Bengali by heritage".
_CULTURE_SAID = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|i be|as|je suis|nous sommes|my (?:family|parents|people) (?:is|are)|my (?:background|heritage|culture|"
    r"ethnicity|tribe|ethnic group) is|i'?m of|i am of|i come from an?|i grew up|raised)\s+(?:an?\s+|half\s+|proudly\s+|originally\s+)?"
    r"(?P<c>[a-z' -]+?)(?=\s*(?:,|\.|!|\?|;|$| and | but | by | from | descent| heritage| background| family| "
    r"woman| man| girl| guy| person| lady| babe| in | living| who| so | i | et | mais ))")
# Pidgin "I be Igbo man", Hinglish "main Bengali hoon", or a background and "man/woman" leading a clause.
_CULTURE_OTHER = re.compile(r"\b(?:i be|na)\s+(?:an?\s+)?([a-z' -]+?)\s+(?:man|woman|girl|boy|babe|pikin)\b|"
                            r"\b(?:main\s+([a-z' -]+?)\s+(?:hoon|hun|hu)|hum\s+([a-z' -]+?)\s+(?:hain|hai|hein))\b|"
                            r"(?:^|[,.;!?])\s*([a-z' -]+?)\s+(?:man|woman|girl|guy|lady|boy)\b")
_HERITAGE = re.compile(r"\b(?:of|from an?|from the)\s+([a-z' -]+?)\s+(?:descent|heritage|background|family|origin|tribe|"
                       r"community)\b|"
                       r"(?:^|[,.;!?]|\band)\s*([a-z' -]+?)\s+by (?:background|heritage|descent|birth|culture)\b")

# A name is what follows "my name is" / "call me" / "I'm" (capitalised), cut at a joining word.
# The name someone asks to be called wins over their full name ("Chukwuemeka Obi, call me Emeka").
_NAME_CALLED = re.compile(r"(?:call me|i go by|people call me|everyone calls me|they call me|dem (?:dey )?call me)\s+"
                          r"(?:just\s+)?"
                          r"([A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*)?)", re.I)
_NAME_ANY = re.compile(r"(?:my name is|my name's|name's|name is|i'?m called|i am called|"
                       r"je m'appelle|je m’appelle|moi c'est|my name na|name na|"
                       r"mera naam|mera name|naam hai|(?:woman|man|girl|guy|person|lady|boy) (?:called|named))\s+"
                       r"(?:actually\s+|really\s+|in fact\s+)?"
                       r"([A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*)?)", re.I)
# Hinglish puts the name before "hai": "naam Karan hai".
_NAME_BEFORE_HAI = re.compile(r"\b(?i:naam)\s+([A-Z][\w'-]*)\s+(?i:hai|he|h)\b")
_NAME_HERE = re.compile(r"(?:^|[.!?,;]|\b(?:[Hh]i|[Hh]ello|[Hh]ey)\b)\W*([A-Z][\w'-]+)(?: [A-Z][\w'-]+)? "
                        r"(?:here|speaking|this side)\b")
# "Tolu, sorry, Tolani": a name corrected right after it is said.
_NAME_FIX = re.compile(r"^\W*(?i:sorry|no|i mean|actually|rather|or rather|well)\W+(?i:it'?s |i'?m |my name is )?"
                       r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)")
_NAME_IM = re.compile(r"(?:\bI'm|\bI am|\b[Tt]his is|\b[Ii]t's|\bIm)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)")
_JOINING = {"and", "but", "from", "in", "i", "i'm", "im", "the", "of", "who", "here", "living", "based",
            "my", "so", "also", "with", "at", "to", "by", "originally", "or", "et", "je", "j'habite", "not",
            "hai", "hoon", "and", "na", "dey", "sorry", "no", "main", "aur"}
_NOT_NAMES = {"me", "new", "here", "a", "an", "the", "from", "in", "not", "no", "so", "just", "back", "looking",
              "allergic", "vegetarian", "vegan", "starving", "hungry", "i", "based", "living", "moving", "staying",
              "going", "planning", "trying", "also", "really", "pregnant", "jain", "halal", "kosher", "coeliac",
              "celiac", "lactose", "pescatarian", "gluten", "sorry", "fine", "good", "okay", "ok", "well", "sure",
              "expecting", "vegetarian", "intolerant", "sensitive", "allergic", "currently", "originally", "half",
              "still", "now", "actually", "very", "quite", "afraid", "sure", "done", "ready", "off", "on", "at",
              "hello", "hi", "hey", "thanks", "thank", "yes", "yeah", "yep", "nope", "great", "cool", "bye",
              "morning", "evening", "please", "nothing", "none", "nah", "right", "alright", "bonjour", "merci",
              "salut", "oui", "non", "namaste", "what", "who", "why", "how", "where", "when", "help", "food",
              "dinner", "lunch", "breakfast", "hungry", "halal", "kosher", "vegan", "vegetarian", "nuts", "peanuts",
              # words that describe a background or faith ("I'm Orthodox Jewish", "I'm Sunni")
              "orthodox", "reform", "sunni", "shia", "devout", "practising", "practicing", "observant", "hasidic",
              "mixed", "proud"}


# Someone else's diet or allergy is not the speaker's: "my son is allergic to peanuts, I'm not".
# ("my family", "we" include the speaker, so they are not here.)
_OTHERS = ("wife", "husband", "partner", "girlfriend", "boyfriend", "fiance", "fiancee", "son", "sons", "daughter",
           "daughters", "kid", "kids", "child", "children", "baby", "mum", "mom", "mother", "mummy", "dad",
           "father", "daddy", "parents", "brother", "brothers", "sister", "sisters", "grandma", "grandmother",
           "granny", "grandpa", "grandfather", "aunt", "auntie", "uncle", "cousin", "niece", "nephew", "friend",
           "friends", "flatmate", "flatmates", "roommate", "housemate", "colleague", "boss", "in-laws")
_OTHERS_CLAUSE = re.compile(r"^\W*(?:(?:and|but|so|while|oh|well|also)\W+)*(?:(?:my|our) (?:[a-z'-]+ )?"
                            r"(?:" + "|".join(_OTHERS) + r")\b(?! and (?:i|me|myself)\b)|(?:he|she|they)\b|(?:he|she|they)'s\b)")
_CLAUSE_BREAK = re.compile(r"([,.;!?]|\bbut\b|\bwhile\b|\bwhereas\b|\band (?=i\b|i'm\b|i am\b|me\b))")


# Hesitations a transcript keeps ("I'm, uh, Rachel"): dropped with their commas before reading names.
_FILLERS = re.compile(r",?\s*\b(?:u+h+|u+m+|u+h+m+|e+r+m+|e+r+|h+m+)\b\s*,?", re.I)
# A first-person statement said with a rising tone is still a statement ("and I guess I live in Park Slope?").
_SAID_OF_SELF = re.compile(r"^\W*(?:(?:and|so|but|well|i guess|i think|like)\W+)*(?:i|i'm|i am|my)\b")


def without_fillers(text: str) -> str:
    """``text`` without "uh", "um", "erm": "I'm, uh, Rachel" -> "I'm Rachel"."""
    return re.sub(r"\s+", " ", _FILLERS.sub(" ", text)).strip()


def own_statements(text: str) -> str:
    """``text`` without the clauses about someone else ("my wife is vegetarian, but I eat meat" ->
    ", but I eat meat"): what the speaker says of themself."""
    parts = _CLAUSE_BREAK.split(text.replace("\u2019", "'"))
    return "".join(p for p in parts if not _OTHERS_CLAUSE.match(p.lower()))


def cultures_in(text: str) -> list[str]:
    """Backgrounds the speaker states for themself ("I'm Yoruba", "of Gujarati descent"), display spelling."""
    t = normalise(text)
    # a clause that is only a background: "I'm Ama, Ghanaian, living in Tottenham"
    found = [_CULTURE_KEYS[c.strip()] for c in re.split(r"[,.;!?]", t) if c.strip() in _CULTURE_KEYS]
    for m in list(_CULTURE_SAID.finditer(t)) + list(_HERITAGE.finditer(t)) + list(_CULTURE_OTHER.finditer(t)):
        phrase = m.group(m.lastindex or 1)
        if phrase.strip().startswith(("not ", "no longer ")):  # "I'm not Jewish, but I keep kosher"
            continue
        if not (_CULTURE_RE.fullmatch(phrase.strip()) or _CULTURE_PAIR.fullmatch(phrase.strip())
                or len(phrase.split()) <= 3):
            continue
        pairs = [(a, sep, b) for a, sep, b in _CULTURE_PAIR.findall(phrase) if sep == "-" or not {a, b} & _FAITHS]
        found += [_CULTURE_KEYS[a] + sep + _CULTURE_KEYS[b] for a, sep, b in pairs]
        for a, sep, b in pairs:
            phrase = phrase.replace(a + sep + b, " ")
        found += [_CULTURE_KEYS[k] for k in _CULTURE_RE.findall(phrase)]
        another = _AND_ANOTHER.match(t, m.end()) if m.re is _CULTURE_SAID else None
        found += [_CULTURE_KEYS[another.group(1)]] if another else []
    return list(dict.fromkeys(found))


def _is_culture(words: str) -> bool:
    """A background ("Yoruba", "Black British", "Nigerian-British"), or words starting with one."""
    t = normalise(words)
    return bool(_CULTURE_RE.match(t)) or all(_CULTURE_RE.fullmatch(p) for p in re.split(r"[- ]", t) if p)


def _clean_name(said: str) -> str | None:
    """The name's own words: cut at a joining word, never a background, a city or a state."""
    words = []
    for w in said.split():
        if w.lower() in _JOINING or _is_culture(w) or normalise(w) in CITY_ALIASES or area_in(normalise(w)):
            break
        words.append(w)
    if not words or words[0].lower() in _NOT_NAMES or _is_culture(said):
        return None
    return " ".join(w[:1].upper() + w[1:].lower() if w.islower() or w.isupper() else w for w in words)


def name_in(text: str, answering: bool = False) -> str | None:
    """The speaker's name from "my name is X", "call me X", "X here", or "I'm X" (capitalised);
    a correction right after it wins ("Tolu, sorry, Tolani").  ``answering``: the utterance
    answers "what's your name?", so a bare name ("Claire") counts too."""
    text = text.replace("\u2019", "'")
    for pattern in (_NAME_CALLED, _NAME_ANY, _NAME_BEFORE_HAI, _NAME_HERE, _NAME_IM):
        for m in pattern.finditer(text):
            name = _clean_name(m.group(1))
            if name and not city_in(name):
                fix = _NAME_FIX.match(text[m.end(1):])
                better = fix and _clean_name(fix.group(1))
                return better if better and not city_in(better) else name
    return bare_name(text) if answering else None


def bare_name(text: str) -> str | None:
    """A reply that is only a name ("Claire", "Ada Obi."): one or two capitalised unknown words."""
    words = re.findall(r"[\w'-]+", text)
    if not 1 <= len(words) <= 2 or not all(w[:1].isupper() for w in words):
        return None
    t = normalise(text)
    if city_in(t) or area_in(t) or _CULTURE_RE.search(t) or allergens_in(t) or diet_changes(t)[0]:
        return None
    return _clean_name(" ".join(words))


def bare_allergens(text: str) -> list[str]:
    """A reply that only names allergens ("Sesame and shellfish."): the answer to "any allergies?"."""
    t = normalise(text)
    if "?" in t:  # "peanuts?" asks, it does not answer
        return []
    rest = _ALLERGEN_WORDS_RE.sub(" ", t)
    if re.sub(r"[\W_]+|\b(?:and|or|also|just|only|please|to|some|plus|yes)\b", "", rest):
        return []
    return allergens_in(t)


def more_allergens(text: str) -> list[str]:
    """Allergens added by a turn that carries on an allergy list ("and also mussels, I forgot those")."""
    t = normalise(text)
    return allergens_in(t) if carries_on(t) and not _QUESTION.search(t) else []


_HOME = [re.compile(p) for p in (
    r"(?:i live in|i'm living in|i am living in|i live at|i live near|i live around|based in|based out of|"
    r"moved to|moved from [a-z' -]+? to|moving to|home city (?:is|to)|home is|my city is|my area is|my neighbourhood is|"
    r"my neighborhood is|i'm staying in|i am staying in|relocated to|i stay in|j'habite a|j'habite en|"
    r"j'habite dans|je vis a|(?<!i'm )(?<!i am )living in)\s+(.+)",
    r"(?:i'm from|i am from|i come from)\s+(.+)",
    r"\bfrom\s+(?:the\s+)?(" + "|".join(sorted(list(CITY_ALIASES) + list(AREAS), key=len, reverse=True)) + r")\b")]
# Words that say a known place is where the speaker lives, however it is phrased
# ("my flat's in Yaba", "I dey Lekki", "Bandra mein rehta hoon", "I'm in Camden").
# "Sorry, I meant Powai" puts right the place just given.
_HOME_WORDS = re.compile(r"\b(?:live|lives|living|stay|staying|flat|house|apartment|home|based|moved|move|"
                         r"dey|rehta|rehti|rehte|ghar|i'?m in|i am in|now in|reside|settled|i meant)\b")
# A clause about work or a past home names a place that is not home now ("Andheri is where I work",
# "I was in Stratford at first").
_NOT_HOME = re.compile(r"\b(?:i work(?! from home)|work(?:ing)? (?:in|at|near)|where i work|my (?:office|job|work)|"
                       r"office is|i used to|used to live|i lived|i was (?:in|living|staying|based)|at first|"
                       r"previously|before that)\b")
_CLAUSE_END = re.compile(r"[,.;!?]|\bbut\b")
# A visit is not a home ("staying in Paris for a week", "a trip to Lagos").
_VISIT = re.compile(r"\b(?:visit|visiting|trip|holiday|vacation|travel|travelling|traveling|for (?:a|one|two|three|"
                    r"the|\d+) (?:night|nights|day|days|week|weeks|weekend)|this weekend|hotel|conference)\b")
# A correction: the place said last is the one meant ("Ikeja, actually no, I moved to Yaba").
_CORRECTION = re.compile(r"\b(?:no|sorry|actually|i mean|rather|not anymore|used to|old place|moved)\b|, well,")


def home_place(text: str, answering: bool = False) -> tuple[str | None, str | None]:
    """(home city, neighbourhood) the speaker says they live in: "I live in Peckham" -> London,
    Peckham; "I'm from Lagos" -> Lagos, None; an unknown place's capitalised words as the city.
    ``answering``: the utterance answers "where do you live?", so a bare place counts too."""
    raw = _statements(text)  # "Where should I stay in Paris?" says nothing about home
    t = normalise(raw)
    places = _home_places(t)
    for pattern in _HOME[:2]:  # "I live in ...", "I'm from ...": the place said after it
        m = pattern.search(t)
        if not m or ("stay" in m.group(0) and _VISIT.search(t[m.start():])):  # "staying in Paris for a week"
            continue
        said = [p for p in places if p[0] >= m.start(1)]
        if said:
            return _pick(said if not _CORRECTION.search(t[m.start(1):]) else said[::-1][:1] + said)
        return _capitalised_place(raw, m.start(1)), None
    if places and not _VISIT.search(t) and (_HOME_WORDS.search(t) or answering or _only_places(t)):
        return _pick(places[::-1] if _CORRECTION.search(t) else places)
    m = _HOME[2].search(t)  # "Tunde from Lagos": where they are from, when nothing says where they live
    said = [p for p in places if p[0] >= m.start()] if m else []
    return _pick(said) if said else (None, None)


def _home_places(t: str) -> list[tuple[int, str, str | None]]:
    """The places named in ``t`` outside clauses about work or a past home."""
    cuts = [0] + [m.end() for m in _CLAUSE_END.finditer(t)] + [len(t)]
    away = [(a, b) for a, b in zip(cuts, cuts[1:]) if _NOT_HOME.search(t[a:b])]
    return [p for p in places_in(t) if not any(a <= p[0] < b for a, b in away)]


def _statements(text: str) -> str:
    """The text without its questions, single-spaced (so normalised positions match it)."""
    parts = re.findall(r"[^,.!?;]+[,.!?;]?", text.replace("\u2019", "'"))
    kept = [p for p in parts if not _QUESTION.match(normalise(p))
            and (not p.strip().endswith("?") or _SAID_OF_SELF.match(normalise(p)))]
    return re.sub(r"\s+", " ", " ".join(kept)).strip()


def _pick(places: list[tuple[int, str, str | None]]) -> tuple[str, str | None]:
    """The first place of ``places`` (its city), with a neighbourhood of that city if one is named."""
    city = places[0][1]
    at, hood = next(((at, h) for at, c, h in places if h and c == city), (0, None))
    inside = [h for pos, c, h in places if c == city and h and h not in BOROUGHS and pos > at]
    return city, inside[0] if hood in BOROUGHS and inside else hood  # "Brooklyn, Williamsburg": Williamsburg


def _only_places(t: str) -> bool:
    """The utterance is just places ("Mumbai, Andheri"): an answer to "where do you live?"."""
    rest = _AREA_WORDS.sub(" ", t)
    return not re.sub(r"[\W_]+|\b(?:in|the|and|no|yes|it's|side|now|please)\b", "", rest)


def _until_next_clause(fragment: str) -> str:
    """The place words only: "peckham and i'm vegan" -> "peckham"."""
    return re.split(r"[.;!?]| and i| but | so | i'?m | my ", fragment)[0]


def _capitalised_place(raw: str, start: int) -> str | None:
    """A place name not in the catalogue: the capitalised words at ``start`` of the raw text."""
    m = re.match(r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)*)", raw[start:])
    if not m or _is_culture(m.group(1)) or normalise(m.group(1)) in AMBIGUOUS:  # "Chelsea": which city?
        return None
    return m.group(1)


# Health words a speaker declares of themself ("I'm coeliac"); a made-up word that sounds like one
# of them ("I'm seliac") is read back as a question, never stored and never ignored.
SELF_HEALTH_WORDS = ("coeliac", "celiac", "vegetarian", "vegan", "pescatarian", "halal", "kosher", "lactose",
                     "pregnant", "jain", "gluten", "allergic", "intolerant", "sesame", "peanuts", "shellfish",
                     "dairy", "mustard", "celery", "sulphites", "lupin", "molluscs", "crustaceans")
_SELF_SAID = [re.compile(r"\b(?:i'?m|i am)\s+(?:an?\s+|very\s+|really\s+|quite\s+|severely\s+)?([a-z]+)"),
              re.compile(r"\b([a-z]+) (?:intolerant|allergy|free)\b"),
              re.compile(r"\b(?:allergic|allergy|allergies|intolerant|sensitive) to ([a-z]+)")]
MAX_SOUND_RATIO = 0.34  # as the transcript repair: at most a third of the sounds differ


@functools.lru_cache(maxsize=1)
def _ordinary() -> frozenset:
    """Real English words (the pinned MiniLM vocabulary); empty if unavailable."""
    try:
        from speech.transcript_fix import ordinary_words

        return ordinary_words()
    except Exception:  # noqa: BLE001 - without the list, no guessing (the plain read-back still works)
        return frozenset()


def misheard_health(text: str) -> tuple[str, str] | None:
    """(word heard, health word it sounds like) when the speaker seems to declare a health fact
    with a word we do not know ("I'm seliac" -> ("seliac", "coeliac")); else None."""
    from speech.transcript_fix import edit_distance, sound_spelling

    ordinary, known = _ordinary(), set(SELF_HEALTH_WORDS) | set(DIET_WORDS) | set(ALLERGEN_WORDS)
    if not ordinary or _QUESTION.search(normalise(text)):
        return None
    capitalised = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", text)}  # "I'm Celia": a name
    t = normalise(text)
    for m in (m for pattern in _SELF_SAID for m in pattern.finditer(t)):
        heard = m.group(1)
        if len(heard) < 4 or heard in known or heard in ordinary or heard in _CULTURE_KEYS or heard in capitalised:
            continue
        sound = sound_spelling(heard)
        scored = sorted((edit_distance(sound, sound_spelling(w)) / max(len(sound), len(sound_spelling(w))), w)
                        for w in SELF_HEALTH_WORDS)
        if scored[0][0] <= MAX_SOUND_RATIO:
            return heard, scored[0][1]
    return None


# A declaration of something the speaker cannot eat, whatever follows it.
_DECLARES = re.compile(r"(?:allergic to|allerg(?:y|ies) to|i have an? [a-z ]*allergy|intolerant|intolerance|"
                       r"can'?t eat|cannot eat|can'?t have|react(?:s)? badly|sensitive to|makes? me (?:ill|sick)|"
                       r"my diet is|i'?m on an? [a-z]+ diet)")
# A question about the profile ("what are my allergies?") declares nothing.
_QUESTION = re.compile(r"\?|^\W*(?:what|which|where|how|should|would|do|does|did|is|are|can you|could you|"
                       r"tell me|show|read|list|recommend|find|any)\b")


def unclear_health(text: str) -> str | None:
    """What was heard when the speaker declares an allergy or diet but nothing known is extracted
    ("I'm allergic to seelyak" -> "seelyak"), so the reply can read it back and ask; else None."""
    t = normalise(text)
    if not _DECLARES.search(t) or _QUESTION.search(t):
        return None
    added, _, none_declared = allergy_changes(text)
    if added or none_declared or diet_changes(text)[0] or re.search(r"\bno longer\b|\bnot allergic\b|\bremove\b", t):
        return None
    if re.search(r"\b(spicy|spice|hot food|chilli|chillies)\b", t):  # a taste, not a health fact
        return None
    m = _ALLERGY_ADD.search(t)
    heard = (m.group(1) if m else t).strip(" ,")
    return heard or t


def health_question(text: str) -> tuple[str, str | None] | None:
    """What to read back before storing a health fact: (what was heard, the health word it may be,
    or None), or None when the statement was understood."""
    return misheard_health(text) or ((heard, None) if (heard := unclear_health(text)) else None)


# How bad an allergy is, as the speaker says it; kept on the profile as "allergen=severity".
SEVERITY_WORDS = (("severe", re.compile(r"\b(severe(ly)?|anaphyla\w*|epipen|deadly|serious(ly)?|life.threatening)\b")),
                  ("mild", re.compile(r"\b(mild(ly)?|slight(ly)?|a (little|bit))\b")),
                  ("intolerance", re.compile(r"\bintoleran(t|ce)\b")))


def severity_in(text: str) -> str | None:
    """"severe" / "mild" / "intolerance" when the utterance says so, else None."""
    t = text.lower()
    return next((name for name, pattern in SEVERITY_WORDS if pattern.search(t)), None)


def severity_of(profile: dict) -> dict[str, str]:
    """Allergen -> severity from the profile's ``allergy_severity`` ("peanut=severe" entries)."""
    return dict(entry.split("=", 1) for entry in profile.get("allergy_severity") or () if "=" in entry)

