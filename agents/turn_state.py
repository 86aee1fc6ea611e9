"""What the previous turn leaves for the next, read off the profile (``registry.record_turn`` keeps
who answered, when, and what the reply asked for): the router's conversation state and the
agents' pending questions read it here, with one idea of how long a conversation lasts.
"""

from __future__ import annotations

import time

from agents.base import CLARIFY

ASKED_PASSPHRASE = "passphrase"  # the awaiting value after auth asked for the passphrase
FOLLOW_UP_WINDOW_S = 15 * 60  # a previous turn older than this is not the conversation any more
# Who answers a user still onboarding, with onboarding's question after the reply, when nothing of
# onboarding's is pending: chit-chat ("are you a bot?") and the profile ("what have you saved?").
ANSWERED_WHILE_ONBOARDING = (CLARIFY, "profile")
# Openers that put what was asked on hold ("hold on", "wait small", "give me a sec"), as a regex
# alternation: a passphrase put aside for another request, or declined for an interruption.
HOLDS_ON = (r"hold on|hang on|wait(?: small)?|one (?:sec|second|moment|minute)|"
            r"give me a (?:sec|second|moment|minute)|un instant|ek (?:minute|second)")


def is_recent(profile: dict, now: float | None = None) -> bool:
    """Was the profile's last turn recent enough for this one to follow it up?"""
    return (now or time.time()) - float(profile.get("last_turn_at") or 0) < FOLLOW_UP_WINDOW_S


def pending(profile: dict | None, now: float | None = None) -> str | None:
    """What the last reply asked for ("passphrase", a place read back), if it is still the conversation."""
    return profile.get("awaiting") if profile and is_recent(profile, now) else None


def leading_agent(onboarded: bool, awaiting: str | None) -> str | None:
    """The agent whose question the user is answering, when one leads the conversation:
    onboarding until the profile is complete, auth after it asked for a passphrase.  Speech
    doubted there goes back to that agent, which asks its question again (``ask_again``)
    instead of the generic "say it again"; nothing heard is acted on."""
    if not onboarded:
        return "onboarding"
    return "auth" if awaiting == ASKED_PASSPHRASE else None
