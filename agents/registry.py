"""The agent registry: one spec per agent, the single source of the agent list, and ``respond``.

Everything else derives from ``AGENT_SPECS``: the names (``AGENT_NAMES``), the router's labels and
training data (``agents.intent_model``, ``agents.router_training``: each spec's ``examples`` are
training lines), the Groq intent prompt (``routing_descriptions``), and the dispatch in
``respond``.  Adding an agent is its module, its spec here and its wording in ``agents.templates``
(then ``python -m agents.router_training`` retrains the router on the new label).

``"clarify"`` (or any name not in ``AGENTS``) gets a short clarifying question.  With a
language model configured, the reply text is re-phrased (``templates.polish``), keeping the
template whenever the model fails or drops a concrete item.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from agents import health_unsure as unsure
from agents import no_agent
from agents import templates as T
from agents.auth_agent import AuthAgent
from agents.base import CLARIFY, Agent, AgentContext, AgentReply, AgentRequest, LeadingAgent, RouteDecision
from agents.culture import style_for, style_of
from agents.food_agent import FoodAgent
from agents.onboarding_agent import OnboardingAgent
from agents.onboarding_agent import question as onboarding_question
from agents.profile_agent import ProfileAgent
from agents.read_back import HEARD_WRONG, asking_heard
from agents.turn_state import ANSWERED_WHILE_ONBOARDING, leading_agent, pending
from speech.speech_check import UNCLEAR_KEY
from agents.social_agent import SocialAgent
from agents.travel_agent import TravelAgent


@dataclass(frozen=True)
class AgentSpec:
    """One agent: its handler, what it answers (the words a router is told) and a few sentences
    it answers (training lines for the intent classifier, besides ``agents/router_data``)."""

    handler: Agent
    description: str
    examples: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.handler.name


AGENT_SPECS: tuple[AgentSpec, ...] = (
    AgentSpec(OnboardingAgent(),
              "new user, greeting to get started, how the app works, what it can do, sign up",
              ("hi, I just downloaded this app", "um, how do I start", "I want to sign up",
               "so what exactly do you do", "what kind of stuff can you help me with")),
    AgentSpec(AuthAgent(),
              "sign in or out, verify the speaker's voice, passphrase or password, switch account",
              ("sign me in please", "it's me again, can you check it's me", "I want to log out now",
               "check my voice", "do you recognise me")),
    AgentSpec(FoodAgent(),
              "hungry, dish or restaurant recommendations for oneself, ordering a dish, menus",
              ("I'm so hungry right now", "what should I eat tonight", "I could really go for something spicy",
               "is there a good place for lunch nearby", "what's a typical local dish I should try")),
    AgentSpec(TravelAgent(),
              "where to stay, hotels, neighbourhoods, trips, flights",
              ("where should I stay when I go to London", "recommend a hotel in New York",
               "which part of Lagos is nice to stay in", "what's a safe neighbourhood for tourists",
               "find me a cheap hostel")),
    AgentSpec(SocialAgent(),
              "eating out with other people: friends, family, colleagues, a date, a group, a party",
              ("me and my friends want to go out to eat", "we need a table for ten on Saturday",
               "planning dinner for my team", "it's my mum's birthday, where should we take her",
               "somewhere romantic for date night")),
    AgentSpec(ProfileAgent(),
              "the user's own allergies, diet, home city, name; reading back or changing them",
              ("I'm allergic to shellfish", "add tree nuts to my allergies", "take gluten off my list",
               "I've gone vegan", "I became pescatarian")),
)
# What no agent answers: the router's seventh label.
CLARIFY_DESCRIPTION = "anything else (chit-chat, other apps' tasks, noise, unclear)"
CLARIFY_EXAMPLES = ("what's the weather like", "tell me a joke", "play some music", "set an alarm for seven", "hmm")

AGENT_NAMES: tuple[str, ...] = tuple(spec.name for spec in AGENT_SPECS)
AGENTS: dict[str, Agent] = {spec.name: spec.handler for spec in AGENT_SPECS}


def routing_descriptions() -> dict[str, str]:
    """Label -> what it covers, for a language-model router (the agents, then ``clarify``)."""
    return {spec.name: spec.description for spec in AGENT_SPECS} | {CLARIFY: CLARIFY_DESCRIPTION}


def routing_examples() -> list[dict]:
    """The specs' example sentences as training lines (``{"text", "label", "state"}``)."""
    lines = [{"text": text, "label": spec.name, "state": {}} for spec in AGENT_SPECS for text in spec.examples]
    return lines + [{"text": text, "label": CLARIFY, "state": {}} for text in CLARIFY_EXAMPLES]


def doubted(req: AgentRequest) -> bool:
    """Did the speech check doubt what was heard (``speech_check.UNCLEAR_KEY``)?"""
    return bool((req.voice_profile or {}).get(UNCLEAR_KEY))


async def _user_style(req: AgentRequest, ctx: AgentContext):
    """(profile, home city, reply style) of the user, for the replies no agent writes."""
    profile = await ctx.graph.get_user(req.user_id) or {}
    city = await ctx.graph.get_city(profile["home_city"]) if profile.get("home_city") else None
    return profile, city, style_for(profile, city, req.voice_profile)


async def clarify(req: AgentRequest, ctx: AgentContext, reason: str = "") -> AgentReply:
    """A short question asking what the user wants; when the speech itself was not understood
    (``doubted``, or heard wrong by the user's own say), a request to say it again, in the
    user's language.  ``reason`` is kept in the cultural context: the status says why."""
    profile, city, style = await _user_style(req, ctx)
    name = f", {profile['name']}" if profile.get("name") else ""
    unheard = doubted(req) or reason == HEARD_WRONG
    if unheard:
        await _unheard_may_be_health(req, ctx, profile)
    elif unsure.asks_health(pending(profile)) and (kept := unsure.unused_answer(profile or {}, req.text)):
        await ctx.graph.upsert_user(req.user_id, kept)  # an answer to "any allergies?" not made out
    context = T.cultural_context(city, req.voice_profile, style) | ({"clarify_reason": reason} if reason else {})
    key = "repeat" if unheard else no_agent.reply_key(reason) or "clarify"  # what no agent does: said so
    return AgentReply(CLARIFY, T.say(key, style, name=name), context)


async def _onboarding_asks_on(req: AgentRequest, reply: AgentReply, ctx: AgentContext) -> AgentReply:
    """``reply``, then onboarding's question for what is still missing, if the user is onboarding."""
    profile = await ctx.graph.get_user(req.user_id)
    if not profile or profile.get("onboarded"):
        return reply
    style = style_of(reply.cultural_context)
    asked = T.say("onboard_ask", style, hello="", question=onboarding_question(profile, style))
    return replace(reply, text=f"{reply.text} {asked}")


async def _unheard_may_be_health(req: AgentRequest, ctx: AgentContext, profile: dict) -> None:
    """Speech not made out may have been the user's allergy: until they have told their health
    facts, the food agent asks what they can't eat before recommending (``health_unsure``)."""
    if not unsure.health_told(profile or {}):  # a new user's first words too
        await ctx.graph.upsert_user(req.user_id, {unsure.FIELD: unsure.with_question(profile or {}, "", None)})


async def asked_again(agent: LeadingAgent, req: AgentRequest, ctx: AgentContext, profile: dict) -> AgentReply:
    """Doubted speech in a conversation ``agent`` leads (``turn_state.leading_agent``, as the
    router sent it): nothing heard is acted on, and the agent asks its own question again.  What
    onboarding did not make out may have been the user's allergy; a passphrase was not."""
    if agent.name == "onboarding":
        await _unheard_may_be_health(req, ctx, profile)
    return await agent.ask_again(req, ctx)


async def read_back(req: AgentRequest, decision: RouteDecision, ctx: AgentContext) -> AgentReply:
    """Doubted speech the router was sure of: "I heard: '…'. Is that right?", asked for the agent
    chosen; the user's yes runs the request (``agents.router.route``), nothing is acted on before."""
    _, city, style = await _user_style(req, ctx)
    context = T.cultural_context(city, req.voice_profile, style) | {"read_back_reason": decision.reason}
    return AgentReply(decision.agent, T.say("heard_check", style, heard=req.text.strip()), context,
                      awaiting=asking_heard(decision.agent, req.text))


async def _request_waiting(req: AgentRequest, decision: RouteDecision, ctx: AgentContext) -> tuple[str, str] | None:
    """(agent, request) that "what can't you eat?" was asked before, when this turn goes to the
    profile agent (which stores the answer); else None."""
    if decision.agent != "profile":
        return None
    return unsure.request_waiting(pending(await ctx.graph.get_user(req.user_id)))


async def _then_answer(waiting: tuple[str, str], req: AgentRequest, told: AgentReply, ctx: AgentContext) -> AgentReply:
    """The request asked for before the health question, answered now that the answer is stored:
    "Updated. Now I have: … no allergies. In Lagos, try …".  Just ``told`` if it still has to wait."""
    agent, request = waiting
    if agent not in AGENTS:  # kept by an older release under another name: the answer stands alone
        return told
    then = await AGENTS[agent].reply(replace(req, text=request), ctx)
    if unsure.asks_health(then.awaiting) and not then.items:  # not settled yet: asked again
        return told
    return replace(then, text=f"{told.text} {then.text}")


# What ``record_turn`` keeps on the profile: the conversation's state, not facts about the user.
TURN_KEYS = ("last_agent", "last_turn_at", "awaiting")


async def record_turn(user_id: str, reply: AgentReply, ctx: AgentContext) -> None:
    """Keep who answered and what they asked for on the user's profile: the router's context for
    the next turn (``agents.router.conversation_state``). Nothing for users not created yet."""
    if await ctx.graph.get_user(user_id) is not None:
        await ctx.graph.upsert_user(user_id, dict(zip(TURN_KEYS, (reply.agent, time.time(), reply.awaiting))))


async def respond(req: AgentRequest, decision: RouteDecision, ctx: AgentContext) -> AgentReply:
    """Run the agent chosen by ``decision`` (or ask a clarifying question).

    What the reply recommends is remembered in the graph (``RECOMMENDED``, per session), so
    "share that with Kemi" in the next utterance knows what "that" is.  An answer to "what can't
    you eat?" is followed by the request that question was asked before (``_then_answer``).
    """
    agent = AGENTS.get(decision.agent)
    if decision.request:  # a yes to a request read back: that request is what is answered
        req = replace(req, text=decision.request)
    if agent is None:
        reply = await clarify(req, ctx, decision.reason)
    elif doubted(req):
        profile = await ctx.graph.get_user(req.user_id) or {}
        leader = leading_agent(bool(profile.get("onboarded")), pending(profile))
        reply = await (asked_again(agent, req, ctx, profile) if decision.agent == leader
                       else read_back(req, decision, ctx))
    else:
        waiting = await _request_waiting(req, decision, ctx)
        reply = await agent.reply(req, ctx)
        if waiting:
            reply = await _then_answer(waiting, req, reply, ctx)
    if reply.agent in ANSWERED_WHILE_ONBOARDING and not reply.awaiting and not doubted(req):
        reply = await _onboarding_asks_on(req, reply, ctx)
    if reply.items:
        await ctx.graph.record_recommended(req.user_id, req.session_id, reply.items)
    await record_turn(req.user_id, reply, ctx)
    keep = [str(i["name"]) for i in reply.items if i.get("name")]
    text = await T.polish(ctx, reply.text, keep, style_of(reply.cultural_context))
    return reply if text == reply.text else replace(reply, text=text)
