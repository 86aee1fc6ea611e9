"""Profile agent: reads back and changes the user's name, home city, diet and allergies.

``profile_changes`` (also used by onboarding) turns a statement into the fields to store.
"""

from __future__ import annotations

import re

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.memory import mirror_profile
from agents.slots import allergy_changes, diet_changes, home_city, name_in, normalise

REPLACE_DIET = re.compile(r"\b(change|update|set|switch) my diet to\b")


def _merge(old: list[str], added: list[str], removed: list[str]) -> list[str]:
    return [x for x in dict.fromkeys(old + added) if x not in removed]


def profile_changes(profile: dict, text: str) -> dict:
    """Fields that ``text`` changes in ``profile`` (only those that differ)."""
    added, removed, none_declared = allergy_changes(text)
    allergies = [] if none_declared and not added else _merge(profile.get("allergies", []), added, removed)
    d_add, d_remove = diet_changes(text)
    old_diets = [] if REPLACE_DIET.search(normalise(text)) and d_add else profile.get("diets", [])
    wanted = {"name": name_in(text), "home_city": home_city(text),
              "allergies": allergies, "diets": _merge(old_diets, d_add, d_remove)}
    if none_declared or added:
        wanted["allergies_declared"] = True
    return {k: v for k, v in wanted.items() if v is not None and v != _current(profile, k)}


def _current(profile: dict, key: str):
    return profile.get(key, [] if key in ("allergies", "diets") else None)


class ProfileAgent:
    """Says what it knows about the user, or applies the change they asked for."""

    name = "profile"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile = await ctx.graph.get_user(req.user_id) or {}
        changes = profile_changes(profile, req.text)
        if changes:
            before, profile = profile, await ctx.graph.upsert_user(req.user_id, changes)
            await mirror_profile(ctx.memory, req.user_id, before, profile, req.text)
            text = T.say("profile_changed", summary=T.profile_summary(profile))
        elif re.search(r"what|tell me|read|show|know", normalise(req.text)):
            text = T.say("profile_read", summary=T.profile_summary(profile))
        else:
            text = T.say("profile_nothing")
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        return AgentReply(self.name, text, T.cultural_context(city, req.voice_profile))
