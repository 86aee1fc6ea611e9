"""bench/speech_doubt.py's tally, on plain rows: false alarms, missed doubts, and what routing the
doubted transcripts would have done."""

from __future__ import annotations

from types import SimpleNamespace

from agents.base import RouteDecision
from bench.speech_doubt import summarise, take_row


def row(doubt=None, wer=0.0, route="food", expected="food", p=0.9, error=None):
    return {"doubt": doubt, "wer": wer, "route": route, "expected": expected, "p": p, "error": error}


def test_the_tally_separates_false_alarms_missed_doubts_and_state_changing_routes():
    rows = [row(doubt="words unclear (detected en p=0.6)", wer=0.1),                   # a false alarm
            row(doubt="language unclear (detected th p=0.3)", wer=0.9, route="auth",
                expected="auth", p=0.95),                                               # right, changes state
            row(doubt="language unclear (detected de p=0.4)", wer=1.0, route="travel", p=0.55),  # wrong
            row(doubt="words unclear (detected en p=0.7)", wer=0.8, route="clarify", expected="clarify"),
            row(wer=0.7),                                                               # a missed doubt
            row(wer=0.0),
            row(error="no speech detected", route="", wer=1.0)]
    s = summarise(rows)
    assert (s["takes"], s["doubted"], s["no_speech"], s["acted_on"]) == (7, 4, 1, 2)
    assert s["doubted_by_reason"] == {"words unclear": 2, "language unclear": 2}
    assert s["doubted_heard_right"] == 1 and s["acted_on_heard_badly"] == 1
    assert s["doubted_expected_clarify"] == 1
    assert s["routing_doubted_instead_of_asking"]["p>=0.5"] == {
        "routed": 3, "right": 2, "wrong": 1, "wrong_was_clarify": 0, "right_read_only": 1,
        "wrong_read_only": 1, "state_changing": 1}
    assert s["routing_doubted_instead_of_asking"]["p>=0.9"]["routed"] == 2


class DecidingRouter:
    """The bench router's interface: the classifier unsure (food, 0.41), the user-state rules then
    deciding onboarding at 0.9."""

    def __init__(self) -> None:
        self.seen = []

    def classify(self, text, state):
        return RouteDecision("food", 0.41, "classifier p=0.41 (then onboarding 0.3)")

    def decide(self, text, state):
        self.seen.append((text, state["onboarded"]))
        return RouteDecision("onboarding", 0.9, "profile incomplete (classifier p=0.41 (then food 0.3))")


def test_a_take_row_carries_the_classifier_s_own_confidence_not_the_state_rules():
    # the product reads doubted speech back on the classifier's confidence (router.read_back_first)
    line = {"id": "r1", "text": "I live in Lagos", "label": "onboarding", "state": {"onboarded": False}}
    heard = SimpleNamespace(text="I live in Lagos.", unclear="words unclear (detected en p=0.6)", error=None)
    router = DecidingRouter()
    r = take_row(line, SimpleNamespace(engine="piper"), heard, router)
    assert router.seen == [("I live in Lagos.", False)]
    assert (r["route"], r["p"], r["expected"], r["wer"]) == ("onboarding", 0.41, "onboarding", 0.0)
    silent = take_row(line, SimpleNamespace(engine="piper"),
                      SimpleNamespace(text="", unclear=None, error="no speech detected"), router)
    assert (silent["route"], silent["p"], len(router.seen)) == ("", None, 1)
