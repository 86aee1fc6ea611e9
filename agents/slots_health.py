"""Health statements too unclear to store: a declared allergy or diet that names nothing we know
("I'm allergic to seelyak"), a made-up word that sounds like a health word ("I'm seliac" ->
coeliac), a real word where an allergen belongs that sounds like one ("allergic to looping" ->
lupin), or a statement about oneself naming an allergen whose health words were misheard ("I get
high from soy").  They are read back as a question, never stored and never ignored.
"""

from __future__ import annotations

import functools
import re

from agents.areas import places_in
from agents.slots import (_ALLERGEN_RE, _ALLERGY_ADD, _CLAUSE, _DIET_AVOIDS, _EATS, _FINE, ALLERGEN_WORDS, DIET_WORDS,
                          DISAGREES, GIVES_ILL, MAKES_ILL, REFUSE_VERBS, allergens_in, allergy_changes, diet_changes,
                          normalise)
from agents.slots_allergy import bare_allergens, more_allergens
from agents.slots_background import CULTURE_KEYS
from agents.slots_statements import QUESTION, own_statements
from speech.sound_alike import sounds_most_like

# Health words a speaker declares of themself ("I'm coeliac"); a made-up word that sounds like one
# of them ("I'm seliac") is read back as a question, never stored and never ignored.
SELF_HEALTH_WORDS = ("coeliac", "celiac", "vegetarian", "vegan", "pescatarian", "halal", "kosher", "lactose",
                     "pregnant", "jain", "gluten", "allergic", "intolerant", "sesame", "peanuts", "shellfish",
                     "dairy", "mustard", "celery", "sulphites", "lupin", "molluscs", "crustaceans")
# Ordinary words Whisper writes for a health word it does not know ("I keep halal" -> "I keep
# hell": base wrote "halal" for none of the outside evaluation's eight halal speakers): said
# where a health word belongs, they are read back, never stored.
ORDINARY_FOR = {"hell": "halal", "howl": "halal"}
# ... and said where a diet belongs: first in an answer, or after "so" / "eat", before "for me" or "only".
_ORDINARY_AS_DIET = re.compile(r"(?:^|[,.;] |\b(?:so|eat|keep|strictly|only) )(" + "|".join(ORDINARY_FOR) + r")"
                               r"(?=\s*(?:$|[,.;!?]|for me\b|only\b|please\b|and\b))")
_SELF_SAID = [re.compile(r"\b(?:i'?m|i am)\s+(?:an?\s+|very\s+|really\s+|quite\s+|severely\s+)?([a-z]+)"),
              re.compile(r"\b(?:i keep|i eat|(?:eat|chop) only|only (?:eat|chop)) ([a-z]+)"),
              re.compile(r"\b([a-z]+) (?:intolerant|allergy|free)\b"),
              re.compile(r"\b(?:allergic|allergy|allergies|intolerant|sensitive) to ([a-z]+)")]
MAX_SOUND_RATIO = 0.34  # as the transcript repair: at most a third of the sounds differ
CLOSE_SOUND_RATIO = 0.2  # a long word that is no word, anywhere in the statement: only a close likeness
# "I'm dairy-free" heard "I'm very free", "a gluten-free diet" heard "a new, free diet": a "<word>
# free" diet whose word is no allergen is read back, whatever the word.
_FREE_DIET = re.compile(r"\b(?:i'?m|i am) ([a-z]+)[ -]free\b|\b([a-z]+),?[ -]free diet\b")
_BEFORE_JAIN = re.compile(r"\b((?!strict)[a-z]+) jain\b")
# "<word> free" anywhere, but not the ordinary ones ("feel free", "I'm free", "sugar free").
_ANY_FREE = re.compile(r"(?<!')\b((?!(?:feel|for|set|break|scot|tax|duty|toll|hands|care|stress|sugar|alcohol|fat|smoke|"
                       r"caffeine|salt|cruelty|rent|fee|charge|cost|hassle|home|are|was|were|totally|completely)\b)"
                       r"[a-z]{3,})[ -]free\b")
# "gluten free" as Whisper hears it from some voices: "lube and free", its "-ten" an "and".
_AND_FREE = re.compile(r"\b([a-z]{3,}) and free\b")
# A health word Whisper split in two ("this caterian"), the second half no word at all.
_SPLIT_WORD = re.compile(r"\b(?:i'?m|i am) ([a-z]+) ([a-z]{4,})\b")
# "No pork for me": the foods a diet leaves out, said where the food belongs.
_NO_FOOD_FOR_ME = re.compile(r"\bno ([a-z]+) for me\b")
_LEFT_OUT_FOODS = ("pork", "beef", "meat", "eggs", "dairy", "gluten", "fish")
_FREE_DIETS = ("dairy free", "gluten free", "egg free", "nut free", "wheat free", "lactose free")


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
    ordinary, known = _ordinary(), set(SELF_HEALTH_WORDS) | set(DIET_WORDS) | set(ALLERGEN_WORDS)
    if not ordinary or QUESTION.search(normalise(text)):
        return None
    later = _reintroduced(text)
    capitalised = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", text)} - later  # "I'm Celia": a name
    t = normalise(text)
    if (whole := re.sub(r"[^a-z ]", "", t).strip()) in ORDINARY_FOR:  # "Hell." answering "any diet?"
        return whole, ORDINARY_FOR[whole]
    if (m := _ORDINARY_AS_DIET.search(t)) and not unclear_health(text):  # "so hell for me" (else read back whole)
        return m.group(1), ORDINARY_FOR[m.group(1)]
    for m in _FREE_DIET.finditer(t):
        heard = m.group(1) or m.group(2)
        if not _ALLERGEN_RE.fullmatch(heard) and f"{heard} free" not in known:
            return f"{heard} free", sounds_most_like(f"{heard} free", _FREE_DIETS, 0.25)  # named only if close
    free_said = [] if diet_changes(t)[0] else [f"{m.group(1)} free" for m in _ANY_FREE.finditer(t)]
    for heard in free_said:  # "I'm off dairy, dairy free" heard "I'm off very completely, very free"
        if heard not in known and (guess := sounds_most_like(heard, _FREE_DIETS, MAX_SOUND_RATIO)):
            return heard, guess
    for m in ([] if diet_changes(t)[0] else _AND_FREE.finditer(t)):  # "gluten free" heard "lube and free"
        if guess := sounds_most_like(f"{m.group(1)} n free", _FREE_DIETS, MAX_SOUND_RATIO):
            return m.group(0), guess
    for m in _BEFORE_JAIN.finditer(t):  # "strict Jain" heard "restrict Jain": which Jain diet decides onion
        if sounds_most_like(m.group(1), ("strict",), 0.4):
            return f"{m.group(1)} jain", "strict jain"
    for m in _NO_FOOD_FOR_ME.finditer(t):  # "no pork for me" heard "no port for me"
        if not _ALLERGEN_RE.fullmatch(m.group(1)) and m.group(1) not in known and m.group(1) not in _DIET_AVOIDS \
                and (guess := sounds_most_like(m.group(1), _LEFT_OUT_FOODS, MAX_SOUND_RATIO)):
            return m.group(1), guess
    for m in _SPLIT_WORD.finditer(t):  # "I'm pescatarian" heard "I'm this caterian", "I'm see liac" "I'm sea like"
        ratio = 0.25 if m.group(2) in ordinary else 0.3
        if m.group(2) not in known and f"{m.group(1)} {m.group(2)}" not in known \
                and (guess := sounds_most_like(m.group(1) + m.group(2), SELF_HEALTH_WORDS, ratio)):
            return f"{m.group(1)} {m.group(2)}", guess
    for heard in _unknown_words(text, ordinary, known):  # "Well, peskatarium really", "Shelfish, I'm allergic"
        if guess := sounds_most_like(heard, SELF_HEALTH_WORDS + _ALLERGEN_NAMES, CLOSE_SOUND_RATIO):
            return heard, guess
    for m in (m for pattern in _SELF_SAID for m in pattern.finditer(t)):
        heard = m.group(1)
        if heard in ORDINARY_FOR:
            return heard, ORDINARY_FOR[heard]
        if len(heard) < 4 or heard in known or (heard in ordinary and heard not in later) or heard in CULTURE_KEYS:
            continue
        if heard in capitalised:  # "I'm Celia", "I'm Megan": names; "I'm Ciliac" is no name we know, and that close
            if guess := sounds_most_like(heard, SELF_HEALTH_WORDS, CLOSE_SOUND_RATIO):
                return heard, guess
            continue
        if guess := sounds_most_like(heard, SELF_HEALTH_WORDS, MAX_SOUND_RATIO):
            return heard, guess
    return None


_INTRODUCED = re.compile(r"\b(?:I'?m|I am|[Mm]y name(?:'s| is)|[Cc]all me) ([A-Z][a-z]+)")


def _unknown_words(text: str, ordinary: frozenset, known: set) -> list[str]:
    """The long words of ``text`` that are no English word and no health word we know,
    lower-cased; not a capitalised word inside a sentence (a name or a place)."""
    words = re.findall(r"(?:^|(?<=[.!?] ))[A-Z][a-z]+|(?<![A-Za-z'])(?<!\bnot )[a-z]+(?![A-Za-z'])",  # not "not X"
                       text.replace("\u2019", "'"))
    return [w.lower() for w in words if len(w) >= 7 and not w.lower().startswith("allerg")  # allergy, allergique
            and w.lower() not in ordinary and w.lower() not in known and w.lower() not in CULTURE_KEYS
            and not places_in(w.lower())]  # "Peckham" is no pecan


def _reintroduced(text: str) -> set[str]:
    """Once the speaker has introduced themself, a later "I'm <Capitalised>" is no second name but
    a word Whisper capitalised: "I'm Mark, I'm Celia, diagnosed last year" (coeliac)."""
    return {m.group(1).lower() for m in list(_INTRODUCED.finditer(text.replace("\u2019", "'")))[1:]}


# Allergen names, to compare the word (or two) heard in a declaration with.
_ALLERGEN_NAMES = tuple(w for w in ALLERGEN_WORDS if " " not in w and "-" not in w)
_ALLERGEN_PAIRS = tuple(w for w in ALLERGEN_WORDS if w.count(" ") == 1)  # "tree nuts" heard "tree hurts"
# The food that starts a sentence about a reaction: "hazelnuts make my throat itch" heard "hazelmets make...".
_REACTION_SUBJECT = re.compile(r"(?:^|[.;!?] )([a-z]+) (?:make|makes|made|give|gives|gave) (?:me|my)\b")


# "I can't have celery or mustard" heard "I can't accelerate or muster": the verb is lost, the
# list's later items still stand where allergens belong.
_CANT_LIST = re.compile(r"\bi (?:can'?t|cannot) [a-z]+ (?:or|and) ([a-z]+(?: (?:or|and) [a-z]+)*)")


# "allergic to" as Whisper writes it for some voices: "I'm kosher and the logic to muster", "I'm a
# logic turnhurt" (allergic to nuts).
_LOGIC = r"(?:\b(?:a|the) logic (?:to|for)|\b(?:i'?m|i am) (?:a |the )?logic)\b"
_ALLERGIC_HEARD = re.compile(_LOGIC + r"\s+" + _CLAUSE)


def misheard_allergen(text: str) -> tuple[str, str] | None:
    """(word heard, allergen it sounds like) when a declared allergy names a real word that is no
    food but sounds like an allergen: "I react badly to looping and celery" -> ("looping", "lupin").
    Ordinary words are left alone by ``misheard_health``; here only where an allergen belongs."""
    t = normalise(own_statements(text))  # "my dad's allergic to bees": not the speaker's
    if QUESTION.search(t):
        return None
    listed = [m.group(1).split(",")[0] for m in _ALLERGY_ADD.finditer(t)  # the list right after "allergic to"
              if not m.group(0).startswith("add")]  # ("add a second user": no declaration)
    listed += [m.group(1) for m in _CANT_LIST.finditer(t)]
    listed += [m.group(1) for m in _ALLERGIC_HEARD.finditer(t)]
    listed += [m.group(1) for m in _REACTION_SUBJECT.finditer(t)]
    for items in listed:
        for first, second in re.findall(r"(?:^|\b(?:and|or)\s+(?:to |also )?)([a-z]+)(?: (?!and\b|or\b)([a-z]+))?", items):
            pair = f"{first} {second}"
            if second and not _ALLERGEN_RE.fullmatch(first) and not _ALLERGEN_RE.fullmatch(pair) \
                    and not _ALLERGEN_RE.fullmatch(second) \
                    and (guess := sounds_most_like(pair, _ALLERGEN_PAIRS, MAX_SOUND_RATIO)):
                return pair, guess
            if len(first) < 4 or _ALLERGEN_RE.fullmatch(first):
                continue
            if guess := sounds_most_like(first, _ALLERGEN_NAMES, MAX_SOUND_RATIO):
                return first, guess
    return None


# Diet words and the foods a diet leaves out ("beef", "halal"), as said; "not vegetarian" declares nothing.
_DIET_NAMED = re.compile(r"(?<!\bnot )(?<!\bnot a )\b(" + "|".join(
    sorted((re.escape(w) for w in {*DIET_WORDS, *_DIET_AVOIDS}), key=len, reverse=True)) + r")\b")
_REFUSES = REFUSE_VERBS + " eat"
# The body reacting, said with no food understood ("Groundnut dey worry me, ... my body go swell"
# heard "Ground day, worry me, ... my body goes swell"): a declaration whose food was lost.
_REACTION = (r"my (?:body|throat|skin|lips?|face|mouth|tongue) (?:go |goes |gets? |starts? (?:to )?)?"
             r"(?:swell|itch|close|burn|tingle)|sets? off my asthma|i swell up|i come out in (?:a rash|hives)")
# A declaration of something the speaker cannot eat, whatever follows it.
_DECLARES = re.compile(r"(?:allergic to|allerg(?:y|ies) to|i have an? [a-z ]*allergy|intolerant|intolerance|"
                       r"can'?t eat|cannot eat|can'?t have|can'?t go near|can'?t tolerate|cannot tolerate|"
                       r"react(?:s)? badly|sensitive to|my diet is|" + _REACTION + "|"
                       r"i'?m on an? [a-z]+ diet|(?:i'?m|i am) (?:very |really |severely )?allergic(?! to)|" + _LOGIC + "|"
                       + "|".join((_REFUSES, MAKES_ILL, GIVES_ILL, DISAGREES)) + ")")
_REFUSED = re.compile(r"\b" + _REFUSES + r" (.+)")
_BARE_ALLERGIC = re.compile(r"(?:and |but |so )?(?:i'?m|i am) (?:very |really |severely )?allergic")
# "I (really) don't eat X", "I (also) can't tolerate X": the speaker's own; not "half of them don't eat".
_SELF_DECLARES = re.compile(r"\bi (?:[a-z]+ )?(?:" + _REFUSES + r"|can'?t (?:eat|have|tolerate|go near)|"
                            r"cannot (?:eat|have|tolerate|go near)) (.+)")
# What follows "don't eat" that is no food: an amount, a time or place, or a pronoun for a food
# named in another clause ("eggs, I don't eat them").
# ... unless no food is named anywhere: "I don't eat them at all" alone lost the eggs it was about.
_UNNAMED_FOOD = re.compile(r"(?:it|them|those|these)\b")
_NOT_A_FOOD = re.compile(r"(?:much|a lot|enough|anything|out|late|early|after|before|at|in|on|with|breakfast|lunch|"
                         r"dinner|here|there|that|this|it|them|those|these|any)\b")


def unclear_health(text: str) -> str | None:
    """What was heard when the speaker declares an allergy or diet but nothing known is extracted
    ("I'm allergic to seelyak" -> "seelyak"), so the reply can read it back and ask; else None.

    Clause by clause: a diet understood in one clause does not cover a declaration in another
    ("I eat fish but no meat, and that's make me ill" stored the diet and asked nothing), and an
    allergy understood does not cover a food refused ("allergic to peanuts and I don't eat four")."""
    t = normalise(text)
    if not _DECLARES.search(t) or QUESTION.search(t):
        return None
    added, _, none_declared = allergy_changes(text)
    if none_declared or re.search(r"\bno longer\b|\bnot allergic\b|\bremove\b|\bthought i was\b", t):
        return None
    diet_said = bool(diet_changes(t)[0])
    food_named = bool(allergens_in(t) or _DIET_NAMED.search(t))
    for clause in (c.strip(" ,") for c in re.split(r"[,.;!?]", t)):
        if not _DECLARES.search(clause) or diet_changes(clause)[0]:
            continue
        if re.search(r"\b(spicy|spice|hot food|chilli|chillies)\b", clause):  # a taste, not a health fact
            continue
        refused = _REFUSED.search(clause)
        if refused and _UNNAMED_FOOD.match(refused.group(1)):
            if food_named:  # "eggs, I don't eat them"
                continue
        elif refused and _NOT_A_FOOD.match(refused.group(1)):  # "I don't eat much"
            continue
        if refused and diet_said and (allergens_in(refused.group(1)) or _DIET_NAMED.search(refused.group(1))):
            continue  # "I won't eat omelettes or anything with egg in it, I don't eat eggs": no egg, understood
        declared = _SELF_DECLARES.search(clause)
        if added and not (declared and not allergens_in(declared.group(1)) and not _NOT_A_FOOD.match(declared.group(1))):
            continue  # the allergy was understood; only the speaker's own refusal of an unknown food is asked
        if _BARE_ALLERGIC.fullmatch(clause):  # "..., I'm allergic": the whole statement is what to read back
            return t.strip(" ,.!")
        m = refused or _ALLERGY_ADD.search(clause)
        return re.sub(r"^(?:and|so|but|also) ", "", (m.group(1) if m else clause).strip(" ,")) or clause
    return None


# A food the speaker likes, cooks or asks for, or a place they live or work near, is no health
# statement ("I love prawns", "I live near the fish market").
_NOT_HEALTH = re.compile(r"\b(?:love|loves|like|likes|enjoy|favou?rite|fancy|crave|craving|want|prefer|miss|cook|make|"
                         r"order|try|had|ate|eaten|grew up|recipe|can (?:do|have|eat)|live|living|work|working|"
                         r"stay|staying|near)\b")
# A capitalised word inside a sentence is a name or a place ("Rye Lane"), not a food.
_INNER_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+")


# Allergens that, named beside a diet, are part of it, not an allergy: "I'm vegan, so no eggs or
# dairy", "I'm pregnant so no raw fish", "I'm pescatarian, fish yes".
_PART_OF_DIET = {"vegan": {"dairy", "egg", "fish", "crustacean", "mollusc"},
                 "vegetarian": {"fish", "crustacean", "mollusc"}, "jain": {"egg", "fish", "crustacean", "mollusc"},
                 "strict_jain": {"egg", "fish", "crustacean", "mollusc"},
                 "pescatarian": {"fish", "crustacean", "mollusc"}, "pregnancy_safe": {"fish", "egg", "dairy"},
                 "kosher": {"crustacean", "mollusc", "dairy"}, "halal": set(), "dairy_free": {"dairy"},
                 "gluten_free": {"gluten"}, "no_egg": {"egg"}, "no_beef": set(), "no_pork": set()}
# What the speaker says they eat, a whole list of it: "I eat chicken and fish but never beef".
_EATS_LIST = re.compile(r"\bi (?:(?:do |can |still |happily |only )?eat|still have) ([a-z' ,-]+?)(?=\s*(?:\bbut\b|\bexcept\b|"
                        r"\bnever\b|[.;!?]|$))")


_PUT_RIGHT = re.compile(r"\b(?:wait|sorry|actually|i mean|i meant|rather|not)\b")


def unstored_allergen(text: str) -> str | None:
    """The statement, when the speaker says something of themself that names an allergen, a diet
    or a food a diet leaves out, and that was not understood: the words around it were misheard
    ("I get hives from soy" heard "I get high from soy", "I no dey chop pork" heard "I know they
    chop pork", Hinglish "main beef nahi khata" heard "main beef na haikah", "I'm kosher and
    allergic to mustard" heard "I'm kosher and the logic to mustard"); else None.  An allergy
    understood covers the statement; a diet understood covers the allergens that are part of it."""
    own_raw = own_statements(text)
    own = normalise(own_raw)
    # a clause about a food the speaker likes, or where they live, is no health statement
    own_said = "".join(c for c in re.split(r"(?<=[,.;!?])", own_raw) if not _NOT_HEALTH.search(normalise(c)))
    said = normalise(own_said)
    if QUESTION.search(normalise(text)) or not (re.search(r"\b(?:i|i'?m|i'?d|me|my)\b|^main\b", said)
                                                or len(set(_ALLERGEN_RE.findall(said))) > 1):
        return None  # (two allergens named need no "I": "allergic to eggs, nuts" heard "a large egg to eggs, nuts")
    added, removed, none_declared = allergy_changes(own)
    if none_declared or removed or bare_allergens(own) or more_allergens(own):
        return None
    eaten = [a for pattern in (_EATS, _EATS_LIST) for m in pattern.finditer(own) for a in allergens_in(m.group(1))]
    fine = [a for m in _FINE.finditer(own) for a in allergens_in(m.group(1) or "")]
    without_names = normalise(_INNER_NAME.sub(" ", own_said))
    diets = [d for ds in diet_changes(own) for d in ds]
    part_of_diets = {a for d in diets for a in _PART_OF_DIET.get(d, ())}
    # an allergy understood covers the allergens it names, not another named beside it ("peanut se
    # allergy hai, aur sesame se bhi" heard "peanut sea allergy high yard, or sesame sea bye")
    unread = [a for a in allergens_in(without_names) if a not in eaten + fine + added and a not in part_of_diets]
    if added:  # (one put right is no other: "peanuts. Wait, no, it's almonds")
        return normalise(text).strip(" ,.!") if unread and not _PUT_RIGHT.search(own) else None
    return normalise(text).strip(" ,.!") if unread or (not diets and _DIET_NAMED.search(without_names)) else None


def health_question(text: str) -> tuple[str, str | None] | None:
    """What to read back before storing a health fact: (what was heard, the health word it may be,
    or None), or None when the statement was understood."""
    return (misheard_health(text) or misheard_allergen(text)
            or ((heard, None) if (heard := unclear_health(text) or unstored_allergen(text)) else None))
