"""A home place heard as one we do not know, read back as the known place it sounds like, and
settled by the user's yes or no in the next turn (``agents.read_back``): on the real graph
(FalkorDB and Neo4j) through the router and the agents, and the rules on plain text."""

from __future__ import annotations

import itertools

import pytest

from agents import templates as T
from agents.base import AgentRequest
from agents.read_back import asked_home, asking, home_answer, yes_or_no
from agents.registry import respond
from agents.router import route
from agents.slots_home import HomeGuess, home_heard_as

_ids = itertools.count()


@pytest.mark.parametrize("text,place", [
    ("I'm Kami and I live in Lucky.", ("Lagos", "Lekki")),  # Whisper's "Lekki"
    ("I live in Pekkan.", ("London", "Peckham")),
    ("My flat is in Yalba.", ("Lagos", "Yaba")),
    ("I live in Pandra West.", ("Mumbai", "Bandra")),
    ("I work in Ikeja and I live in Lucky.", ("Lagos", "Lekki")),  # the work clause is another clause
    ("I live in Lucky, and I'm visiting London next week.", ("Lagos", "Lekki")),
])
def test_an_unknown_home_that_sounds_like_a_known_one_is_read_back(text, place):
    guess = home_heard_as(text)
    assert guess is not None and (guess.city, guess.neighbourhood) == place


@pytest.mark.parametrize("text", [
    "I live in Houston.",  # a real city we have no catalogue for: not "Hoxton"
    "I live in Boston.",
    "I live in Lekki.",  # known: stored, nothing to ask
    "I used to live in Lucky.",  # not home now
    "I'm staying in Lucky for a week.",  # a visit
    "Where should I stay in Lucky?",  # a question
    "I live in a flat near the market.",
    "I live in Zanzibar Heights.",  # sounds like nothing we know
])
def test_no_read_back_for_real_towns_known_places_visits_and_descriptions(text):
    assert home_heard_as(text) is None


@pytest.mark.parametrize("text,answer", [
    ("Yes.", True), ("Yeah, that's it", True), ("Oui", True), ("Haan ji", True),
    ("No.", False), ("No, I said Surulere", False), ("Nope", False),
    ("Lekki", None), ("yes please book me a table somewhere nice in Lekki for eight tonight", None),
])
def test_yes_or_no(text, answer):
    assert yes_or_no(text) is answer


def test_the_question_survives_the_conversation_state():
    guess = HomeGuess("lucky", "Lagos", "Lekki")
    assert asked_home(asking(guess)) == guess
    assert home_answer(asking(guess), "yes") == (guess, True)
    assert home_answer("passphrase", "yes") == (None, None)
    assert home_answer(asking(guess), "what's for dinner?") == (None, None)
    assert "Lekki, in Lagos" in T.home_readback(guess, None)


def _say(run, ctx, user: str, text: str):
    req = AgentRequest(user, f"s-{next(_ids)}", text)
    decision = run(route(req, ctx))
    return decision, run(respond(req, decision, ctx))


def test_a_yes_stores_the_place_read_back(run, ctx):
    user = f"home-yes-{next(_ids)}"
    _, asked = _say(run, ctx, user, "Hi, I'm Kemi and I live in Lucky.")
    assert "Lekki, in Lagos" in asked.text and asked.awaiting
    assert run(ctx.graph.get_user(user))["home_city"] == "Lucky"  # kept as heard until answered
    decision, settled = _say(run, ctx, user, "Yes.")
    assert decision.agent == "profile", decision
    profile = run(ctx.graph.get_user(user))
    assert (profile["home_city"], profile["neighbourhood"]) == ("Lagos", "Lekki")
    assert "Lekki" in settled.text and not settled.awaiting
    decision, _ = _say(run, ctx, user, "Yes.")  # asked nothing now: a bare yes is not an answer
    assert decision.reason != "answers the place read back"


def test_a_no_keeps_what_was_heard_and_a_correction_is_stored(run, ctx):
    kept, corrected = f"home-no-{next(_ids)}", f"home-fix-{next(_ids)}"
    for user in (kept, corrected):
        _, asked = _say(run, ctx, user, "I'm Bola and I live in Lucky.")
        assert "Lekki" in asked.text
    _, reply = _say(run, ctx, kept, "No.")
    assert "Lucky" in reply.text and run(ctx.graph.get_user(kept))["home_city"] == "Lucky"
    _say(run, ctx, corrected, "No, I live in Surulere.")
    profile = run(ctx.graph.get_user(corrected))
    assert (profile["home_city"], profile["neighbourhood"]) == ("Lagos", "Surulere")


def test_an_onboarding_user_answers_the_onboarding_agent(run, ctx):
    user = f"home-onboarding-{next(_ids)}"
    _, asked = _say(run, ctx, user, "I live in Pekkan.")  # no name yet: still onboarding
    assert asked.agent == "onboarding" and "Peckham, in London" in asked.text
    decision, reply = _say(run, ctx, user, "Yes")
    assert decision.agent == "onboarding"
    assert run(ctx.graph.get_user(user))["neighbourhood"] == "Peckham"
    assert "name" in reply.text  # and onboarding goes on: what is still missing is asked


def test_a_yes_that_says_more_stores_both_and_the_yes_is_never_a_name(run, ctx):
    told, bare = f"home-more-{next(_ids)}", f"home-bare-{next(_ids)}"
    for user in (told, bare):
        _say(run, ctx, user, "I live in Pekkan.")
    _say(run, ctx, told, "Yes, I'm Bola, allergic to peanuts.")  # short: an answer, not a new request
    profile = run(ctx.graph.get_user(told))
    assert (profile["name"], profile["neighbourhood"], profile["allergies"]) == ("Bola", "Peckham", ["peanut"])
    _say(run, ctx, bare, "Correct.")
    profile = run(ctx.graph.get_user(bare))
    assert profile["neighbourhood"] == "Peckham" and not profile.get("name")
