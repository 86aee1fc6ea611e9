"""A health word read back and never settled, or a turn not heard from a user who has told no diet
or allergy, is honoured by the next recommendation (``agents.health_unsure``): a guessed word is
asked again before any dish, a word with no guess (or nothing heard) makes the food agent ask
what the user can't eat first, and a plain answer settles it.  The rules on plain values, then
the turns on the real graph (FalkorDB and Neo4j) through the router and the agents."""

from __future__ import annotations

import itertools
import time

import pytest

from agents import health_unsure as unsure
from agents.base import AgentRequest, RouteDecision
from agents.registry import respond
from bench.allergen_safety import violates
from tests.conversation_helpers import VAGUE, onboarded_user, turn

_ids = itertools.count()


def test_read_backs_are_kept_latest_last_and_read_as_guesses_or_not():
    profile = {unsure.FIELD: unsure.with_question({}, "seliac", "celiac")}
    profile[unsure.FIELD] = unsure.with_question(profile, "squid gives me highs", None)
    assert unsure.unsure_of(profile) == [("seliac", "celiac"), ("squid gives me highs", None)]
    assert unsure.guessed_restrictions(profile) == (["gluten"], ["gluten_free"])
    assert unsure.misheard(profile) == [("seliac", "celiac")] and unsure.unguessed(profile) == ["squid gives me highs"]
    assert unsure.restrictions_of("halal") == ([], ["halal"])
    assert unsure.unguessed({unsure.FIELD: ["intolerunt|intolerant"]}) == ["intolerunt"]  # a guess with no restriction
    many = {unsure.FIELD: [f"w{i}|" for i in range(5)]}
    assert len(unsure.with_question(many, "new", None)) == 3


def test_a_guess_asked_before_a_request_keeps_both():
    awaiting = unsure.asking_before("food", "dinner in Lagos? a|b > c", "celiac")
    assert unsure.request_waiting(awaiting) == ("food", "dinner in Lagos? a|b > c")
    assert unsure.asks_health(awaiting) and unsure.guess_answer(awaiting, "no") == ("celiac", False)
    assert unsure.guess_answer(unsure.asking_guess("celiac"), "yes") == ("celiac", True)
    assert unsure.request_waiting(unsure.asking_guess("celiac")) is None
    assert not unsure.asks_health(unsure.asking_guess("celiac"))
    assert unsure.guess_answer(unsure.asking_before("food", "dinner?"), "yes") == (None, None)


@pytest.mark.parametrize("text,answers", [
    ("No.", True), ("nothing", True), ("I eat everything", True), ("no allergies", True),
    ("peanuts", True), ("I'm coeliac", True), ("I don't eat pork", True),
    ("find me some jollof", False), ("what's the weather like", False),
])
def test_what_answers_what_cant_you_eat(text, answers):
    assert unsure.answers_health(unsure.ASKED, text) is answers
    assert not unsure.answers_health("passphrase", text)


def test_a_bare_nothing_settles_only_the_question_asked():
    profile = {unsure.FIELD: ["seliac|celiac"]}
    assert unsure.settled_by(unsure.ASKED, "Nothing.", profile) == {"allergies_declared": True, unsure.FIELD: []}
    assert unsure.settled_by(None, "Nothing.", profile) == {}
    assert unsure.settled_by(unsure.ASKED, "I'd like a hotel", profile) == {}


@pytest.fixture
def user(run, ctx):
    return onboarded_user(run, ctx, "unsure")


def _ingredients(run, ctx, items) -> list[list[str]]:
    return [d["ingredients"] for d in run(ctx.graph.get_dishes([i["id"] for i in items]))]


def test_a_guess_read_back_is_asked_again_before_any_dish_and_a_yes_answers_the_request(run, ctx, user):
    _, asked = turn(run, ctx, user, "I'm seliac.")
    assert "celiac" in asked.text and not run(ctx.graph.get_user(user))["allergies"]
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    # a guess may be wrong (milk read back as nuts): no dish until the user says
    assert first.agent == "food" and not first.items and "seliac" in first.text and "celiac" in first.text
    assert unsure.guess_answer(first.awaiting, "yes") == ("celiac", True)
    decision, dinner = turn(run, ctx, user, "Yes.")
    assert (decision.agent, decision.reason) == ("profile", "answers what they can't eat")
    profile = run(ctx.graph.get_user(user))
    assert profile["allergies"] == ["gluten"] and not profile.get(unsure.FIELD)
    # the dinner asked for before the question, answered now, without gluten
    assert dinner.agent == "food" and dinner.items
    assert not any(violates(ings, (False, False), ["gluten"], []) for ings in _ingredients(run, ctx, dinner.items))


def test_a_no_to_the_guess_asked_before_dinner_asks_what_instead_and_dinner_still_follows(run, ctx, user):
    turn(run, ctx, user, "I'm seliac.")
    turn(run, ctx, user, "What should I eat tonight?")
    decision, asked = turn(run, ctx, user, "No.")
    assert decision.agent == "profile" and not asked.items and "can't you eat" in asked.text
    assert unsure.request_waiting(asked.awaiting) == ("food", "What should I eat tonight?")
    _, dinner = turn(run, ctx, user, "I'm allergic to milk.")
    assert run(ctx.graph.get_user(user))["allergies"] == ["dairy"]
    assert dinner.agent == "food" and dinner.items
    assert not any(violates(ings, (False, False), ["dairy"], []) for ings in _ingredients(run, ctx, dinner.items))


def test_a_word_with_no_guess_is_asked_about_before_any_dish(run, ctx, user):
    turn(run, ctx, user, "Squid gives me highs.")
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    assert first.agent == "food" and not first.items and "squid gives me highs" in first.text
    assert unsure.asks_health(first.awaiting)
    decision, settled = turn(run, ctx, user, "Nothing.")
    assert (decision.agent, decision.reason) == ("profile", "answers what they can't eat")
    profile = run(ctx.graph.get_user(user))
    assert profile["allergies_declared"] and not profile.get(unsure.FIELD)
    # the dinner asked for before the question is answered now, after what was stored
    assert settled.agent == "food" and settled.items and settled.text.startswith("Updated.")
    assert profile["last_agent"] == "food"  # a follow-up ("something cheaper") follows the dishes


def test_a_request_kept_for_an_agent_that_no_longer_exists_is_left_and_the_answer_stored(run, ctx, user):
    kept = {"awaiting": unsure.asking_before("concierge", "dinner?"), "last_turn_at": time.time()}
    run(ctx.graph.upsert_user(user, kept))
    decision, told = turn(run, ctx, user, "No allergies.")
    assert decision.agent == told.agent == "profile" and not told.items
    assert run(ctx.graph.get_user(user))["allergies_declared"]


def test_a_turn_not_heard_before_any_allergy_is_told_is_asked_about(run, ctx, user):
    decision, _ = turn(run, ctx, user, VAGUE, "words unclear (detected en p=0.6, log-prob -1.1)")
    assert decision.agent == "clarify"
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    assert not first.items and "allergies" in first.text and unsure.asks_health(first.awaiting)
    decision, dinner = turn(run, ctx, user, "mustard")
    assert decision.agent == "profile"
    assert run(ctx.graph.get_user(user))["allergies"] == ["mustard"]
    assert dinner.items and not any(violates(ings, (False, False), ["mustard"], [])  # the dinner asked for
                                    for ings in _ingredients(run, ctx, dinner.items))


@pytest.mark.parametrize("text,kept", [
    ("I'm going for me.", True),  # "I'm dairy free", as Whisper wrote it
    ("Jisu is vagatorian.", True),
    ("Hi there, thanks!", False), ("Hello.", False), ("What can you do for me?", False),
    ("Hi, I'm new here.", False), ("Let's get started", False),
])
def test_a_statement_that_stored_nothing_is_kept_as_unheard_until_health_is_told(text, kept):
    assert bool(unsure.unused_answer({}, text)) is kept
    if kept:
        assert unsure.unguessed(unsure.unused_answer({}, text)) == [""]
    assert unsure.unused_answer({"allergies_declared": True}, text) == {}
    assert unsure.unused_answer({"diets": ["vegan"]}, text) == {}


def test_a_new_users_onboarding_statement_that_stored_nothing_makes_food_ask_first(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    decision, said = turn(run, ctx, user, "I'm going for me.")  # "I'm dairy free", misheard whole
    assert decision.agent == "onboarding" and "didn't understand" in said.text  # nothing stored, and it says so
    turn(run, ctx, user, "I'm Ada and I live in Lagos.")
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    assert first.agent == "food" and not first.items and unsure.asks_health(first.awaiting)
    turn(run, ctx, user, "I'm dairy free.")
    _, dinner = turn(run, ctx, user, "What should I eat tonight?")
    assert dinner.items and not any(violates(ings, (False, False), [], ["dairy_free"])
                                    for ings in _ingredients(run, ctx, dinner.items))


def test_a_new_users_first_turn_not_heard_is_kept_too(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    decision, _ = turn(run, ctx, user, "", "words unclear (detected en p=0.6, log-prob -1.1)")
    assert decision.agent == "onboarding"
    turn(run, ctx, user, "I'm Ada and I live in Lagos.")
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    assert not first.items and unsure.asks_health(first.awaiting)


def test_small_talk_to_onboarding_keeps_nothing(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    _, hello = turn(run, ctx, user, "Hello there!")
    assert "didn't understand" not in hello.text
    turn(run, ctx, user, "I'm Ada and I live in Lagos.")
    _, dinner = turn(run, ctx, user, "What should I eat tonight?")
    assert dinner.items


def test_a_profile_made_without_a_word_on_allergies_ends_by_asking_for_them(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    _, saved = turn(run, ctx, user, "I'm Tom and I live in London.")
    assert "allergies not told yet" in saved.text and "no allergies" in saved.text  # asked, not assumed
    assert unsure.asks_health(saved.awaiting)
    decision, _ = turn(run, ctx, user, "No.")
    assert decision.agent == "profile" and run(ctx.graph.get_user(user))["allergies_declared"]
    told = f"unsure-new-{next(_ids)}"
    _, saved = turn(run, ctx, told, "I'm Ada, I live in Lagos and I'm allergic to peanuts.")
    assert not saved.awaiting and "allergic to peanuts" in saved.text


def test_an_answer_to_any_allergies_not_made_out_is_kept_as_unheard(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    turn(run, ctx, user, "I'm Tom and I live in London.")
    decision, _ = turn(run, ctx, user, "Blutin, unceiliac.")  # "gluten, I'm coeliac", as Whisper wrote it
    assert decision.agent in ("clarify", "profile")
    _, first = turn(run, ctx, user, "What should I eat tonight?")
    assert not first.items and unsure.asks_health(first.awaiting)


def test_food_for_a_user_still_onboarding_waits_for_their_allergies(run, ctx):
    user = f"unsure-new-{next(_ids)}"
    run(ctx.graph.upsert_user(user, {"name": "Ada", "onboarded": False}))
    food = RouteDecision("food", 1.0, "asked for food")  # what the router may send a user still onboarding

    def dinner():
        return run(respond(AgentRequest(user, f"s-{next(_ids)}", "Find me some jollof in Lagos."), food, ctx))

    first = dinner()
    assert first.agent == "food" and not first.items and unsure.asks_health(first.awaiting)
    decision, answered = turn(run, ctx, user, "No allergies.")  # the dinner asked for follows, still onboarding
    assert decision.agent == "profile" and answered.agent == "food" and answered.items
    assert dinner().items


def test_a_turn_not_heard_after_the_allergies_were_told_changes_nothing(run, ctx, user):
    turn(run, ctx, user, "I have no allergies.")
    turn(run, ctx, user, "mumble", "words unclear (detected en p=0.6, log-prob -1.1)")
    _, dinner = turn(run, ctx, user, "What should I eat tonight?")
    assert dinner.items


def test_a_group_dinner_waits_for_the_speakers_answer_and_keeps_to_a_friends_guess(run, ctx, user):
    friend = f"unsure-friend-{next(_ids)}"
    run(ctx.graph.upsert_user(friend, {"name": "Kemi", "home_city": "Lagos", "onboarded": True,
                                       unsure.FIELD: unsure.with_question({}, "seliac", "celiac")}))
    run(ctx.graph.add_friend(user, friend))
    turn(run, ctx, user, "Squid gives me highs.")
    _, first = turn(run, ctx, user, "Dinner with Kemi tonight?")
    assert first.agent == "social" and not first.items and unsure.asks_health(first.awaiting)
    turn(run, ctx, user, "No allergies.")
    _, dinner = turn(run, ctx, user, "Dinner with Kemi tonight?")
    dishes = [i for i in dinner.items if i.get("kind") == "dish"]
    assert dinner.agent == "social" and dishes
    assert not any(violates(ings, (False, False), ["gluten"], []) for ings in _ingredients(run, ctx, dishes))


def test_the_guess_read_back_is_stored_on_a_yes():
    assert unsure.guess_answer(unsure.asking_guess("celiac"), "Yes.") == ("celiac", True)
    assert unsure.guess_answer(unsure.asking_guess("celiac"), "No, not that") == ("celiac", False)
    assert unsure.guess_answer(unsure.asking_guess(None), "Yes.") == (None, None)  # nothing guessed: no yes to give
    assert unsure.statement_of("sulfites") == "I'm allergic to sulfites" and unsure.statement_of("halal") == "I'm halal"


def test_yes_to_the_guess_stores_it_and_no_asks_what_then(run, ctx, user):
    other = onboarded_user(run, ctx, "unsure-no")
    for who in (user, other):
        _, asked = turn(run, ctx, who, "I'm seliac.")
        assert "yes or no" in asked.text and asked.awaiting == unsure.asking_guess("celiac")
    decision, _ = turn(run, ctx, user, "Yes.")
    assert (decision.agent, decision.reason) == ("profile", "answers what they can't eat")
    profile = run(ctx.graph.get_user(user))
    assert profile["allergies"] == ["gluten"] and not profile.get(unsure.FIELD)
    _, then = turn(run, ctx, other, "No.")
    assert "What can't you eat?" in then.text and unsure.asks_health(then.awaiting)
    profile = run(ctx.graph.get_user(other))
    assert not profile["allergies"] and unsure.unsure_of(profile) == [("seliac", None)]  # not coeliac, still unsettled
    _, dinner = turn(run, ctx, other, "What should I eat tonight?")
    assert not dinner.items and unsure.asks_health(dinner.awaiting)  # asked first, not filtered for coeliac
    turn(run, ctx, other, "Peanuts.")
    profile = run(ctx.graph.get_user(other))
    assert profile["allergies"] == ["peanut"] and not profile.get(unsure.FIELD)
