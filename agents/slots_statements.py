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


def own_statements(text: str) -> str:
    """``text`` without the clauses about someone else ("my wife is vegetarian, but I eat meat" ->
    ", but I eat meat"): what the speaker says of themself."""
    parts = _CLAUSE_BREAK.split(text.replace("\u2019", "'"))
    return "".join(p for p in parts if not _OTHERS_CLAUSE.match(p.lower()))


def statements_only(text: str) -> str:
    """The text without its questions, single-spaced (so normalised positions match it)."""
    parts = re.findall(r"[^,.!?;]+[,.!?;]?", text.replace("\u2019", "'"))
    kept = [p for p in parts if not QUESTION.match(normalise(p))
            and (not p.strip().endswith("?") or SAID_OF_SELF.match(normalise(p)))]
    return re.sub(r"\s+", " ", " ".join(kept)).strip()
