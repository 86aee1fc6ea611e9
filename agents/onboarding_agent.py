"""Onboarding agent: collects name, home city, diet and allergies, and stores the profile.

The profile is stored from the first utterance on (so the user becomes known); it is
``onboarded`` once it has a name and a home city.  Allergies are asked for, never assumed.
"""

from __future__ import annotations

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest
from agents.memory import mirror_profile
from agents.profile_agent import profile_changes


def question(profile: dict) -> str:
    """Ask for whatever is still missing."""
    missing = [q for key, q in (("name", "what's your name"), ("home_city", "which city do you live in"))
               if not profile.get(key)]
    if not profile.get("allergies_declared") and not profile.get("allergies"):
        missing.append("do you have any food allergies or a diet I should know about")
    return (T.listing(missing) or "anything else I should know") + "?"


class OnboardingAgent:
    """Welcomes new users and fills their profile from what they say."""

    name = "onboarding"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        before = await ctx.graph.get_user(req.user_id)
        changes = profile_changes(before or {}, req.text)
        merged = {**(before or {}), **changes}
        changes["onboarded"] = bool(merged.get("name") and merged.get("home_city"))
        profile = await ctx.graph.upsert_user(req.user_id, changes)
        await mirror_profile(ctx.memory, req.user_id, before or {}, profile, req.text)
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        return AgentReply(self.name, self._text(before, profile, city), T.cultural_context(city, req.voice_profile))

    def _text(self, before: dict | None, profile: dict, city: dict | None) -> str:
        if profile["onboarded"]:
            greeting = (city or {}).get("greeting", "Welcome")
            return T.say("onboard_done", greeting=greeting, name=profile["name"],
                         summary=T.profile_summary(profile))
        hello = "Welcome to Aurasense! " if before is None else ""
        if profile.get("name"):
            hello += f"Nice to meet you, {profile['name']}. "
        q = question(profile)
        return T.say("onboard_ask", hello=hello, question=q[0].lower() + q[1:])
