"""Route an utterance to one of the six agents (or "clarify"): rules, sentence embeddings, user state.

Three layers, cheapest first:

1. ``RULES`` — high-precision keyword patterns.  Read top to bottom: the first match wins, so
   the order is the tie-break ("add peanuts to my allergies" is a profile edit even though it
   names a food; "my friends and I want dinner" is social even though it says dinner; "add
   Kemi to my friends" and "share that with Kemi" are social before anything else).
2. Embeddings (``agents.embeddings``, all-MiniLM-L6-v2 int8) — the utterance's similarity to
   the labelled examples in ``agents.router_examples`` (mean of the ``K`` nearest per intent,
   "clarify" included as an intent of its own: chit-chat, other apps' jobs, noise).  A rule
   match adds ``RULE_BONUS * weight`` to its intent's score; the best score wins; below
   ``CLARIFY_BELOW`` the answer is "clarify".  Without an embedder, ``classify`` is the rules
   alone (pure, well under a millisecond).
3. ``with_user_state`` — no profile yet -> onboarding; half onboarded -> finish onboarding
   (food/travel/social questions still answered); an action that needs identity from an
   unverified speaker -> auth (see ``needs_identity``).

With ``GROQ_API_KEY`` set, ``route`` asks a Groq Llama classifier first
(``agents.providers.llm.GroqIntentClassifier``, JSON output) and falls back to layers 1-2 on
any error.  Accuracy and latency: ``python -m bench.router_accuracy``.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np

from agents.base import AGENT_NAMES, CLARIFY, AgentContext, AgentRequest, RouteDecision
from agents.router_examples import EXAMPLES
from agents.slots import ORDER_WORDS, normalise

_FOOD_WORDS = (r"hungry|starving|famished|peckish|\beat\b|eating|food|dinner|lunch|breakfast|brunch|"
               r"snack|dish|meal|restaurant|menu|spicy|\border\b|takeaway|take-away|delivery|cuisine|"
               r"craving|fancy some|bite|jollof|suya|curry|biryani|pizza|noodles|dumplings|tagine|"
               r"couscous|daal|dal\b|kebab|chips|thali|vada pav|pav bhaji|dessert|vegan (dish|option)|"
               r"manger|dejeuner|repas|\bfaim\b")  # a few French words: replies can be in French


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
    _rule("auth", r"\b(sign|log)(ging)? ?(me )?(in|out)\b|\b(signed|logged) (in|out)\b|verify (my |me|it'?s)|"
                  r"it'?s (really )?me\b|authenticat|voice ?print|recogni[sz]e my voice|log ?off|"
                  r"pass ?(phrase|word)|\bpin\b|switch (user|account)", 0.95, "sign-in words"),
    _rule("social", r"\bas (a |my )?friends?\b|\b(to|from|off) my friends?\b|\bfriends? list\b|\bunfriend\b|"
                    r"\bwho are my friends\b|\b(share|send|forward) ((that|this|it|those|these|them|the \w+) )?"
                    r"(with|to) [a-z]|\bshared? with me\b|\bwhat (did|have) (my )?\w+ (share|shared|sent)\b|"
                    r"\b(has|have) (anyone|anybody|someone|my friends?) (sent|shared)\b",
          0.95, "friends and sharing"),
    _rule("profile", r"\bmy (\w+ )?(allerg|diet|profile|preferences|details|home city|name)|about me\b|"
                     r"(add|remove|delete|take) .+ (to|from|off) my\b|\b(update|change|set) my\b|"
                     r"\bno longer (allergic|vegetarian|vegan|pescatarian|halal|kosher)", 0.9, "profile edit"),
    _rule("onboarding", r"new here|first time|get(ting)? started|sign (me )?up|create (an |my )?account|"
                        r"set (me )?up|register|how does (this|it) work|what can you do|who are you",
          0.9, "onboarding words"),
    _rule("travel", r"\bstay\b|staying|hotel|hostel|airbnb|accommodation|place to sleep|room for|"
                    r"book a room|neighbou?rhood|area to|which area|\bflying\b|flight|\btrip\b|visiting|"
                    r"itinerary|sightseeing|holiday|vacation", 0.85, "travel words"),
    _rule("social", r"friends|mates|colleagues|co-?workers|family|group|party of|table for|birthday|"
                    r"\bteam\b|date night|anniversary|(with|and) my (wife|husband|partner|girlfriend|"
                    r"boyfriend|kids|children|parents|in-?laws|mum|mom|dad|cousins|clients)|"
                    r"\bme and (my|the) \w+|\bmy \w+ and i\b|"
                    r"\d+ of us|(two|three|four|five|six|seven|eight|nine|ten|twelve|twenty) of us",
          0.85, "group words"),
    _rule("social", r"\b(we|us|our)\b.*(" + _FOOD_WORDS + r")|(" + _FOOD_WORDS + r").*\b(we|us)\b",
          0.7, "'we' plus food"),
    _rule("food", _FOOD_WORDS + r"|something to eat|where (can|should) i eat|recommend (a|some)thing",
          0.85, "food words"),
    _rule("profile", r"allergic|allergy|intoleran|\bi'?m (a )?(vegetarian|vegan|pescatarian|halal|kosher)\b|"
                     r"\bkeep (halal|kosher)\b|(reply|speak|talk|answer)( to me)? in (french|english|yoruba|hindi)|"
                     r"\bbe (more )?(formal|casual|informal)\b|"
                     r"\bi (don'?t|do not|can'?t|cannot|no longer|never) eat\b|"
                     r"\bi (stopped|started|quit) eating\b|"
                     r"\beat(ing)? \w+ again\b|\bi'?ve gone\b|remember (that|i)\b|"
                     r"\bi live in\b|\bi'?m living in\b|\bi am living in\b|moved to|call me|"
                     r"what do you know", 0.75, "profile statement"),
)

# Embedding layer: tuned by leave-one-out on agents.router_examples only (never on the benchmark).
K = 4                # nearest examples averaged per intent
RULE_BONUS = 0.25    # added to each matched rule's intent, times the rule's weight
FIRST_BONUS = 0.05   # added to the first matched rule's intent
CLARIFY_BELOW = 0.30  # best combined score under this -> clarify



def matching_rules(text: str) -> list[tuple[Rule, str]]:
    """Every rule matching the normalised ``text`` (in ``RULES`` order) with the words it matched."""
    return [(rule, m.group(0)) for rule in RULES if (m := rule.pattern.search(text))]


def first_rule(text: str) -> tuple[Rule, str] | None:
    """The first rule matching the normalised ``text`` and the words it matched, or None."""
    hits = matching_rules(text)
    return hits[0] if hits else None


# --------------------------------------------------------------------------- embeddings

@dataclass(frozen=True)
class IntentIndex:
    """The example vectors, grouped by intent (row-normalised, so dot = cosine)."""

    intents: tuple[str, ...]
    vectors: tuple[np.ndarray, ...]  # one [n_examples, 384] matrix per intent


_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def intent_index(embedder) -> IntentIndex:
    """The examples embedded once per embedder (cached beside it; ~0.5-1 s the first time)."""
    index = _INDEXES.get(embedder)
    if index is None:
        intents = tuple(EXAMPLES)
        index = IntentIndex(intents, tuple(embedder.embed(list(EXAMPLES[i])) for i in intents))
        _INDEXES[embedder] = index
    return index


def load_router_embedder():
    """Load the pinned MiniLM embedder and embed the examples: call once per worker."""
    from agents.embeddings import load_embedder

    embedder = load_embedder()
    intent_index(embedder)
    return embedder


def intent_scores(vector: np.ndarray, index: IntentIndex, k: int = K) -> dict[str, float]:
    """Per intent: mean cosine similarity of the ``k`` nearest examples."""
    scores = {}
    for intent, matrix in zip(index.intents, index.vectors):
        sims = matrix @ vector
        top = np.partition(sims, -k)[-k:] if len(sims) > k else sims
        scores[intent] = float(top.mean())
    return scores


def combine(scores: dict[str, float], hits: list[tuple[Rule, str]]) -> RouteDecision:
    """Embedding scores + rule bonuses -> decision (clarify when nothing scores high enough).

    Every matching rule's intent gets ``RULE_BONUS * weight`` (the best rule per intent); the
    first match gets ``FIRST_BONUS`` more, so ``RULES`` order still breaks near-ties while the
    sentence as a whole decides between, say, "I don't eat pork" (profile) and "I don't eat
    pork, what's for dinner?" (food).
    """
    combined = dict(scores)
    for intent in {rule.agent for rule, _ in hits}:
        weight = max(rule.weight for rule, _ in hits if rule.agent == intent)
        combined[intent] = combined.get(intent, 0.0) + RULE_BONUS * weight
    if hits:
        combined[hits[0][0].agent] += FIRST_BONUS
    best = max(combined, key=combined.get)
    score = combined[best]
    rules = "; ".join(f"{rule.label}: '{words}'" for rule, words in hits if rule.agent == best)
    why = f"similarity {scores.get(best, 0.0):.2f}" + (f" + {rules}" if rules else "")
    if best == CLARIFY or score < CLARIFY_BELOW:
        return RouteDecision(CLARIFY, 0.0, f"unclear: best {best} {score:.2f} ({why})")
    return RouteDecision(best, round(min(1.0, score), 3), why)


def classify(text: str, embedder=None) -> RouteDecision:
    """Route one utterance (no user state): rules alone, or rules + embeddings given an embedder."""
    t = normalise(text)
    hits = matching_rules(t)
    if embedder is None or not re.search(r"[a-z]", t):
        if hits:
            rule, words = hits[0]
            return RouteDecision(rule.agent, rule.weight, f"{rule.label}: '{words}'")
        return RouteDecision(CLARIFY, 0.0, "no rule matched")
    return combine(intent_scores(embedder.embed_one(t), intent_index(embedder)), hits)


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
                    verified: bool = False) -> RouteDecision:
    """Apply the user's state to a decision.

    * unknown user -> onboarding;
    * profile incomplete -> onboarding, unless they asked for food/travel/social/auth;
    * an identity-needing action (``needs_identity``) by a user who has enrolled a voice or
      passphrase (``profile["auth_enrolled"]``) and is not ``verified`` this session -> auth.
      Users without enrolment have nothing to verify against: their account token is the
      identity, so their orders go through.
    """
    if profile is None:
        return RouteDecision("onboarding", 1.0, f"unknown user: onboarding first ({decision.reason})")
    if not profile.get("onboarded") and decision.agent in (CLARIFY, "profile", "onboarding"):
        return RouteDecision("onboarding", 0.9, f"profile incomplete ({decision.reason})")
    if profile.get("auth_enrolled") and not verified and needs_identity(decision, text):
        return RouteDecision("auth", 0.95, f"needs a verified speaker ({decision.reason})")
    return decision


async def route(req: AgentRequest, ctx: AgentContext) -> RouteDecision:
    """Pick the agent for ``req``: Groq classifier if configured (offline on any error), else
    rules + embeddings (``ctx.embedder``; rules alone without it), then the user's state."""
    decision = None
    classifier = getattr(ctx, "intents", None)
    if classifier is not None:
        try:
            decision = await classifier.classify(req.text)
        except Exception:  # noqa: BLE001 - any failure of the remote model: route offline
            decision = None
    if decision is None or decision.agent not in AGENT_NAMES + (CLARIFY,):
        decision = classify(req.text, getattr(ctx, "embedder", None))
    profile = await ctx.graph.get_user(req.user_id)
    verified = False
    if profile and profile.get("auth_enrolled") and needs_identity(decision, req.text):
        from agents.auth_agent import speaker_verified  # the credentials are the auth agent's

        verified = await speaker_verified(req, ctx)
    decision = with_user_state(decision, profile, req.text, verified)
    if decision.agent == "food" and profile and not ORDER_WORDS.search(normalise(req.text)):
        decision = await _with_friends(decision, req, ctx)
    return decision


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
