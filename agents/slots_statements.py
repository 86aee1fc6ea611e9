"""Which words of an utterance are the speaker's own statements: without hesitations ("uh", "um"),
without the clauses about someone else ("my wife is vegetarian"), without its questions.

Pure functions over the transcript, like ``agents.slots``; the other ``agents.slots_*`` readers
start from these.
"""

from __future__ import annotations

import re

from agents.slots import normalise

# Someone else's diet or allergy is not the speaker's: "my son is allergic to peanuts, I'm not".
# ("my family", "we" include the speaker, so they are not here.)
RELATIVES = ("wife", "husband", "partner", "girlfriend", "boyfriend", "fiance", "fiancee", "son", "sons", "daughter",
             "daughters", "kid", "kids", "child", "children", "baby", "mum", "mom", "mother", "mummy", "dad",
             "father", "daddy", "parents", "brother", "brothers", "sister", "sisters", "grandma", "grandmother",
             "granny", "grandpa", "grandfather", "aunt", "auntie", "uncle", "cousin", "niece", "nephew", "friend",
             "friends", "flatmate", "flatmates", "roommate", "housemate", "colleague", "boss", "in-laws",
             "twins", "spouse", "hubby", "wifey", "grandson", "granddaughter", "grandkids", "grandchildren",
             "stepson", "stepdaughter", "grandparents", "toddler", "pikin", "pikins", "roommates", "housemates", "colleagues",
             "neighbour", "neighbor", "best friend", "mother-in-law", "father-in-law", "brother-in-law", "sister-in-law")
# French relatives ("mon mari est allergique aux noix, mais moi non").
RELATIVES_FR = ("mari", "femme", "epouse", "fils", "fille", "enfants", "enfant", "pere", "mere", "frere", "soeur",
                "copain", "copine", "colocataire", "coloc", "parents", "ami", "amie", "amis", "collegue")
# Hindi relatives, as Hinglish writes them ("meri behen", "mummy ne").
RELATIVES_HI = ("maa", "mummy", "papa", "behen", "bahen", "didi", "bhai", "bhaiya", "dost", "biwi", "pati", "beta", "beti")
# "Eggs, they make me sick": "they" is the food when what follows acts on the speaker.
_DOES_TO_ME = r" (?:make|makes|made|give|gives|gave|upset|upsets) me\b"
# "one of the kids is allergic to eggs": a relative said with "the" or "one of" too.
_OTHERS_CLAUSE = re.compile(r"^\W*(?:(?:and|but|so|while|oh|well|also|et|mais)\W+)*(?:(?:one of )?(?:my|our|the|meri|mera|mere) (?:[a-z'-]+ )?"
                            r"(?:" + "|".join(RELATIVES) + r")\b(?! and (?:i|me|myself)\b)|"
                            r"(?:he|she|they)\b(?!" + _DOES_TO_ME + r")|(?:he|she|they)'s\b|"
                            r"(?:mon|ma|mes|notre|nos) (?:" + "|".join(RELATIVES_FR) + r")\b)")
# ("I'm pescatarian and my wife is vegan": "and" before a relative starts their clause.)
_CLAUSE_BREAK = re.compile(r"([,.;!?]|\bbut\b|\bmais\b|\bwhile\b|\bwhereas\b|\band (?=i\b|i'm\b|i am\b|me\b|"
                           r"(?:my|our) (?:[a-z'-]+ )?(?:" + "|".join(RELATIVES) + r")\b))")


# Hesitations a transcript keeps ("I'm, uh, Rachel"): dropped with their commas before reading names.
_FILLERS = re.compile(r",?\s*\b(?:u+h+|u+m+|u+h+m+|e+r+m+|e+r+|h+m+)\b\s*,?", re.I)
# A first-person statement said with a rising tone is still a statement ("and I guess I live in Park Slope?").
SAID_OF_SELF = re.compile(r"^\W*(?:(?:and|so|but|well|i guess|i think|like)\W+)*(?:i|i'm|i am|my)\b")
# A question about the profile ("what are my allergies?") declares nothing.
QUESTION = re.compile(r"\?|^\W*(?:what|which|where|how|should|would|do|does|did|is|are|can you|could you|"
                      r"tell me|show|read|list|recommend|find|any)\b")


def without_fillers(text: str) -> str:
    """``text`` without "uh", "um", "erm": "I'm, uh, Rachel" -> "I'm Rachel"."""
    return re.sub(r"\s+", " ", _FILLERS.sub(" ", text)).strip()


# A friend named as the subject ("Tola is vegan", "save Lanre's allergy, it's shellfish, for our
# dinners"): the transcript capitalises names.  Not a capitalised food ("Gluten is a no for me").
_NAMED_SUBJECT = re.compile(r"^\W*(?:(?:and|but|so|oh|ok|okay|also|now|please|remember|note|save|add|store|keep)\W+)*"
                            r"([A-Z][a-z]+)(?:'s\b|\s+(?:is|has|can'?t|cannot|doesn'?t|does not|won'?t|only eats|eats)\b)")
_NAMED_HEALTH = re.compile(r"\b([A-Z][a-z]+)'s (?:allerg|diet|intoleran)")
# "..., it's shellfish": what follows a friend's clause and points back to it.
_POINTS_BACK = re.compile(r"^\W*(?:it'?s|it is|which is|that'?s|they'?re|those are)\b", re.I)
_NOT_A_NAME = {"i", "it", "that", "this", "there", "what", "which", "everything", "nothing", "gluten", "dairy",
               "jain", "halal", "kosher", "vegan", "pork", "beef", "fish", "egg", "eggs", "shellfish", "nuts",
               "peanuts", "sesame", "soy", "wheat", "milk", "meat", "mine"}


def _names_someone(part: str) -> bool:
    """Is a named person, not the speaker, the subject of ``part`` ("Tola is vegan")?"""
    found = _NAMED_SUBJECT.match(part) or _NAMED_HEALTH.search(part)
    return bool(found) and found.group(1).lower() not in _NOT_A_NAME


def own_statements(text: str) -> str:
    """``text`` without the clauses about someone else ("my wife is vegetarian, but I eat meat" ->
    ", but I eat meat"; "Tola is vegan, so am I" -> ", so am I"): what the speaker says of themself."""
    kept, theirs = [], False
    for part in _CLAUSE_BREAK.split(text.replace("\u2019", "'")):
        if not part.strip() or re.fullmatch(r"\W+", part):
            kept.append(part)
            continue
        theirs = (bool(_OTHERS_CLAUSE.match(part.lower())) or _names_someone(part)
                  or (theirs and bool(_POINTS_BACK.match(part))))
        if not theirs:
            kept.append(part)
    return "".join(kept)


def statements_only(text: str) -> str:
    """The text without its questions, single-spaced (so normalised positions match it)."""
    parts = re.findall(r"[^,.!?;]+[,.!?;]?", text.replace("\u2019", "'"))
    kept = [p for p in parts if not QUESTION.match(normalise(p))
            and (not p.strip().endswith("?") or SAID_OF_SELF.match(normalise(p)))]
    return re.sub(r"\s+", " ", " ".join(kept)).strip()
