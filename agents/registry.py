"""The six agents in one table, and ``respond``: dispatch a routed request to its agent.

``"clarify"`` (or any name not in ``AGENTS``) gets a short clarifying question.  With a
language model configured, the reply text is re-phrased (``templates.polish``), keeping the
template whenever the model fails or drops a concrete item.
"""

from __future__ import annotations

import time
from dataclasses import replace

from agents import templates as T
from agents.auth_agent import AuthAgent
from agents.base import CLARIFY, Agent, AgentContext, AgentReply, AgentRequest, RouteDecision
from agents.culture import style_for, style_of
from agents.food_agent import FoodAgent
from agents.onboarding_agent import OnboardingAgent
from agents.profile_agent import ProfileAgent
from agents.providers.speech_check import UNCLEAR_KEY
from agents.social_agent import SocialAgent
from agents.travel_agent import TravelAgent

AGENTS: dict[str, Agent] = {
    "onboarding": OnboardingAgent(),  # new users: name, home city, diet, allergies
    "auth": AuthAgent(),              # voice sign-in (first pass: enrolment needed)
    "food": FoodAgent(),              # dishes from the catalogue, allergy-safe; orders
    "travel": TravelAgent(),          # where to stay in the five cities
    "social": SocialAgent(),          # a place that fits a group; friends; shares
    "profile": ProfileAgent(),        # read back / change preferences
}


async def clarify(req: AgentRequest, ctx: AgentContext, reason: str = "") -> AgentReply:
    """A short question asking what the user wants; when the speech itself was not understood
    (``speech_check.UNCLEAR_KEY`` in the voice profile), a request to say it again, in the
    user's language.  ``reason`` is kept in the cultural context: the status says why."""
    profile = await ctx.graph.get_user(req.user_id) or {}
    name = f", {profile['name']}" if profile.get("name") else ""
    city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
    style = style_for(profile, city, req.voice_profile)
    unheard = bool((req.voice_profile or {}).get(UNCLEAR_KEY))
    context = T.cultural_context(city, req.voice_profile, style) | ({"clarify_reason": reason} if reason else {})
    return AgentReply(CLARIFY, T.say("repeat" if unheard else "clarify", style, name=name), context)


async def record_turn(user_id: str, reply: AgentReply, ctx: AgentContext) -> None:
    """Keep who answered and what they asked for on the user's profile: the router's context for
    the next turn (``agents.router.conversation_state``). Nothing for users not created yet."""
    if await ctx.graph.get_user(user_id) is not None:
        await ctx.graph.upsert_user(user_id, {"last_agent": reply.agent, "last_turn_at": time.time(),
                                              "awaiting": reply.awaiting})


async def respond(req: AgentRequest, decision: RouteDecision, ctx: AgentContext) -> AgentReply:
    """Run the agent chosen by ``decision`` (or ask a clarifying question).

    What the reply recommends is remembered in the graph (``RECOMMENDED``, per session), so
    "share that with Kemi" in the next utterance knows what "that" is.
    """
    agent = AGENTS.get(decision.agent)
    reply = await agent.reply(req, ctx) if agent else await clarify(req, ctx, decision.reason)
    if reply.items:
        await ctx.graph.record_recommended(req.user_id, req.session_id, reply.items)
    await record_turn(req.user_id, reply, ctx)
    keep = [str(i["name"]) for i in reply.items if i.get("name")]
    text = await T.polish(ctx, reply.text, keep, style_of(reply.cultural_context))
    return reply if text == reply.text else replace(reply, text=text)
