"""Auth agent, first pass: voice sign-in is not enrolled yet, so it says so and never claims success.

The voiceprint enrolment and verification are a later issue; until then every request is
answered honestly: not signed in, enrolment needed.
"""

from __future__ import annotations

from agents import templates as T
from agents.base import AgentContext, AgentReply, AgentRequest


class AuthAgent:
    """Acknowledges sign-in requests; reports that voice enrolment is required."""

    name = "auth"

    async def reply(self, req: AgentRequest, ctx: AgentContext) -> AgentReply:
        profile = await ctx.graph.get_user(req.user_id) or {}
        who = profile.get("name") or "this account"
        city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
        context = T.cultural_context(city, req.voice_profile) | {"authenticated": False}
        return AgentReply(self.name, T.say("auth_enrol", who=who), context)
