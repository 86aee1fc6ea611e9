"""Route an utterance to one of the six agents (or "clarify"): a trained classifier, then user state.

0. A yes or no to what the last reply read back (``agents.read_back``) is not classified: "yes"
   alone says nothing the classifier could route.  A home place ("did you mean Lekki?") goes
   back to the profile agent (onboarding, for a profile still incomplete); a yes to a request
   read back as heard ("I heard 'find me a thali'. Is that right?") runs that request with the
   agent it was routed to, a no asks the user to say it again.  So does a yes or no to "start
   again from the beginning?" (onboarding's, ``agents.start_over``).
1. ``before_the_model``: what no agent does (``agents.no_agent``: a food diary, today's weather,
   a relative's news with nothing asked, how a word is spelt or what it means, declining to say
   the passphrase asked for) is ``clarify``, and asking to start over (``agents.start_over``) is
   onboarding's, before any model is asked.
2. ``classify`` — the intent classifier (``agents.intent_model``): a logistic regression over the
   sentence's embeddings (MiniLM and multilingual USE), its character and word n-grams, and the
   conversation state (``conversation_state``: not onboarded yet, the previous turn's agent if
   recent, a pending passphrase question). Trained by ``python -m agents.router_training`` on the team's data and
   the dev split of the held-out set; measured on its test split (``bench.understanding_routing``).
   After it (either model), an introduction the model read as profile facts or nothing from a
   user who says they are new is onboarding's (``agents.newcomer``); offline, a request that puts
   a pending passphrase aside ("hold on, is my order on the way?") is its agent's
   (``agents.passphrase_aside``; the Groq model never sees the pending question).
3. ``with_user_state`` — no profile yet -> onboarding; half onboarded -> finish onboarding
   (food/travel/social questions still answered; chit-chat and questions about the profile
   answered with onboarding's question after them); an action that needs identity from an
   unverified speaker -> auth (see ``needs_identity``).

Speech the transcribe stage doubted (``speech.speech_check``; ``unclear`` is why) is routed only
when the classifier is sure of it (``ACT_ON_DOUBTED_P``) and ``may_read_back``; the
agent then reads the request back before acting on it (``registry.respond``).  Otherwise it goes
to ``clarify`` with the reason, and the reply asks the user to say it again; in a conversation an
agent leads (onboarding a new user, a passphrase asked for: ``turn_state.leading_agent``), that
agent asks its own question again instead.

With ``GROQ_API_KEY`` set, ``route`` asks a Groq Llama classifier first
(``agents.providers.llm.GroqIntentClassifier``, JSON output), but not for an answer to a pending
question, which it never sees, and falls back to the offline classifier on any error.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from functools import lru_cache

from agents import newcomer, no_agent, passphrase_aside, start_over
from agents.base import CLARIFY, AgentContext, AgentRequest, RouteDecision
from agents.health_unsure import answers_health, request_waiting
from agents.intent_model import LABELS, ConversationState, IntentModel, featurize
from agents.read_back import HEARD_WRONG, answers_read_back, heard_answer
from agents.turn_state import ANSWERED_WHILE_ONBOARDING, is_recent, leading_agent, pending
from agents.slots import ORDER_WORDS, normalise


# Doubted speech the classifier is at least this sure of is read back instead of asked again.
# Set on the dev takes (``bench.speech_doubt --split dev --sample 150``): at 0.6, 21 of the 55
# doubted takes of 300 go to an agent, 17 of them the right one (81 %, as for the speech acted
# on undoubted) and none that should have been asked again; below 0.6 the takes added are
# wrong as often as right.
ACT_ON_DOUBTED_P = 0.6


@lru_cache(maxsize=1)
def intent_model() -> IntentModel:
    return IntentModel.load()


@lru_cache(maxsize=1)
def _shared_embedder():
    from agents.embeddings import load_embedder

    return load_embedder()


def load_router_embedder():
    """Load the pinned sentence embedders and the classifier's weights: call once per worker."""
    intent_model()
    return _shared_embedder()


def before_the_model(text: str, state: ConversationState) -> RouteDecision | None:
    """What is decided before any model is asked: what no agent does (``agents.no_agent``) and
    starting over (``agents.start_over``), whatever words they share with an agent's work."""
    return (no_agent.decision(text, state.awaiting, state.previous_agent)
            or start_over.decision(text, state.awaiting))


def classify(text: str, embedder=None, state: ConversationState | dict | None = None) -> RouteDecision:
    """Route one utterance in its conversation state (default: an onboarded user, no pending turn)."""
    if not isinstance(state, ConversationState):
        state = ConversationState.from_dict(state)
    if not re.search(r"[^\W\d_]", normalise(text)):  # no letter at all: nothing to act on
        return RouteDecision(CLARIFY, 0.0, "no words")
    if ruled := before_the_model(text, state):
        return ruled
    decision = passphrase_aside.instead(modelled(text, state, embedder), text, state.awaiting,
                                        lambda: modelled(text, replace(state, awaiting=None), embedder))
    return newcomer.after_the_model(decision, text, state.awaiting)


def modelled(text: str, state: ConversationState, embedder=None) -> RouteDecision:
    """The intent classifier's own decision for ``text`` in ``state``."""
    features = featurize([text], [state], embedder or _shared_embedder())
    probabilities = intent_model().probabilities(features)[0]
    ranked = probabilities.argsort()[::-1]
    best, second = LABELS[ranked[0]], LABELS[ranked[1]]
    why = f"classifier p={probabilities[ranked[0]]:.2f} (then {second} {probabilities[ranked[1]]:.2f})"
    if best == CLARIFY:
        return RouteDecision(CLARIFY, 0.0, f"unclear: {why}")
    return RouteDecision(best, round(float(probabilities[ranked[0]]), 3), why)


def conversation_state(profile: dict | None, now: float | None = None) -> ConversationState:
    """The state the classifier sees, from the profile the graph keeps (``record_turn``)."""
    if profile is None:
        return ConversationState(onboarded=False)
    recent = is_recent(profile, now)
    onboarded = bool(profile.get("onboarded"))
    previous = profile.get("last_agent") if recent else None
    if onboarded and previous == "onboarding":
        previous = None  # that conversation is over: the next turn is not its follow-up
    return ConversationState(onboarded=onboarded, previous_agent=previous,
                             awaiting=pending(profile, now))


def decide(text: str, state: dict | None, embedder=None, unclear: str | None = None) -> RouteDecision:
    """``classify`` then the user-state rules, for a state given as a plain dict (evaluation);
    ``unclear``: why the speech check doubted the words, as in ``route``."""
    conversation = ConversationState.from_dict(state)
    if unclear and not may_read_back(conversation.onboarded, conversation.awaiting):
        return say_again(unclear, leading_agent(conversation.onboarded, conversation.awaiting))
    decision = classify(text, embedder, conversation)
    if unclear:
        decision = read_back_first(decision, unclear)
        if decision.agent == CLARIFY:
            return decision
    profile = {"onboarded": conversation.onboarded}
    return with_user_state(decision, profile, text, verified=True, awaiting=conversation.awaiting)


def may_read_back(onboarded: bool, awaiting: str | None) -> bool:
    """Can doubted speech be read back? Not while a profile is still being made, nor over another
    question pending (a new user has no profile to keep the question on: not onboarded)."""
    return onboarded and not awaiting


def say_again(unclear: str, leader: str | None) -> RouteDecision:
    """Speech not acted on: back to the agent leading the conversation (``leader``, from
    ``turn_state.leading_agent``), which asks its own question again; else ``clarify``, whose
    reply asks the user to say it again."""
    if leader:
        return RouteDecision(leader, 0.0, f"speech {unclear}: {leader} asks again")
    return RouteDecision(CLARIFY, 0.0, f"speech {unclear}")


def read_back_first(decision: RouteDecision, unclear: str) -> RouteDecision:
    """The classifier's ``decision`` on doubted speech: kept (to be read back before the agent
    acts) when it is sure enough, else ``say_again``."""
    if decision.agent == CLARIFY or decision.confidence < ACT_ON_DOUBTED_P:
        return say_again(unclear, None)  # onboarded, nothing pending (may_read_back): no agent leads
    return replace(decision, reason=f"{decision.reason}; speech {unclear}: read back first")


# --------------------------------------------------------------------------- user state

def needs_identity(decision: RouteDecision, text: str) -> bool:
    """Does acting on this need a verified speaker?

    Yes for placing an order (it is recorded against the account and, later, paid).  Changing
    the passphrase, voiceprint or sign-in is the auth agent's job already.  Reading or editing
    one's own preferences does not: the device's account token identifies the user, and a
    wrong allergy edit is undone by saying so.
    """
    return decision.agent == "food" and bool(ORDER_WORDS.search(normalise(text)))


def with_user_state(decision: RouteDecision, profile: dict | None, text: str = "",
                    verified: bool = False, *, awaiting: str | None) -> RouteDecision:
    """Apply the user's state to a decision.

    * unknown user -> onboarding;
    * profile incomplete -> onboarding, unless they asked for food/travel/social/auth, or, with
      no question of onboarding's pending (``awaiting``), asked about their profile or said
      something no agent answers: the profile agent or ``clarify`` answers, then onboarding's
      question follows (``turn_state.ANSWERED_WHILE_ONBOARDING``);
    * an identity-needing action (``needs_identity``) by a user who has enrolled a voice or
      passphrase (``profile["auth_enrolled"]``) and is not ``verified`` this session -> auth.
      Users without enrolment have nothing to verify against: their account token is the
      identity, so their orders go through.
    """
    if profile is None:
        return RouteDecision("onboarding", 1.0, f"unknown user: onboarding first ({decision.reason})")
    # "Are you a bot?" or "what have you saved so far?" answers none of onboarding's questions.
    if not profile.get("onboarded") and (decision.agent == "onboarding"
                                         or decision.agent in ANSWERED_WHILE_ONBOARDING and awaiting):
        return RouteDecision("onboarding", 0.9, f"profile incomplete ({decision.reason})")
    if profile.get("auth_enrolled") and not verified and needs_identity(decision, text):
        return RouteDecision("auth", 0.95, f"needs a verified speaker ({decision.reason})")
    return decision


async def route(req: AgentRequest, ctx: AgentContext, unclear: str | None = None) -> RouteDecision:
    """Pick the agent for ``req``: Groq classifier if configured (offline on any error), else
    the trained classifier in the user's conversation state, then the user's state rules.
    ``unclear``: why the speech check doubted the words (``read_back_first``)."""
    profile = await ctx.graph.get_user(req.user_id)
    awaiting = pending(profile)
    onboarded = bool(profile and profile.get("onboarded"))
    if unclear and not may_read_back(onboarded, awaiting):
        return say_again(unclear, leading_agent(onboarded, awaiting))
    if answers_read_back(awaiting, req.text):  # "yes" to "did you mean Lekki?"
        return with_user_state(RouteDecision("profile", 1.0, "answers the place read back"), profile, req.text,
                               awaiting=awaiting)
    if answers_health(awaiting, req.text):  # "nothing" to "what can't you eat?"
        told = RouteDecision("profile", 1.0, "answers what they can't eat")
        # asked before a request: the profile agent stores the answer and the request follows, onboarded or not
        return told if request_waiting(awaiting) else with_user_state(told, profile, req.text, awaiting=awaiting)
    if start_over.answer(awaiting, req.text) is not None:  # "yes" to "start again from the beginning?"
        return RouteDecision(start_over.AGENT, 1.0, "answers whether to start over")
    asked, answer = heard_answer(awaiting, req.text)
    if answer is False:
        return RouteDecision(CLARIFY, 0.0, HEARD_WRONG)
    if asked:  # yes: the request read back, with the agent it was routed to
        agent, confirmed = asked
        decision = RouteDecision(agent, 1.0, "confirms the request read back")
        req = replace(req, text=confirmed)
    else:
        decision = await _classified(req, ctx, profile)
        if unclear:
            decision = read_back_first(decision, unclear)
            if decision.agent == CLARIFY:
                return decision
    verified = False
    if profile and profile.get("auth_enrolled") and needs_identity(decision, req.text):
        from agents.auth_agent import speaker_verified  # the credentials are the auth agent's

        verified = await speaker_verified(req, ctx)
    decision = with_user_state(decision, profile, req.text, verified, awaiting=awaiting)
    if decision.agent == "food" and profile and not ORDER_WORDS.search(normalise(req.text)):
        decision = await _with_friends(decision, req, ctx)
    return replace(decision, request=req.text) if asked else decision


async def _classified(req: AgentRequest, ctx: AgentContext, profile: dict | None) -> RouteDecision:
    """The classifier's decision, before the user-state rules."""
    state = conversation_state(profile)
    classifier = getattr(ctx, "intents", None)
    # An answer to a pending question ("blue mango sunrise" after "say your passphrase") means
    # nothing without it, and the remote model never sees it: the offline classifier does.
    if classifier is not None and not state.awaiting:
        # the remote model never sees what is decided before it; the offline ``classify`` checks it itself
        if ruled := before_the_model(req.text, state):
            return ruled
        try:
            decision = await classifier.classify(req.text)
            if decision.agent in LABELS:
                return newcomer.after_the_model(decision, req.text)
        except Exception:  # noqa: BLE001 - any failure of the remote model: route offline
            pass
    # In a thread: the embedding is the route stage's CPU, and the event loop meanwhile
    # takes the broker's ack of the transcript (streams/carried_on.py).
    return await asyncio.to_thread(classify, req.text, getattr(ctx, "embedder", None), state)


async def _with_friends(decision: RouteDecision, req: AgentRequest, ctx: AgentContext) -> RouteDecision:
    """A meal with friends the user has added ("dinner with Kemi and Tunde") is a group request:
    only the user's own friend list can tell a name from a dish, so this is user state too."""
    from agents.friends import mentioned

    friends = await ctx.graph.friends_of(req.user_id)
    named = mentioned(friends, req.text) if friends else []
    if not named:
        return decision
    who = ", ".join(f["name"] for f in named)
    return RouteDecision("social", decision.confidence, f"a meal with friends ({who}); {decision.reason}")
