"""One turn of a conversation as the product takes it: routed in the user's state, then answered
by the agent chosen (and recorded), on the test's real graph (``ctx``)."""

from __future__ import annotations

import itertools

from agents.base import AgentRequest
from agents.registry import respond
from agents.router import route
from speech.speech_check import UNCLEAR_KEY

_sessions = itertools.count()
# Words no agent is sure of (the classifier's p stays under router.ACT_ON_DOUBTED_P): doubted
# speech of them is asked again, never read back.  A new fit may move a sentence over the line.
VAGUE = "and the other one?"


def turn(run, ctx, user: str, text: str, unclear: str | None = None):
    """(route decision, reply) for ``text`` said by ``user``; ``unclear``: why the speech check doubted it."""
    req = AgentRequest(user, f"s-{next(_sessions)}", text, {UNCLEAR_KEY: unclear} if unclear else None)
    decision = run(route(req, ctx, unclear))
    return decision, run(respond(req, decision, ctx))


def onboarded_user(run, ctx, prefix: str) -> str:
    """A new onboarded user in Lagos (Ada) who has told no diet or allergy."""
    user = f"{prefix}-{next(_sessions)}"
    run(ctx.graph.upsert_user(user, {"name": "Ada", "home_city": "Lagos", "onboarded": True}))
    return user
