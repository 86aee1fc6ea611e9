"""Multi-turn conversations spoken through the whole pipeline, checked against the graph.

Each reply's dish names are looked up in the catalogue: a dish containing a declared allergen,
or breaking a declared diet, must never be named (for a group: anyone's allergen).
"""

from __future__ import annotations

import asyncio

import pytest

from agents.wiring import build_context
from tests.pipeline_helpers import new_user


@pytest.fixture(scope="module", params=["falkordb", "neo4j"])
def pipeline(request):
    """(client, settings) of a whole pipeline whose graph is FalkorDB or Neo4j."""
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_pipeline")
    return request.getfixturevalue("client"), request.getfixturevalue("settings")


@pytest.fixture(scope="module")
def client(pipeline):
    return pipeline[0]


@pytest.fixture(scope="module")
def dishes(pipeline):
    """Every dish: name → (allergens, diets), read from the worker's graph."""
    return asyncio.run(_dishes(pipeline[1]))


async def _dishes(settings) -> dict:
    context = await build_context(settings)
    try:
        rows = await context.graph.query("MATCH (d:Dish) RETURN d.name AS name, "
                                         "d.allergens AS allergens, d.diets AS diets")
    finally:
        await context.close()
    return {r["name"]: (set(r["allergens"]), set(r["diets"])) for r in rows}


def _named(reply: str, dishes: dict) -> dict:
    return {name: facts for name, facts in dishes.items() if name.lower() in reply.lower()}


def _talk(client, say, user: str, text: str) -> dict:
    upload = client.create_upload(user)
    client.put(upload, say(text))
    status = client.wait_done(upload.session_id)
    assert status["status"] == "completed", status
    return status


def test_an_allergy_given_three_sessions_earlier_is_honoured(client, say, dishes):
    user = new_user()
    first = _talk(client, say, user, "Hi, I'm new here. My name is Ada, I live in London "
                                     "and I'm allergic to peanuts.")
    assert first["agent_used"] == "onboarding"
    _talk(client, say, user, "Where should I stay in Paris?")
    _talk(client, say, user, "What do you know about me?")
    food = _talk(client, say, user, "I'm hungry. Can you recommend something for dinner?")
    assert food["agent_used"] == "food"
    named = _named(food["response_text"], dishes)
    assert named, food["response_text"]  # it did recommend something concrete
    assert all("peanut" not in allergens for allergens, _ in named.values()), named


def test_a_profile_change_is_respected_by_the_next_recommendation(client, say, dishes):
    user = new_user()
    _talk(client, say, user, "Hi, I'm new. My name is Ben and I live in London.")
    change = _talk(client, say, user, "I'm vegetarian now, please update my profile.")
    assert change["agent_used"] == "profile"
    food = _talk(client, say, user, "Recommend me a dish for lunch.")
    named = _named(food["response_text"], dishes)
    assert named, food["response_text"]
    assert all("vegetarian" in diets for _, diets in named.values()), named


def test_a_group_request_finds_a_place_for_everyone(client, say):
    user = new_user()
    _talk(client, say, user, "Hi, I'm new. My name is Chi and I live in London.")
    group = _talk(client, say, user, "My friends and I want to go out for dinner together, "
                                     "there are four of us.")
    assert group["agent_used"] == "social"
    assert group["response_text"]


def test_a_group_dinner_honours_every_friends_allergies_and_a_share_reaches_the_friend(client, say, dishes):
    oliver, emma, david = new_user(), new_user(), new_user()
    _talk(client, say, oliver, "Hi, I'm new here. My name is Oliver, I live in London and I'm allergic to sesame.")
    _talk(client, say, emma, "Hi, I'm new here. My name is Emma, I live in London and I'm allergic to shellfish.")
    _talk(client, say, david, "Hi, I'm new here. My name is David, I live in London and I'm allergic to peanuts.")
    added = _talk(client, say, david, "Please add Oliver and Emma as friends.")
    assert added["agent_used"] == "social"
    assert "Oliver" in added["response_text"] and "Emma" in added["response_text"], added["response_text"]
    group = _talk(client, say, david, "Dinner with Oliver and Emma tonight, where can we go?")
    assert group["agent_used"] == "social"
    text = group["response_text"]
    named = _named(text, dishes)
    assert named and "Oliver" in text and "Emma" in text, text
    assert all(not allergens & {"peanut", "sesame", "shellfish"} for allergens, _ in named.values()), named
    shared = _talk(client, say, david, "Share that with Oliver.")
    assert shared["agent_used"] == "social" and "Oliver" in shared["response_text"], shared["response_text"]
    inbox = _talk(client, say, oliver, "What did my friends share with me?")
    assert inbox["agent_used"] == "social" and "David shared" in inbox["response_text"], inbox["response_text"]
    received = _named(inbox["response_text"], dishes)
    assert received and all("sesame" not in allergens for allergens, _ in received.values()), received
