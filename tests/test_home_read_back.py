"""A home place heard as one we do not know, read back as the known place it sounds like, and
settled by the user's yes or no in the next turn, or, when it sounds like nothing we know, asked
which city it is in (``agents.read_back``): on the real graph (FalkorDB and Neo4j) through the
router and the agents, and the rules on plain text."""

from __future__ import annotations

import itertools

import pytest

from agents import templates as T
from agents.read_back import asked_home, asking, asking_where, home_answer, home_question, where_answer, yes_or_no
from agents.slots_home import HomeGuess, home_heard_as, unknown_home
from tests.conversation_helpers import turn

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


def test_a_yes_stores_the_place_read_back(run, ctx):
    user = f"home-yes-{next(_ids)}"
    _, asked = turn(run, ctx, user, "Hi, I'm Kemi and I live in Lucky.")
    assert "Lekki, in Lagos" in asked.text and asked.awaiting
    assert run(ctx.graph.get_user(user))["home_city"] == "Lucky"  # kept as heard until answered
    decision, settled = turn(run, ctx, user, "Yes.")
    assert decision.agent == "profile", decision
    profile = run(ctx.graph.get_user(user))
    assert (profile["home_city"], profile["neighbourhood"]) == ("Lagos", "Lekki")
    assert "Lekki" in settled.text and not settled.awaiting
    decision, _ = turn(run, ctx, user, "Yes.")  # asked nothing now: a bare yes is not an answer
    assert decision.reason != "answers the place read back"


def test_a_no_keeps_what_was_heard_and_a_correction_is_stored(run, ctx):
    kept, corrected = f"home-no-{next(_ids)}", f"home-fix-{next(_ids)}"
    for user in (kept, corrected):
        _, asked = turn(run, ctx, user, "I'm Bola and I live in Lucky.")
        assert "Lekki" in asked.text
    _, reply = turn(run, ctx, kept, "No.")
    assert "Lucky" in reply.text and run(ctx.graph.get_user(kept))["home_city"] == "Lucky"
    turn(run, ctx, corrected, "No, I live in Surulere.")
    profile = run(ctx.graph.get_user(corrected))
    assert (profile["home_city"], profile["neighbourhood"]) == ("Lagos", "Surulere")


def test_an_onboarding_user_answers_the_onboarding_agent(run, ctx):
    user = f"home-onboarding-{next(_ids)}"
    _, asked = turn(run, ctx, user, "I live in Pekkan.")  # no name yet: still onboarding
    assert asked.agent == "onboarding" and "Peckham, in London" in asked.text
    decision, reply = turn(run, ctx, user, "Yes")
    assert decision.agent == "onboarding"
    assert run(ctx.graph.get_user(user))["neighbourhood"] == "Peckham"
    assert "name" in reply.text  # and onboarding goes on: what is still missing is asked


def test_a_yes_that_says_more_stores_both_and_the_yes_is_never_a_name(run, ctx):
    told, bare = f"home-more-{next(_ids)}", f"home-bare-{next(_ids)}"
    for user in (told, bare):
        turn(run, ctx, user, "I live in Pekkan.")
    turn(run, ctx, told, "Yes, I'm Bola, allergic to peanuts.")  # short: an answer, not a new request
    profile = run(ctx.graph.get_user(told))
    assert (profile["name"], profile["neighbourhood"], profile["allergies"]) == ("Bola", "Peckham", ["peanut"])
    turn(run, ctx, bare, "Correct.")
    profile = run(ctx.graph.get_user(bare))
    assert profile["neighbourhood"] == "Peckham" and not profile.get("name")


# --------------------------------------------------------------------------- a home we cannot place

@pytest.mark.parametrize("city,unknown", [
    ("Corridan", True),  # Whisper's "Croydon": no town of that name anywhere
    ("Egypt", True),  # a country is not a city ("I stay in Egypt" for Agege)
    ("London", False), ("New York", False), ("Houston", False), ("Leeds", False), (None, False),
    ("Auburn", True),  # a town of 77,000, and Whisper's word for Ogba: which city?
])
def test_a_home_no_one_could_recommend_in_is_unknown(city, unknown):
    assert unknown_home(city) is unknown


@pytest.mark.parametrize("text,place", [
    ("London", ("London", None)),
    ("It's in London.", ("London", None)),
    ("Croydon, in London", ("London", "Croydon")),
    ("Oh sorry, I meant Croydon", ("London", "Croydon")),
    ("near Manchester", ("Manchester", None)),  # a town anywhere, though not in the catalogue
])
def test_a_city_answers_which_city(text, place):
    answer = where_answer(asking_where("Corridan"), text)
    assert answer is not None and (answer.city, answer.neighbourhood) == place and answer.heard == "Corridan"


@pytest.mark.parametrize("awaiting,text", [
    (asking_where("Corridan"), "Corridan"),  # the same unknown place again
    (asking_where("Corridan"), ""), (asking_where("Corridan"), "..."),  # nothing said
    (asking_where("Corridan"), "what should I eat tonight?"),
    (asking_where("Corridan"), "I'd like a hotel in Paris for a conference next week please, somewhere central and quiet"),
    ("passphrase", "London"),  # nothing asked about the home
    (asking(HomeGuess("lucky", "Lagos", "Lekki")), "London"),
])
def test_no_city_answer(awaiting, text):
    assert where_answer(awaiting, text) is None


def test_which_city_is_asked_only_for_a_home_we_cannot_place():
    assert home_question("I live in Corridan.", {"home_city": "Corridan"}, False, None) == (
        T.home_where("Corridan", False, None), asking_where("Corridan"))
    assert "Which city in Egypt" in home_question("I stay in Egypt", {"home_city": "Egypt"}, False, None)[0]
    assert home_question("I live in Lucky.", {"home_city": "Lucky"}, False, None)[1] == asking(
        HomeGuess("lucky", "Lagos", "Lekki"))  # sounds like a known place: that is read back instead
    for text, changes in (("I live in Houston.", {"home_city": "Houston"}), ("I live in Lekki", {"home_city": "Lagos"}),
                          ("I'm vegan", {"diets": ["vegan"]})):
        assert home_question(text, changes, False, None) is None
    assert home_question("I live in Corridan.", {"home_city": "Corridan"}, True, None) is None  # an answer


def test_a_city_named_for_an_unknown_home_is_stored_with_the_place_heard(run, ctx):
    told, named, country = (f"home-where-{next(_ids)}" for _ in range(3))
    for user, said in ((told, "Hi, I'm Tunde and I live in Corridan."), (named, "I'm Tunde and I live in Corridan."),
                       (country, "I'm Tunde and I stay in Egypt.")):
        _, asked = turn(run, ctx, user, said)
        assert "which city" in asked.text.lower() and asked.awaiting == asking_where(said.split()[-1].strip("."))
    decision, settled = turn(run, ctx, told, "London")
    assert decision.reason == "answers the place read back", decision
    profile = run(ctx.graph.get_user(told))
    assert (profile["home_city"], profile["neighbourhood"]) == ("London", "Corridan")
    assert not settled.awaiting
    turn(run, ctx, named, "Croydon, in London")
    profile = run(ctx.graph.get_user(named))
    assert (profile["home_city"], profile["neighbourhood"]) == ("London", "Croydon")
    turn(run, ctx, country, "Lagos")
    profile = run(ctx.graph.get_user(country))
    assert (profile["home_city"], profile.get("neighbourhood")) == ("Lagos", None)
