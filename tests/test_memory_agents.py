"""Onboarding and profile agents mirror profile changes into the Graphiti memory (FalkorDB and Neo4j)."""

import itertools

from agents.base import AgentRequest
from agents.memory_mirror import mirror_profile
from agents.slots_allergy import severity_in
from agents.registry import respond
from agents.router import route

_ids = itertools.count()


def say(run, ctx, user, text):
    req = AgentRequest(user, f"s-{next(_ids)}", text)
    decision = run(route(req, ctx))
    return decision, run(respond(req, decision, ctx))


def test_context_has_memory(ctx, graph_backend):
    assert ctx.memory is not None and ctx.memory.backend == graph_backend
    assert not ctx.memory.episodes_enabled  # no GROQ_API_KEY: no episodes


def test_onboarding_then_change_keeps_history(run, ctx):
    user = f"mem-agent-{next(_ids)}"
    decision, _ = say(run, ctx, user, "Hi, I'm Ana, I live in Lisbon. I'm vegetarian and severely allergic to peanuts")
    assert decision.agent == "onboarding"
    profile = run(ctx.graph.get_user(user))
    now = run(ctx.memory.current(user))
    assert now["home_city"] == profile["home_city"] == "Lisbon"
    assert now["diets"] == profile["diets"] and "vegetarian" in now["diets"]
    assert now["allergies"] == profile["allergies"] and now["allergies"]
    assert all(d["severity"] == "severe" for d in now["details"]["allergy"].values())
    assert profile["allergy_severity"] == ["peanut=severe"]  # the User node keeps it; memory mirrors it

    decision, _ = say(run, ctx, user, "I'm no longer vegetarian")
    assert decision.agent == "profile"
    assert "vegetarian" not in run(ctx.graph.get_user(user))["diets"]
    assert "vegetarian" not in run(ctx.memory.current(user))["diets"]
    [veg] = [f for f in run(ctx.memory.history(user, "diet")) if f.value == "vegetarian"]
    assert veg.invalid_at is not None and veg.expired_at is not None


def test_severity_words():
    assert severity_in("I'm severely allergic to nuts") == "severe"
    assert severity_in("I carry an EpiPen for shellfish") == "severe"
    assert severity_in("slightly allergic to kiwi") == "mild"
    assert severity_in("I'm lactose intolerant") == "intolerance"
    assert severity_in("allergic to sesame") is None


def test_mirror_never_raises(run):
    class Broken:
        async def remember(self, *a, **k):
            raise RuntimeError("graph down")

    assert run(mirror_profile(Broken(), "u", {}, {"diets": ["vegan"]})) == 0
    assert run(mirror_profile(None, "u", {}, {"diets": ["vegan"]})) == 0
