"""The benchmark's own WER arithmetic and its utterance set."""

from __future__ import annotations

import pytest

from bench.stt_wer import edit_distance, normalise, wer
from bench.utterances import UTTERANCES


def test_normalise():
    assert normalise("Traveling to the city center, a guest house for 2 at £20; gluten-free!") == [
        "travelling", "to", "the", "city", "centre", "a", "guesthouse", "for", "two", "at",
        "twenty", "pounds", "gluten", "free"]


@pytest.mark.parametrize("ref, hyp, edits", [
    ("a b c", "a b c", 0), ("a b c", "a x c", 1), ("a b c", "a c", 1), ("a b c", "a b c d", 1),
    ("", "a b", 2), ("a b", "", 2), ("jollof rice in lagos", "jollof rice and lake gus", 3),
])
def test_edit_distance(ref, hyp, edits):
    assert edit_distance(ref.split(), hyp.split()) == edits


def test_corpus_wer():
    assert wer(["I live in Lagos.", "Two people"], ["I live in lake gus", "2 people"]) == pytest.approx(2 / 6)


def test_at_least_forty_utterances_in_four_domains():
    assert len(UTTERANCES) >= 40
    assert {d for d, _ in UTTERANCES} == {"food", "travel", "onboarding", "profile"}
