"""A request that puts a pending passphrase aside is its agent's (agents.passphrase_aside)."""

import pytest

from agents import passphrase_aside
from agents.base import RouteDecision
from agents.router import classify

PENDING = {"awaiting": "passphrase", "previous_agent": "auth"}


@pytest.mark.parametrize("text, agent", [
    ("hold on, is my jollof order on its way?", "food"),
    ("never mind the passphrase, which hotel is closest to Gatwick?", "travel"),
    ("wait, what time does the kitchen at Mama Put close tonight?", "food"),
    ("hang on, has my shawarma order left the shop?", "food"),
])
def test_a_request_that_puts_the_passphrase_aside_is_its_agents(text, agent):
    # the classifier alone, or the reconsideration below when it still says auth
    assert classify(text, state=PENDING).agent == agent


@pytest.mark.parametrize("text", ["suya by the lagoon", "Paris in the spring", "wait, it's red canoe at dawn",
                                  "hold on, let me remember"])
def test_a_passphrase_or_a_pause_stays_with_auth(text):
    assert classify(text, state=PENDING).agent == "auth"


def test_only_a_pending_passphrase_and_an_auth_decision_are_reconsidered():
    auth = RouteDecision("auth", 0.9, "classifier")
    food = RouteDecision("food", 0.8, "as if nothing were pending")
    said = "hold on, is my order coming?"
    assert passphrase_aside.instead(auth, said, "passphrase", lambda: food).agent == "food"
    assert passphrase_aside.instead(auth, said, None, lambda: food) is auth
    assert passphrase_aside.instead(auth, "is my order coming?", "passphrase", lambda: food) is auth  # no opening
    unsure = RouteDecision("food", passphrase_aside.AT_LEAST_P - 0.1, "as if nothing were pending")
    assert passphrase_aside.instead(auth, said, "passphrase", lambda: unsure) is auth
