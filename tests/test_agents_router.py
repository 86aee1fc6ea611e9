"""Routing of natural utterances (pure: no graph), user-state gating, and router speed."""

import time

import pytest

from agents.router import classify, with_user_state

UTTERANCES = {
    "food": ["I'm starving, anything spicy near me?", "what's good to eat around here",
             "can you recommend a vegan dish", "I fancy some jollof rice", "order me the Chicken Ruby",
             "is there somewhere cheap for lunch", "I'm so hungry", "get me something to eat without dairy",
             "I can't eat gluten, what's for dinner?"],
    "travel": ["where should I stay in Paris", "find me a hotel in Lagos",
               "I'm flying to Mumbai next week, which neighbourhood is good",
               "book a room in London for two nights", "what's a good area to stay in New York"],
    "social": ["my friends and I want dinner", "table for six tonight",
               "we're a group of 8 looking for somewhere to eat", "planning a birthday dinner with colleagues",
               "somewhere my family can all eat together", "where can we eat tonight"],
    "profile": ["add peanuts to my allergies", "I'm vegetarian now", "what do you know about me",
                "remove shellfish from my allergies", "change my home city to Paris", "update my diet to vegan",
                "I'm allergic to sesame", "I'm no longer vegetarian"],
    "auth": ["sign me in", "it's me, verify my voice", "log me in please", "log out", "change my passphrase",
             "can you recognise my voice"],
    "onboarding": ["hi, I'm new here", "how do I get started", "set up my account", "what can you do?"],
    "clarify": ["asdf qwerty zxcv", "blorp", "", "the weather is nice", "hmm"],
}
CASES = [(agent, text) for agent, texts in UTTERANCES.items() for text in texts]
KNOWN = {"id": "u", "name": "Ada", "home_city": "Lagos", "onboarded": True}


@pytest.mark.parametrize("agent,text", CASES)
def test_natural_utterances_route_to_the_right_agent(agent, text):
    decision = classify(text)
    assert decision.agent == agent, decision
    assert (decision.confidence > 0) == (agent != "clarify")


@pytest.mark.parametrize("text", ["I'm starving", "sign me in", "blorp"])
def test_unknown_user_goes_to_onboarding_first(text):
    assert with_user_state(classify(text), None).agent == "onboarding"


def test_half_onboarded_user_finishes_onboarding_but_can_still_ask_for_food():
    partial = {"id": "u", "name": "Ada", "onboarded": False}
    assert with_user_state(classify("I live in Lagos"), partial).agent == "onboarding"
    assert with_user_state(classify("blorp"), partial).agent == "onboarding"
    assert with_user_state(classify("anything spicy in Lagos?"), partial).agent == "food"


def test_known_user_keeps_the_keyword_decision():
    assert with_user_state(classify("where should I stay in Paris"), KNOWN).agent == "travel"
    assert with_user_state(classify("zzz"), KNOWN).agent == "clarify"


def test_classify_is_fast():
    texts = [t for _, t in CASES] + ["word " * 60]  # the long one matches nothing: worst case
    start = time.perf_counter()
    for _ in range(20):
        for t in texts:
            classify(t)
    per_call = (time.perf_counter() - start) / (20 * len(texts))
    assert per_call < 0.001, per_call
