"""A Jain diet said without its strictness ("I'm Jain", "main Jain hoon") is stored as said and
asked about: do you also leave out onion, garlic and root vegetables?  Until the user says, the
stricter diet filters every dish (``agents.health_unsure``, the guess "strict jain").  The rule on
plain text, then the turns on the real graph (FalkorDB and Neo4j) through the router and agents."""

from __future__ import annotations

import time

import pytest

from agents import health_unsure as unsure
from agents.pending_answer import answer_of, next_question
from agents.profile_agent import profile_changes
from bench.allergen_safety import violates
from tests.conversation_helpers import onboarded_user, turn


@pytest.mark.parametrize("text,unsaid", [
    ("I'm Jain", True),
    ("I'm Priya and I'm Jain", True),
    ("Mera naam Rohit hai, main Andheri mein rehta hoon, aur main Jain hoon", True),
    ("we are Jain family, I follow Jain food", True),
    ("I'm strict Jain", False),  # said
    ("I'm Jain, no onion, no garlic", False),
    ("I'm Jain, but not strict, I do eat potatoes", False),  # said the other way
    ("Jain hoon, par itna strict nahi", False),
    ("We follow Jain food rules but I do eat onions", False),
    ("I'm Gujarati and I'm Jain, though I do eat root vegetables", False),
    ("my in-laws are strict Jain but I'm not, I eat everything", False),  # not the speaker's
    ("I'm vegetarian", False),
    ("main Jain hoon, aloo khata hoon", False),  # Hinglish: I do eat potatoes
    ("main Jain hoon, pyaaz lehsun nahi khata", False),  # strict, said
    ("Je suis jaïn", True),
    ("Je suis jaïn mais je mange des oignons", False),
])
def test_a_jain_diet_whose_strictness_is_unsaid(text, unsaid):
    assert unsure.strictness_unsaid(text) is unsaid


def _asked(awaiting: str, **profile) -> dict:
    return {"awaiting": awaiting, "last_turn_at": time.time(), **profile}


def test_the_question_its_guess_and_the_answers():
    answer = answer_of(None, "I'm Priya and I'm Jain")
    question, awaiting = next_question(answer, "I'm Priya and I'm Jain", {}, True, None)
    assert "onion, garlic and root vegetables" in question and awaiting == unsure.asking_guess(unsure.STRICT_JAIN)
    profile = {"diets": ["jain"], **answer.unsure_changes({})}
    assert unsure.strictness_pending(profile) and unsure.guessed_restrictions(profile) == ([], ["strict_jain"])
    assert unsure.misheard(profile) == []  # no misheard word to ask about before dinner

    yes = answer_of(_asked(awaiting, **profile), "Yes.")
    assert profile_changes(profile, yes.said)["diets"] == ["strict_jain"]
    assert not next_question(yes, "Yes.", {"diets": ["strict_jain"]}, True, None)

    no = answer_of(_asked(awaiting, **profile), "No.")
    assert no.changes == {unsure.FIELD: []} and not no.guess_refused  # plain Jain stays; nothing more to ask
    assert next_question(no, "No.", no.changes, True, None) is None

    said = answer_of(_asked("", **profile), "I do eat potatoes and onions")
    assert said.changes == {unsure.FIELD: []}
    for strict in ("I can't have garlic", "I don't eat onions", "I eat rice but no onions", "I never eat potatoes",
                   "pyaaz nahi khata", "je ne mange pas d'oignons"):
        assert answer_of(_asked("", **profile), strict).changes == {}, strict  # the guess stays


def test_no_question_over_a_strict_diet_already_stored_or_a_health_word_misheard():
    assert not answer_of({"diets": ["strict_jain"]}, "I'm Jain").asks_strictness
    misheard = answer_of(None, "I'm Jain and allergic to seelyak")
    assert misheard.unclear and not misheard.asks_strictness  # one question at a time: the allergy first


@pytest.fixture
def mumbai_user(run, ctx):
    user = onboarded_user(run, ctx, "jain")
    run(ctx.graph.upsert_user(user, {"home_city": "Mumbai"}))
    return user


def _ingredients(run, ctx, items) -> list[list[str]]:
    return [d["ingredients"] for d in run(ctx.graph.get_dishes([i["id"] for i in items]))]


def test_jain_is_asked_about_and_kept_strict_until_answered(run, ctx, mumbai_user):
    user = mumbai_user
    _, asked = turn(run, ctx, user, "I'm Jain.")
    assert asked.awaiting == unsure.asking_guess(unsure.STRICT_JAIN)
    assert run(ctx.graph.get_user(user))["diets"] == ["jain"]  # stored as said
    _, dinner = turn(run, ctx, user, "What should I eat tonight?")
    assert dinner.agent == "food" and dinner.items and "onion, garlic and root vegetables" in dinner.text
    assert not any(violates(ings, (False, False), [], ["strict_jain"]) for ings in _ingredients(run, ctx, dinner.items))

    run(ctx.graph.upsert_user(user, {"awaiting": asked.awaiting, "last_turn_at": time.time()}))  # asked again
    decision, _ = turn(run, ctx, user, "No.")
    assert (decision.agent, decision.reason) == ("profile", "answers what they can't eat")
    profile = run(ctx.graph.get_user(user))
    assert profile["diets"] == ["jain"] and not unsure.strictness_pending(profile)
    _, dinner = turn(run, ctx, user, "What should I eat tonight?")
    assert "onion, garlic" not in dinner.text


def test_a_yes_stores_strict_jain(run, ctx, mumbai_user):
    turn(run, ctx, mumbai_user, "Main Jain hoon.")
    decision, _ = turn(run, ctx, mumbai_user, "Yes.")
    assert decision.agent == "profile"
    profile = run(ctx.graph.get_user(mumbai_user))
    assert profile["diets"] == ["strict_jain"] and not profile.get(unsure.FIELD)


def test_the_turn_that_completes_onboarding_says_what_was_saved_before_asking(run, ctx):
    user = "jain-new-user"
    _, reply = turn(run, ctx, user, "I'm Priya, I live in Andheri and I'm Jain.")
    assert reply.agent == "onboarding" and reply.awaiting == unsure.asking_guess(unsure.STRICT_JAIN)
    assert "I've saved this:" in reply.text and "Priya" in reply.text and "Mumbai" in reply.text
    assert reply.text.index("I've saved this:") < reply.text.index("onion, garlic and root vegetables")
