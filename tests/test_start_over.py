"""Starting over (agents.start_over): onboarding's before any model; asked first, as it forgets
the profile; a yes forgets it, a no keeps it.  The rules on plain text, then the turns on the
real graph (FalkorDB and Neo4j) through the router and the agents."""

import uuid

import pytest

from agents import start_over
from agents.router import classify
from tests.conversation_helpers import onboarded_user, turn


@pytest.mark.parametrize("text", [
    "let's start over", "scrap my profile and onboard me again", "forget everything about me and let's begin again",
    "let's go back to the very beginning, who I am and all that", "can we redo the setup from scratch?",
    "I'd like to start afresh, like a brand new user", "on peut tout recommencer ?",
])
def test_asking_to_start_over_is_onboardings_before_any_model(text):
    assert start_over.asks_to_start_over(text)
    assert classify(text).agent == "onboarding"


@pytest.mark.parametrize("text", [
    "let's start over with the restaurant search, somewhere in Camden this time?",
    "Lagos traffic don start again, which route better for airport", "delete my profile data",
    "I'm a new user", "can I add a new user to my account", "start the playlist from the top",
])
def test_other_things_started_again_are_not(text):
    assert not start_over.asks_to_start_over(text)


def test_an_answer_to_a_pending_question_is_never_starting_over():
    assert start_over.decision("start over", awaiting="passphrase") is None
    assert start_over.answer(start_over.ASKED, "Yes, please.") is True
    assert start_over.answer(start_over.ASKED, "No.") is False and start_over.answer(None, "yes") is None


def test_forgetting_keeps_the_account():
    profile = {"name": "Ada", "name_key": "ada", "home_city": "Lagos", "allergies": ["peanut"],
               "allergies_declared": True, "auth_enrolled": True, "onboarded": True}
    changes = start_over.forgetting(profile)
    assert changes == {"name": None, "name_key": None, "home_city": None, "allergies": None,
                       "allergies_declared": None, "onboarded": False}


def test_starting_over_is_asked_first_and_a_no_keeps_everything(run, ctx):
    user = onboarded_user(run, ctx, "restart")
    turn(run, ctx, user, "I'm allergic to peanuts.")
    decision, asked = turn(run, ctx, user, "Forget everything about me and let's begin again.")
    assert (decision.agent, decision.reason) == ("onboarding", "asks to start over")
    assert asked.awaiting == start_over.ASKED and "Ada" in asked.text and "peanut" in asked.text
    decision, kept = turn(run, ctx, user, "No.")
    assert decision.agent == "onboarding" and "kept" in kept.text
    profile = run(ctx.graph.get_user(user))
    assert profile["name"] == "Ada" and profile["allergies"] == ["peanut"] and profile["onboarded"]


def test_a_yes_forgets_the_profile_and_onboarding_begins_again(run, ctx):
    user = onboarded_user(run, ctx, "restart")
    turn(run, ctx, user, "I'm vegan and allergic to sesame.")
    turn(run, ctx, user, "Can we start over from scratch?")
    decision, done = turn(run, ctx, user, "Yes.")
    assert (decision.agent, decision.reason) == ("onboarding", "answers whether to start over")
    assert "name" in done.text and not done.awaiting
    profile = run(ctx.graph.get_user(user))
    assert not any(profile.get(k) for k in ("name", "home_city", "diets", "allergies", "allergies_declared"))
    assert not profile["onboarded"] and "name_key" not in profile  # friends no longer find the old name
    decision, _ = turn(run, ctx, user, "I'm Bola and I live in Lagos.")
    assert decision.agent == "onboarding"
    assert run(ctx.graph.get_user(user))["name"] == "Bola"


def test_a_new_user_asking_to_start_over_is_simply_onboarded(run, ctx):
    decision, reply = turn(run, ctx, f"restart-new-{uuid.uuid4().hex[:8]}", "Let's start over.")
    assert decision.agent == "onboarding" and reply.awaiting != start_over.ASKED


@pytest.mark.parametrize("text", ["delete all my data", "forget everything you know about me",
                                  "before anything, delete whatever you've stored about me",
                                  "supprime toutes mes données", "wipe my personal data"])
def test_asking_to_erase_ones_data_is_recognised(text):
    assert start_over.asks_to_forget_data(text)


@pytest.mark.parametrize("text", ["remove peanuts from my profile", "delete Kemi from my friends",
                                  "clear my search history", "what data do you keep about me?"])
def test_changes_and_questions_are_not_erasing(text):
    assert not start_over.asks_to_forget_data(text)


def test_erasing_ones_data_is_asked_first_and_a_yes_forgets_it(run, ctx):
    user = onboarded_user(run, ctx, "erase")
    turn(run, ctx, user, "I'm allergic to sesame.")
    decision, asked = turn(run, ctx, user, "delete all my data please")
    assert decision.agent == "profile"
    assert asked.awaiting == start_over.ASKED and "sesame" in asked.text and "yes or no" in asked.text
    assert run(ctx.graph.get_user(user))["allergies"] == ["sesame"]  # nothing forgotten before the yes
    decision, done = turn(run, ctx, user, "yes")
    assert decision.agent == "onboarding" and "name" in done.text
    profile = run(ctx.graph.get_user(user))
    assert not any(profile.get(k) for k in ("name", "home_city", "allergies", "allergies_declared"))


def test_a_user_still_onboarding_may_read_their_profile_and_is_asked_on(run, ctx):
    user = f"reads-early-{uuid.uuid4().hex[:8]}"
    run(ctx.graph.upsert_user(user, {"name": "Bola", "onboarded": False}))  # back another day
    decision, reply = turn(run, ctx, user, "what have you saved about me so far?")
    assert decision.agent == "profile"
    assert "Bola" in reply.text and reply.text.rstrip().endswith("?")  # then onboarding's question
    assert "which city do you live in" in reply.text
