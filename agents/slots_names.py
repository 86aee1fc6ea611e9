"""The speaker's name from how they introduce themselves ("my name is Ada", "call me Emeka",
"Tunde here", "I'm Ada and I'm vegan" -> "Ada"); a background, a city or a diet is never a name.
"""

from __future__ import annotations

import re

from agents.areas import CITY_ALIASES, area_in
from agents.dish_types import is_dish_phrase
from agents.slots import allergens_in, city_in, diet_changes, normalise
from agents.slots_background import CULTURE_RE, is_culture
from agents.slots_statements import RELATIVES, SAID_OF_SELF

# A name is what follows "my name is" / "call me" / "I'm" (capitalised), cut at a joining word.
# The name someone asks to be called wins over their full name ("Chukwuemeka Obi, call me Emeka").
_NAME_CALLED = re.compile(r"(?:call me|i go by|people call me|everyone calls me|they call me|dem (?:dey )?call me)\s+"
                          r"(?:just\s+)?"
                          r"([A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*)?)", re.I)
_NAME_ANY = re.compile(r"(?:my name is|my name's|name's|name is|first name|i'?m called|i am called|"
                       r"je m'appelle|je m’appelle|moi c'est|my name na|name na|na me be|"
                       r"mera naam|mera name|naam hai|(?:woman|man|girl|guy|person|lady|boy) (?:called|named))\s+"
                       r"(?:actually\s+|really\s+|in fact\s+)?"
                       r"([A-Za-z][\w'-]*(?: [A-Za-z][\w'-]*)?)", re.I)
# Hinglish puts the name before "hai": "naam Karan hai"; so do "Ifeoma is my name", Pidgin "na Ifeoma be my name".
_NAME_BEFORE_HAI = re.compile(r"\b(?i:naam)\s+([A-Z][\w'-]*)\s+(?i:hai|he|h)\b|"
                              r"\b([A-Z][\w'-]*)\s+(?i:is|be) my (?i:real |full |first )?(?i:name)\b")
# ("Chief Okonkwo speaking": both words; French "c'est Thibault à l'appareil".)
_NAME_HERE = re.compile(r"(?:^|[.!?,;]|\b(?:[Hh]i|[Hh]ello|[Hh]ey)\b)\W*(?:[Cc]'est\s+)?([A-Z][\w'-]+(?: [A-Z][\w'-]+)?) "
                        r"(?:here|speaking|this side|bol (?:raha|rahi) (?:hoon|hun|hu)|(?:à|a) l'appareil)\b")
# The short form offered instead of the name said: "it's Joseph, but you can say Joe", "Sid for short",
# "the kids say Uncle Femi, but just Femi is fine" (the name capitalised, as it is written down).
_NAME_OFFERED = re.compile(r"\b(?i:you can say|you can use|please use|just use|just say|"
                           r"(?:everyone|everybody|people|my friends|friends) (?:says?|use))\s+([A-Z][\w'-]*)|"
                           r"\b([A-Z][\w'-]*) (?i:for short)\b|"
                           r"\b(?i:just|but)\s+([A-Z][\w'-]*)\s+(?i:is fine|is ok|is okay|will do|works)\b")
# "I'm Faith's mum, Patience": the relative's name is not the speaker's; the name after it is.
_RELATIVE_OF = re.compile(r"(?:\bI'm|\bI am|\b[Tt]his is|\b[Ii]t's)\s+[A-Z][\w'-]*'s\s+(?:[a-z]+\s+)?"
                          r"(?i:" + "|".join(RELATIVES) + r")\b\W*?,?\s+([A-Z][\w'-]+)")
# "Ngozi, Ngozi Okafor": the name said again in full is the full name.
_IN_FULL = r"\s*[,.]\s*{first}((?: [A-Z][\w'-]+){{1,2}})\b"
# Words that open a reply before the name ("oh sorry, Adaeze", "yes, Claire").
_OPENING = re.compile(r"^\W*(?:(?:oh|ah|sorry|yes|yeah|yep|ok|okay|right|well|so|hi|hello|hey)\b\W*)+", re.I)
# A title said with a surname stays ("Mrs Adeyemi", "Chief Okonkwo"); a kin title before a given
# name drops ("Aunty Bisi" -> "Bisi").
# ("Mama Tunde" is Tunde's mother: no kin title.)
_KIN_TITLES = {"aunty", "auntie", "aunt", "uncle", "bro", "sis", "brother", "sister"}
# A short form offered as "X is fine" is a name only if it is not a day or a month ("just Sunday works")
# nor food.
_DATES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight", "today",
          "tomorrow", "january", "february", "march", "april", "june", "july", "august", "september",
          "october", "november", "december"}
# A title is no name without the name ("I'm Mr Johnson's wife").
_TITLES_ALONE = [[t] for t in ("mr", "mrs", "ms", "miss", "dr", "chief", "prof", "professor", "sir", "madam")]
# "Tolu, sorry, Tolani": a name corrected right after it is said.
_NAME_FIX = re.compile(r"^\W*(?i:sorry|no|i mean|actually|rather|or rather|well)\W+(?i:it'?s |i'?m |my name is )?"
                       r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)")
# (Pidgin "na Tunji" is "it's Tunji".)
_NAME_IM = re.compile(r"(?:\bI'm|\bI am|\b[Tt]his is|\b[Ii]t's|\bIm|\b[Nn]a|\b[Cc]'est)\s+([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)")
# A reply opening with a name before a comma ("Tomás, with an accent"; "Elizabeth, Liz is fine": the
# short form offered wins).  Hesitations, greetings and words that open any sentence are not names,
# nor is the first item of a list ("Salmon, tuna, cod").
_LEADING_NAME = re.compile(r"^\W*([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)\s*,\s*(.*)", re.S)
# "Kofi. I live in Harlem.": a name said alone, then a sentence about the speaker.
_NAME_THEN_SELF = re.compile(r"^\W*([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)\s*[.!]\s+(?:I|I'm|I am|My|And)\b")
_SHORT_FORM = re.compile(r"^(?:but\s+|or\s+|just\s+)*([A-Z][\w'-]+)(?:\s+is|'s)\s+(?:fine|ok|okay|good|easier)\b")
_OPENERS = {"abeg", "honestly", "basically", "listen", "look", "so", "oh", "ah", "eh", "wow", "yo", "sir", "ma",
            "madam", "mate", "bro", "anyway", "anyways", "wait", "first", "firstly", "also", "like", "um", "uh",
            "erm", "hmm", "oya", "haan", "arre", "accha", "achha", "ji", "bhai", "voila", "alors", "bon", "euh",
            "salam", "salaam", "shalom", "hiya", "howdy", "greetings", "kedu", "bawo", "hola", "ciao", "howfar",
            "wetin", "oga", "aunty", "bonsoir", "coucou", "cheers", "listen"}
_JOINING = {"and", "but", "from", "in", "i", "i'm", "im", "the", "of", "who", "here", "living", "based",
            "my", "so", "also", "with", "at", "to", "by", "originally", "or", "et", "je", "j'habite", "not",
            "hai", "hoon", "and", "na", "dey", "sorry", "no", "main", "aur",
            # words said after a name ("call me Joe actually")
            "actually", "please", "instead", "though", "really", "now", "then", "too", "thanks"}
_NOT_NAMES = {"me", "new", "here", "a", "an", "the", "from", "in", "not", "no", "so", "just", "back", "looking",
              "allergic", "vegetarian", "vegan", "starving", "hungry", "i", "based", "living", "moving", "staying",
              "going", "planning", "trying", "also", "really", "pregnant", "jain", "halal", "kosher", "coeliac",
              "celiac", "lactose", "pescatarian", "gluten", "sorry", "fine", "good", "okay", "ok", "well", "sure",
              "expecting", "vegetarian", "intolerant", "sensitive", "allergic", "currently", "originally", "half",
              "still", "now", "actually", "very", "quite", "afraid", "sure", "done", "ready", "off", "on", "at",
              "hello", "hi", "hey", "thanks", "thank", "yes", "yeah", "yep", "nope", "great", "cool", "bye",
              "morning", "evening", "please", "nothing", "none", "nah", "right", "alright", "bonjour", "merci",
              "salut", "oui", "non", "namaste", "hell", "what", "who", "why", "how", "where", "when", "help", "food",
              "dinner", "lunch", "breakfast", "hungry", "halal", "kosher", "vegan", "vegetarian", "nuts", "peanuts",
              # words that describe a background or faith ("I'm Orthodox Jewish", "I'm Sunni")
              "orthodox", "reform", "sunni", "shia", "devout", "practising", "practicing", "observant", "hasidic",
              "mixed", "proud",
              # ways of eating that are not among the stored diets ("I'm Ital so vegan", "I'm keto")
              "ital", "rasta", "rastafarian", "keto", "paleo", "flexitarian", "teetotal", "diabetic", "omnivore"}


def _clean_name(said: str) -> str | None:
    """The name's own words: cut at a joining word, never a background, a city or a state."""
    words = []
    said = " ".join(said.split()[1:]) if len(said.split()) > 1 and said.split()[0].lower() in _KIN_TITLES else said
    for w in said.split():
        if w.endswith("'s") or re.fullmatch(r"[A-Za-z](?:-[A-Za-z])*", w):  # "Faith's": whose; "D-A-M-I": spelling
            break
        if w.lower() in _JOINING or is_culture(w) or normalise(w) in CITY_ALIASES or area_in(normalise(w)):
            break
        words.append(w)
    if not words or words[0].lower() in _NOT_NAMES or is_culture(said) or [w.lower() for w in words] in _TITLES_ALONE:
        return None
    return " ".join(w[:1].upper() + w[1:].lower() if w.islower() or w.isupper() else w for w in words)


def name_in(text: str, answering: bool = False, correcting: bool = False) -> str | None:
    """The speaker's name from "my name is X", "call me X", "X here", or "I'm X" (capitalised);
    a correction right after it wins ("Tolu, sorry, Tolani").  ``answering``: the utterance
    answers "what's your name?", so a bare name ("Claire") counts too.  ``correcting``: that
    question was answered already, so a turn opening with a correction and a name puts it
    right ("no, Muhammad, M U H")."""
    text = text.replace("\u2019", "'")
    for pattern in (_NAME_CALLED, _NAME_OFFERED, _NAME_ANY, _NAME_BEFORE_HAI, _RELATIVE_OF, _NAME_HERE, _NAME_IM):
        for m in pattern.finditer(text):
            g = m.lastindex or 1  # the group of the alternative that matched
            if pattern is _NAME_OFFERED and (m.group(g).lower() in _DATES or is_dish_phrase(m.group(g))):
                continue  # "just Sunday works", "but Jollof is fine": no names
            name = _clean_name(m.group(g))
            if name and not city_in(name):
                fix = _NAME_FIX.match(text[m.end(g):])
                better = fix and _clean_name(fix.group(1))
                short = re.match(r"\s*,\s*(.*)", text[m.end(g):])  # "it's Jonathan, Jon is fine"
                short = short and _SHORT_FORM.match(short.group(1))
                better = better or (short and _clean_name(short.group(1)))
                return better if better and not city_in(better) else _in_full(name, text[m.end(g):])
    if correcting:
        fix = _NAME_FIX.match(text)
        return fix and bare_name(fix.group(1))
    if not answering:
        return None
    rest = _OPENING.sub("", text)  # "oh sorry, Adaeze"
    alone = _NAME_THEN_SELF.match(rest)
    return repeated_in_full(rest) or bare_name(rest) or leading_name(rest) or (alone and bare_name(alone.group(1)))


def _in_full(name: str, after: str) -> str:
    """``name``, or its full form when it is said again right after it ("Ngozi, Ngozi Okafor")."""
    m = re.match(_IN_FULL.format(first=re.escape(name)), after)
    return (_clean_name(name + m.group(1)) or name) if m and " " not in name else name


def repeated_in_full(text: str) -> str | None:
    """A reply that says the name, then again in full: "Farhan. Farhan Qureshi." -> "Farhan Qureshi"."""
    m = re.match(r"^\W*([A-Z][\w'-]+)", text)
    first = m and bare_name(m.group(1))
    full = first and _in_full(first, text[m.end():])
    return full if full and full != first else None


def leading_name(text: str) -> str | None:
    """A reply opening with a name and a comma: "Tomás, with an accent on the a" -> "Tomás";
    the short form offered after it wins ("Elizabeth, Liz is fine" -> "Liz")."""
    m = _LEADING_NAME.match(text)
    first = m and m.group(1)
    if not first or first.lower() in _OPENERS or first.lower().endswith("ly") or not bare_name(first):
        return None
    after = m.group(2).split(",")[0].split()
    said_of_them = after and (is_culture(after[0]) or city_in(after[0]))  # "Kwame, Ghanaian, ..."
    if len(after) == 1 and after[0].lower().strip(".!") not in {"please", "thanks", "hi", "hello"} and not said_of_them:
        return None  # "Salmon, tuna, cod": a list; "Bed, no, Flatbush": a slip
    segment = normalise(m.group(2).split(",")[0])  # ("Tomás, I'm allergic to nuts": said of the speaker)
    if allergens_in(segment) and not SAID_OF_SELF.match(segment):
        return None  # "Knets, all nuts, I'm allergic": the first of a list of foods (misheard), no name
    short = _SHORT_FORM.match(m.group(2))
    return (short and bare_name(short.group(1))) or bare_name(first)


def bare_name(text: str) -> str | None:
    """A reply that is only a name ("Claire", "Ada Obi."): one or two capitalised unknown words."""
    words = re.findall(r"[\w'-]+", text)
    if not 1 <= len(words) <= 2 or not all(w[:1].isupper() for w in words):
        return None
    t = normalise(text)
    if city_in(t) or area_in(t) or CULTURE_RE.search(t) or allergens_in(t) or diet_changes(t)[0]:
        return None
    return _clean_name(" ".join(words))
