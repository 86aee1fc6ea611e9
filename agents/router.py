"""Route an utterance to one of the six agents (or "clarify"): keyword rules plus user context.

Read ``RULES`` top to bottom: the first rule whose pattern matches wins, so the order is the
tie-break ("add peanuts to my allergies" is a profile edit even though it names a food;
"my friends and I want dinner" is social even though it says dinner).  ``classify`` is pure
and takes well under a millisecond; ``route`` adds the user's state from the graph:
no profile yet -> onboarding first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.base import CLARIFY, AgentContext, AgentRequest, RouteDecision
from agents.slots import normalise

_FOOD_WORDS = (r"hungry|starving|famished|peckish|\beat\b|eating|food|dinner|lunch|breakfast|brunch|"
               r"snack|dish|meal|restaurant|menu|spicy|\border\b|takeaway|take-away|delivery|cuisine|"
               r"craving|fancy some|bite|jollof|suya|curry|biryani|pizza|noodles|dumplings|tagine|"
               r"couscous|daal|dal\b|kebab|chips|thali|vada pav|pav bhaji|dessert|vegan (dish|option)")


@dataclass(frozen=True)
class Rule:
    """``agent`` answers when ``pattern`` matches the normalised text; ``weight`` is the confidence."""

    agent: str
    pattern: re.Pattern
    weight: float
    label: str


def _rule(agent: str, pattern: str, weight: float, label: str) -> Rule:
    return Rule(agent, re.compile(pattern), weight, label)


RULES: tuple[Rule, ...] = (
    _rule("auth", r"\b(sign|log)(ging)? ?(me )?(in|out)\b|verify (my |me|it'?s)|it'?s (really )?me\b|"
                  r"authenticat|voice ?print|recogni[sz]e my voice|log ?off", 0.95, "sign-in words"),
    _rule("profile", r"\bmy (allerg|diet|profile|preferences|details|home city|name)|about me\b|"
                     r"(add|remove|delete|take) .+ (to|from|off) my\b|\b(update|change|set) my\b|"
                     r"\bno longer (allergic|vegetarian|vegan|pescatarian|halal)", 0.9, "profile edit"),
    _rule("onboarding", r"new here|first time|get(ting)? started|sign (me )?up|create (an |my )?account|"
                        r"set (me )?up|register|how does (this|it) work|what can you do|who are you",
          0.9, "onboarding words"),
    _rule("travel", r"\bstay\b|staying|hotel|hostel|airbnb|accommodation|place to sleep|room for|"
                    r"book a room|neighbou?rhood|area to|which area|\bflying\b|flight|\btrip\b|visiting|"
                    r"itinerary|sightseeing|holiday|vacation", 0.85, "travel words"),
    _rule("social", r"friends|mates|colleagues|co-?workers|family|group|party of|table for|birthday|"
                    r"\bteam\b|date night|anniversary|(with|and) my (wife|husband|partner|girlfriend|"
                    r"boyfriend|kids|parents)|\d+ of us|(two|three|four|five|six|seven|eight|nine|ten) of us",
          0.85, "group words"),
    _rule("social", r"\b(we|us|our)\b.*(" + _FOOD_WORDS + r")|(" + _FOOD_WORDS + r").*\b(we|us)\b",
          0.7, "'we' plus food"),
    _rule("food", _FOOD_WORDS + r"|something to eat|where (can|should) i eat|recommend (a|some)thing",
          0.85, "food words"),
    _rule("profile", r"allergic|allergy|intoleran|\bi'?m (a )?(vegetarian|vegan|pescatarian|halal)\b|"
                     r"\bi (don'?t|do not|can'?t|cannot) eat\b|\bi live in\b|moved to|call me|"
                     r"what do you know", 0.75, "profile statement"),
)


def classify(text: str) -> RouteDecision:
    """Pure keyword routing of one utterance; "clarify" when no rule matches."""
    t = normalise(text)
    for rule in RULES:
        m = rule.pattern.search(t)
        if m:
            return RouteDecision(rule.agent, rule.weight, f"{rule.label}: '{m.group(0)}'")
    return RouteDecision(CLARIFY, 0.0, "no rule matched")


def with_user_state(decision: RouteDecision, profile: dict | None) -> RouteDecision:
    """Apply the user's state: unknown -> onboarding; half-onboarded -> finish onboarding."""
    if profile is None:
        return RouteDecision("onboarding", 1.0, f"unknown user: onboarding first ({decision.reason})")
    if not profile.get("onboarded") and decision.agent in (CLARIFY, "profile", "onboarding"):
        return RouteDecision("onboarding", 0.9, f"profile incomplete ({decision.reason})")
    return decision


async def route(req: AgentRequest, ctx: AgentContext) -> RouteDecision:
    """Pick the agent for ``req``, using the user's profile from the graph."""
    profile = await ctx.graph.get_user(req.user_id)
    return with_user_state(classify(req.text), profile)
