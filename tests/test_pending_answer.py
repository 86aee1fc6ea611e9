"""A turn read against the question the last reply left about the profile, and the question the
reply leaves (``agents.pending_answer``), with plain profiles in hand: what both the onboarding
and the profile agent store and ask (through the graph: test_home_read_back, test_health_unsure)."""

from __future__ import annotations

import time

from agents import health_unsure as unsure
from agents import templates as T
from agents.pending_answer import answer_of, home_kept, next_question
from agents.read_back import asking, asking_where
from agents.slots_home import HomeGuess
from agents.turn_state import FOLLOW_UP_WINDOW_S

LEKKI = HomeGuess("lucky", "Lagos", "Lekki")


def asked(awaiting: str, **profile) -> dict:
    """A profile whose last reply, a moment ago, asked ``awaiting``."""
    return {"awaiting": awaiting, "last_turn_at": time.time(), **profile}


def test_a_yes_to_the_place_read_back_stores_it_and_reads_the_rest_of_the_turn():
    answer = answer_of(asked(asking(LEKKI), home_city="Lucky"), "Yes, and my name is Kami")
    assert answer.changes == {"home_city": "Lagos", "neighbourhood": "Lekki"}
    assert answer.said == "and my name is Kami" and answer.answered_home


def test_a_question_asked_long_ago_is_not_answered():
    profile = asked(asking(LEKKI), home_city="Lucky", last_turn_at=time.time() - FOLLOW_UP_WINDOW_S - 1)
    answer = answer_of(profile, "Yes")
    assert answer.changes == {} and not answer.answered_home and answer.said == "Yes"


def test_a_city_named_to_which_city_keeps_the_place_heard_as_its_neighbourhood():
    answer = answer_of(asked(asking_where("Corridan"), home_city="Corridan"), "London")
    assert answer.changes == {"home_city": "London", "neighbourhood": "Corridan"} and answer.placed


def test_a_yes_to_the_health_guess_is_read_as_the_guess_said_plainly():
    answer = answer_of(asked(unsure.asking_guess("coeliac")), "Yes.")
    assert answer.said.startswith("I'm coeliac.")


def test_a_no_to_the_health_guess_asks_what_the_user_cannot_eat():
    profile = asked(unsure.asking_guess("coeliac"), health_unsure=["seliac|coeliac", "x|sesame"])
    answer = answer_of(profile, "No.")
    assert answer.guess_refused and answer.unsure_changes(profile) == {unsure.FIELD: ["seliac|", "x|sesame"]}
    assert next_question(answer, "No.", {}, False, None) == (T.say("health_not_saved", None), unsure.ASKED)
    assert next_question(answer, "No.", {"diets": ["vegan"]}, True, None) is None  # said something else: stored


def test_a_bare_nothing_to_what_cannot_you_eat_settles_it():
    answer = answer_of(asked(unsure.ASKED, health_unsure=["x|"]), "Nothing.")
    assert answer.changes == {"allergies_declared": True, unsure.FIELD: []}


def test_a_health_word_not_understood_is_read_back_and_remembered():
    text = "I'm allergic to seelyak"
    answer = answer_of(None, text)
    heard, _ = answer.unclear
    assert answer.unsure_changes({})[unsure.FIELD] == [f"{heard}|{answer.unclear[1] or ''}"]
    question, awaiting = next_question(answer, text, {}, False, None)
    assert heard in question and awaiting == unsure.asking_guess(answer.unclear[1])


def test_a_plain_no_to_the_place_keeps_what_was_heard():
    profile = asked(asking(LEKKI), home_city="Lucky")
    answer = answer_of(profile, "No.")
    assert answer.changes == {} and answer.home_yes is False
    assert home_kept(answer, profile, False, None) == T.say("home_kept", None, heard="Lucky")
    assert next_question(answer, "No.", {}, False, None) is None  # never asked twice
    assert home_kept(answer_of(profile, "Find me dinner"), profile, False, None) == ""
