"""A user who says they are new ("hi, new here, I'm Rashid, I live in Whitechapel"): onboarding's.

The classifier reads such an introduction by its facts (a name, a district, a diet) and sends it
to the profile agent, as if an onboarded user were changing them.  Saying one is new to the app
makes it onboarding's (the labelling conventions: bench/data/understanding/README.md); a request
for another agent in the same breath ("I'm new, find me some suya") keeps that agent, and being
new to a city ("I'm new to Lagos") is not new to the app.
"""

from __future__ import annotations

import re

from agents.base import CLARIFY, RouteDecision
from agents.slots import normalise
from agents.turn_state import ASKED_PASSPHRASE

AGENT = "onboarding"
_END = r"(?=\s*(?:[,.!?;:]|$|and\b|so\b|but\b))"
_SAYS_NEW = re.compile(
    r"\b(?:i'?m|i am|am|i be|we'?re) (?:a |so |totally |brand )?(?:new|knew)"
    r"(?: here| user| person| to (?:this|the app|aurasense)|" + _END + r")|"
    r"^\W*(?:hi|hello|hey)?\W*new here\b|\bnew (?:user|account)\b|"
    r"\b(?:just|only just) (?:signed up|downloaded|installed|got (?:this|the app))\b|"
    r"\b(?:just|only just) joined(?: aurasense| the app| here|" + _END + r")|\bi just join\b|"
    r"\bjoined (?:today|yesterday|this (?:week|morning|afternoon|evening))\b|"
    r"\b(?:my )?first time (?:here|using (?:this|you|the app|aurasense)|on (?:this|the app))\b|"
    r"\bje (?:debute|decouvre l'?appli)\b|\bpremiere fois (?:ici|sur l'?appli)\b|"
    r"\b(?:nayi|naya) hoon\b|\bpehli baar (?:use|app)\b|\babhi abhi (?:app )?download\b")
# What the classifier may have read an introduction as: the user's own facts, or nothing; and,
# asked for a passphrase, a passphrase ("I haven't got one, I only joined today").
_READ_AS = ("profile", CLARIFY)
_READ_AS_PASSPHRASE = "auth"


def says_new(text: str) -> bool:
    """"first time using this", "abeg I just join", "je découvre l'appli"."""
    return bool(_SAYS_NEW.search(normalise(text)))


def after_the_model(decision: RouteDecision, text: str, awaiting: str | None = None) -> RouteDecision:
    """``decision``, or onboarding's when the classifier read a newcomer's introduction as profile
    facts or nothing, or as the passphrase asked for (``awaiting``)."""
    read_as_intro = decision.agent in _READ_AS or (
        awaiting == ASKED_PASSPHRASE and decision.agent == _READ_AS_PASSPHRASE)
    if read_as_intro and says_new(text):
        return RouteDecision(AGENT, max(decision.confidence, 0.5), f"says they are new ({decision.reason})")
    return decision
