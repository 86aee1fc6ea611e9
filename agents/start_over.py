"""Starting over: "let's start over", "onboard me again", "forget everything about me and let's
begin again" are onboarding's, whatever else the sentence names (the classifier sent "scrap my
profile and onboard me again" to auth, "let's go back to the very beginning, who I am" to
profile).  Starting over forgets the profile, so a user who has told anything is asked first;
a yes forgets it and onboarding begins again, a no keeps everything.  Asking to erase what the
assistant keeps ("delete all my data", "forget everything you know about me") is the profile
agent's request, and asked the same way: a yes forgets the same fields.

A search started over ("start over with the restaurant search") or anything else that starts
again ("the traffic don start again") is not the user's profile: it stays with the classifier.
"""

from __future__ import annotations

import re

from agents.base import RouteDecision
from agents.health_unsure import FIELD as HEALTH_UNSURE
from agents.read_back import yes_or_no
from agents.slots import normalise

AGENT = "onboarding"
ASKED = "start_over"  # the ``awaiting`` of "start again from the beginning?"

_START_OVER = re.compile(
    r"\b(?:start(?:ing)? (?:it |this |everything |the whole thing )?(?:all )?(?:over|again|afresh|fresh)|"
    r"begin (?:it |all )?again|(?:re)?start from scratch|(?:go|going) back to the (?:very )?(?:beginning|start)|"
    r"from the (?:very )?(?:beginning|start|top)|(?:onboard|set) me (?:up )?(?:again|fresh|from scratch)|"
    r"redo (?:the |my )?(?:setup|set-up|onboarding|answers)|reset everything|fresh start|"
    r"(?:as|like) a (?:brand )?new user|brand new user|recommencer|"
    r"(?:reprendre|repartir) (?:depuis |du |de )?(?:le )?(?:debut|zero)|"
    r"phir se shuru|shuru se)\b")
# What else may start over: a search, a booking, a trip (food's, travel's), or the road.
_SOMETHING_ELSE = re.compile(r"\b(?:over|again) (?:with|on|for)\b|\b(?:search|restaurant|hotel|order|booking|trip|"
                             r"route|traffic|flight|table|reservation|list|playlist|song|movie|game)s?\b")

# Erasing what the assistant keeps about the user ("wipe my personal data", "delete whatever you've
# stored about me", "supprime mes données"); "remove peanuts from my profile" is a change, not this.
_FORGET_DATA = re.compile(
    r"\b(?:delete|erase|wipe|clear|scrap|remove|forget)\s+(?:all\s+(?:of\s+)?|the\s+)?(?:my\s+)?(?:data|details|"
    r"personal\s+(?:data|details|info\w*)|info(?:rmation)?)\b|"
    r"\b(?:delete|erase|wipe|clear|scrap)\s+my\s+profile\b(?!\s+(?:of|from))|"
    r"\b(?:delete|erase|wipe|clear|remove|forget)\s+(?:it\s+)?(?:all|everything|whatever|what|anything)\s+"
    r"(?:that\s+)?(?:you'?ve\s+|you\s+have\s+|you\s+)?(?:stored|saved|kept|got|know|have|learn\w*|collected)\b"
    r".{0,20}?\b(?:about|on|of)\s+me\b|"
    r"\b(?:supprime\w*|efface\w*)\s+(?:toutes\s+)?(?:mes\s+(?:donnees|infos?\w*|informations)|ce\s+que\s+(?:vous|tu))|"
    r"\b(?:mera|mere)\s+(?:data|details?)\s+(?:delete|hata\w*|mita\w*)")

# What starting over forgets: all the user told onboarding and the profile agent.  Sign-in
# (passphrase, voiceprint), friends and orders stay: they are the account, not the profile.
FORGOTTEN = ("name", "name_key", "name_first", "home_city", "neighbourhood", "cultural_background", "diets",
             "allergies", "allergies_declared", "allergy_severity", HEALTH_UNSURE, "language", "register")


def asks_to_start_over(text: str) -> bool:
    """Does ``text`` ask to begin again as a new user ("let's start over", "onboard me again")?"""
    t = normalise(text)
    return bool(_START_OVER.search(t)) and not _SOMETHING_ELSE.search(t)


def asks_to_forget_data(text: str) -> bool:
    """Does ``text`` ask to erase what the assistant keeps about the user ("delete all my data")?"""
    return bool(_FORGET_DATA.search(normalise(text)))


def decision(text: str, awaiting: str | None = None) -> RouteDecision | None:
    """Onboarding's, before any model, when ``text`` asks to start over and answers no question."""
    if awaiting or not asks_to_start_over(text):
        return None
    return RouteDecision(AGENT, 1.0, "asks to start over")


def answer(awaiting: str | None, text: str) -> bool | None:
    """The yes or no ``text`` gives "start again from the beginning?"; None if it was not asked or
    ``text`` is neither."""
    return yes_or_no(text) if awaiting == ASKED else None


def told_anything(profile: dict | None) -> bool:
    """Has the user told anything that starting over would forget?"""
    return any(profile.get(k) for k in FORGOTTEN) if profile else False


def forgetting(profile: dict) -> dict:
    """The profile changes that forget what the user told (None removes a field)."""
    return {k: None for k in FORGOTTEN if k in profile} | {"onboarded": False}
