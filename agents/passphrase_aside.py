"""A request made while a passphrase is pending ("hold on, is my suya order on the way?").

After "say your passphrase" the classifier sends nearly anything to auth: a passphrase may be any
words at all ("suya by the lagoon"), so the pending question outweighs what was said.  A sentence
that opens by putting the passphrase aside ("hold on", "never mind the passphrase", "passphrase
later", "sorry, I meant…") and that the classifier, asked as if nothing were pending, gives to
another agent with some confidence (``AT_LEAST_P``) is that agent's.  Over every labelled line
with a passphrase pending (training, dev, the fresh dev sets) this moved 6 lines to their agent
and none away from auth; without the opening words, passphrases that name a dish or a city moved
too, so the opening is required.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from agents.base import CLARIFY, RouteDecision
from agents.slots import normalise
from agents.turn_state import ASKED_PASSPHRASE, HOLDS_ON

AT_LEAST_P = 0.6
_SETS_ASIDE = re.compile(rf"^\W*(?:(?:oh|ok|okay|sorry|um|uh)\W+)*(?:{HOLDS_ON}|never ?mind|passphrase later|later|"
                         r"i meant|actually|before that|forget (?:that|it|the passphrase)|"
                         r"skip (?:that|it|the passphrase)|cancel that)\b")


def sets_aside(text: str) -> bool:
    """Does ``text`` open by putting the pending passphrase aside?"""
    return bool(_SETS_ASIDE.search(normalise(text)))


def instead(decision: RouteDecision, text: str, awaiting: str | None,
            as_if_nothing_pending: Callable[[], RouteDecision]) -> RouteDecision:
    """``decision``, or the other agent's when the user put the pending passphrase aside for it."""
    if awaiting != ASKED_PASSPHRASE or decision.agent != "auth" or not sets_aside(text):
        return decision
    other = as_if_nothing_pending()
    if other.agent in ("auth", CLARIFY) or other.confidence < AT_LEAST_P:
        return decision
    return replace(other, reason=f"puts the passphrase aside ({other.reason})")
