"""A user who says they are new to the app is onboarding's, whatever facts they give (agents.newcomer)."""

import pytest

from agents import newcomer
from agents.base import CLARIFY, RouteDecision
from agents.router import classify


@pytest.mark.parametrize("text", [
    "hi, new here. I'm Tayo, I live in Ikeja and I don't eat pork", "first time using this, I'm in Lagos, Gbagada",
    "abeg I just join, my name na Efe", "bonjour, je découvre l'appli, je m'appelle Inès",
    "namaste, pehli baar use kar rahi hoon, main Ritu", "I'm new, set me up",
])
def test_an_introduction_from_someone_new_is_onboardings(text):
    assert newcomer.says_new(text)
    assert classify(text).agent == "onboarding"


@pytest.mark.parametrize("text", [
    "I'm new to Lagos, where should I stay?", "I'm new in town", "I just joined a gym",
    "this is my first time on a new phone, I need to get in", "my new address is Yaba",
    "Mumbai mein pehli baar aa raha hoon, best areas kaunse hain",
])
def test_new_to_a_city_or_to_something_else_is_not_new_to_the_app(text):
    assert not newcomer.says_new(text)


def test_a_request_made_in_the_same_breath_keeps_its_agent():
    food = RouteDecision("food", 0.9, "classifier")
    assert newcomer.after_the_model(food, "I'm new here, find me some suya") is food
    read_as_facts = newcomer.after_the_model(RouteDecision("profile", 0.7, "classifier"), "I'm new here, I'm Ada")
    assert read_as_facts.agent == "onboarding" and "says they are new" in read_as_facts.reason
    assert newcomer.after_the_model(RouteDecision(CLARIFY, 0.0, "unclear"), "just signed up, hi").agent == "onboarding"


def test_a_newcomer_asked_for_a_passphrase_they_never_set_is_onboardings():
    said = "I don't have a passphrase, I only joined today"
    taken_for_one = RouteDecision("auth", 0.99, "classifier")
    assert newcomer.after_the_model(taken_for_one, said, "passphrase").agent == "onboarding"
    assert newcomer.after_the_model(taken_for_one, said) is taken_for_one  # nothing asked: auth may explain
    assert classify(said, state={"awaiting": "passphrase", "previous_agent": "auth"}).agent == "onboarding"
