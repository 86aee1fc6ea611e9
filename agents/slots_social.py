"""Pull people out of how people talk: friend edits, shares, the names in a group request.

Pure functions over the transcript, like ``agents.slots``.  Names come back as said
("Kemi", "Kemi Adeyemi"); matching them to users is ``agents.friends``' job.
"""

from __future__ import annotations

import re

from agents.dish_types import is_dish_phrase
from agents.areas import CITY_ALIASES
from agents.slots import city_in, normalise

_NAME = r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)?"
_NAMES = rf"{_NAME}(?:(?:,? and |, | & ){_NAME})*"
_PEOPLE = r"(?:my |our )?(?:friends?|mates?|colleagues?|cousins?|sisters?|brothers?|buddies|pals?) "
_FRIEND_ADD = re.compile(r"\b(?:add|save|befriend)\s+(.+?)\s+(?:as (?:a |my )?friends?|to my friends?(?: list)?|"
                         r"to my contacts)\b", re.I)
_FRIEND_REMOVE = re.compile(r"\b(?:remove|delete|unfriend)\s+(.+?)(?:\s+(?:from|off) my friends?(?: list)?\b|$)", re.I)
_FRIENDS_LIST = re.compile(r"\b(who are my friends|(list|read|show|tell me) my friends|my friends? list)\b")
_SHARE = re.compile(r"\b(?:share|send|forward|pass on)\s+(?:that|this|it|those|these|them|the (?:last )?\w+)?\s*"
                    r"(?:with|to)\s+(.+)", re.I)
_INBOX = re.compile(r"\b(what (did|have) (my )?\w+ (shared|share|sent|send|recommended)|"
                    r"(anything|something|what'?s been) (shared|sent) (with|to) me|shared with me|my shares|"
                    r"(has|have) (anyone|anybody|someone|my friends?) (sent|shared))\b")
_WITH_NAMES = re.compile(rf"\b(?i:with|me,? and|me,|invite|inviting|bring(?:ing)?) (?i:{_PEOPLE})?({_NAMES})")
_NAMES_AND_I = re.compile(rf"({_NAMES}),? and (?:I|me)\b")
_FROM_CITY = re.compile(r"\s+(?:from|in|who lives in)\s+(.+)$", re.I)
# Capitalised words that follow "with" but are not people.
_NOT_PEOPLE = {"i", "me", "my", "the", "a", "an", "everyone", "everybody", "friends", "family", "them", "us",
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight",
               "today", "tomorrow", "january", "february", "march", "april", "may", "june", "july",
               "august", "september", "october", "november", "december", "christmas", "easter", "eid",
               "diwali", "ramadan", "nigerian", "indian", "french", "italian", "chinese", "japanese",
               "thai", "mexican", "lebanese", "british", "english", "american", "ethiopian", "korean",
               "vietnamese", "greek", "spanish", "turkish", "caribbean", "african", "moroccan", "halal",
               "kosher", "vegan", "vegetarian", "aurasense", *CITY_ALIASES}


def split_names(span: str) -> list[str]:
    """"Kemi, Tunde and Ada" -> ["Kemi", "Tunde", "Ada"] (stripping "my friend", fillers, a final "please")."""
    span = re.sub(r"\b(please|too|as well|also|now|tonight)\b|[.!?]", " ", span, flags=re.I)
    parts = re.split(r",|\band\b|&", span)
    names = [re.sub(rf"^\s*{_PEOPLE}", "", p.strip() + " ", flags=re.I).strip() for p in parts]
    return [" ".join(w.capitalize() for w in n.split()) for n in names if n and n.lower() not in _NOT_PEOPLE]


def friend_edit(text: str) -> tuple[str, list[str], str | None] | None:
    """("add" | "remove", names, city or None) from "add Kemi from Lagos as a friend"."""
    raw = text.replace("\u2019", "'")
    for action, pattern in (("add", _FRIEND_ADD), ("remove", _FRIEND_REMOVE)):
        m = pattern.search(raw)
        if m and (action == "add" or re.search(r"friend", raw, re.I)):
            span, city = m.group(1), None
            where = _FROM_CITY.search(span)
            if where:
                span, city = span[:where.start()], city_in(where.group(1)) or where.group(1).strip(" .")
            names = split_names(span)
            return (action, names, city) if names else None
    return None


def asks_friend_list(text: str) -> bool:
    return bool(_FRIENDS_LIST.search(normalise(text)))


def share_targets(text: str) -> list[str] | None:
    """Names from "share that with Kemi and Tunde"; None when the utterance is not a share."""
    m = _SHARE.search(text.replace("\u2019", "'"))
    return split_names(m.group(1)) if m else None


def asks_shared(text: str) -> bool:
    """"what did my friends share", "anything shared with me"."""
    return bool(_INBOX.search(normalise(text)))


def names_in_group(text: str) -> list[str]:
    """Capitalised names said as company: "dinner with Kemi and Tunde", "Kemi and I"."""
    raw = text.replace("\u2019", "'")
    spans = [m.group(1) for p in (_WITH_NAMES, _NAMES_AND_I) for m in p.finditer(raw)]
    names = [n for s in spans for n in split_names(s)]
    # "dinner with Chicken Ruby" names a dish, not a person
    return list(dict.fromkeys(n for n in names if n.split()[0].lower() not in _NOT_PEOPLE and not is_dish_phrase(n)))
