"""bench/profile_speech.py on plain scenarios: which heard turns reach the agents (a doubted one
only as the request to say it again), and how a scenario's stored diets and allergies are classed
(right, asked, missed silently, stored unsaid)."""

from __future__ import annotations

from types import SimpleNamespace

from bench.profile_speech import health_outcome, heard_scenarios

SCENARIO = {"id": "p1", "turns": ["Chiamaka", "I'm in Lagos", "eggs make me ill"],
            "expected": {"name": "Chiamaka", "home_city": "Lagos", "allergies": ["egg"], "diets": []}}


class Takes:
    """``SpeechTakes.takes``' interface: each turn heard as ``heard[(engine, turn)]`` says."""

    def __init__(self, heard: dict) -> None:
        self.heard = heard

    def takes(self, lines, every=50):
        for line in lines:
            for engine in ("piper", "espeak-ng"):
                text, unclear = self.heard.get((engine, line["turn"]), (line["text"], None))
                yield line, SimpleNamespace(engine=engine), SimpleNamespace(
                    text=text, unclear=unclear, error=None), 0.0


def test_a_doubted_turn_is_asked_again_not_acted_on_and_a_read_back_is_recorded():
    heard = heard_scenarios([SCENARIO], Takes({
        ("espeak-ng", 0): ("Chia Maker", "words unclear (detected en p=0.6)"),
        ("espeak-ng", 2): ("I'm allergic to seelyak", None)}))
    piper, espeak = heard["piper"][0], heard["espeak-ng"][0]
    assert piper["turns"] == SCENARIO["turns"] and piper["asked"] == {}
    assert espeak["turns"] == [None, "I'm in Lagos", "I'm allergic to seelyak"]  # None: run_split asks again
    assert espeak["asked"][0].startswith("repeat: words unclear")
    assert espeak["asked"][2].startswith("read back")
    assert espeak["said"] == SCENARIO["turns"]


def test_a_missed_allergy_counts_as_asked_only_when_its_own_turn_was_asked_about():
    said, expected = SCENARIO["turns"], SCENARIO["expected"]
    nothing = {"allergies": [], "diets": []}
    assert health_outcome(expected, {"allergies": ["egg"], "diets": []}, said, {}) == "right"
    assert health_outcome(expected, nothing, said, {2: "repeat: words unclear"}) == "asked"
    # the name's turn was asked about, the allergy's was misheard in silence: the unsafe class
    assert health_outcome(expected, nothing, said, {0: "repeat: words unclear"}) == "missed_silently"
    assert health_outcome(expected, {"allergies": ["egg", "fish"], "diets": []}, said, {}) == "stored_unsaid"
    # a weaker diet than the one said is a missed restriction, not an extra one
    jain = {"diets": ["strict_jain"], "allergies": []}
    assert health_outcome(jain, {"diets": ["jain"], "allergies": []},
                          ["I'm strict Jain, no onion or garlic"], {}) == "missed_silently"
