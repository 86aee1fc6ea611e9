"""The catalogue-name repair on Whisper output: real word lists (bundled catalogue, MiniLM vocab)."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from speech.audio import DecodedAudio
from speech.stt import OfflineWhisper, repair_transcript
from speech.sound_alike import sound_key
from speech.transcript_fix import TranscriptFixer, default_fixer
from core.settings import Settings
from bench.utterances import UTTERANCES


@pytest.fixture(scope="module")
def fixer() -> TranscriptFixer:
    fixer = default_fixer()
    assert fixer is not None, "the MiniLM tokenizer package is installed with the project"
    return fixer


@pytest.mark.parametrize("heard, meant", [
    # seen in bench/results/stt_wer*.json: Whisper base int8 on piper speech
    ("I would like some jollof rice and laigas tonight.", "I would like some jollof rice in Lagos tonight."),
    ("Find me a guest house and leki for three nights.", "Find me a guest house in Lekki for three nights."),
    ("What does the vegetable tajin have in it?", "What does the vegetable tagine have in it?"),
    ("I'm craving bada pav and pav bhaji for lunch.", "I'm craving vada pav and pav bhaji for lunch."),
    ("How far is Berklin from the city center?", "How far is Brooklyn from the city center?"),
    ("London and laigas, please", "London and Lagos, please"),  # a pair of places keeps its "and"
])
def test_misheard_catalogue_names_are_repaired(fixer, heard, meant):
    assert fixer.fix(heard) == meant


@pytest.mark.parametrize("text", [
    "I want to buy legs of lamb for dinner.",  # ordinary words, however close to "Lagos"
    "Can you recommend a hell restaurant in London?",  # "hell" is a word: "halal" stays lost
    "Where should I stay and buy if I want somewhere quiet?",  # two words for one name: not tried
    "My name is Kemi and I fly to Accra.",  # names outside the catalogue ("kheema", "akara")
    "I love tajin.",  # a dish word alone: no other word of its name beside it
    "Integer PCM WAV",  # acronyms
    "Book somewhere central and Paris for two people.",  # a correct place name is never touched
])
def test_ordinary_words_and_unknown_names_stay(fixer, text):
    assert fixer.fix(text) == text


def test_correct_sentences_are_left_alone(fixer):
    changed = [text for _, text in UTTERANCES if fixer.fix(text) != text]
    assert changed == []


def test_a_tie_between_two_names_changes_nothing():
    fixer = TranscriptFixer([("Lagos", True), ("Legas", True)], is_ordinary=lambda w: False)
    assert fixer.fix("in laigas") == "in laigas"
    fixer = TranscriptFixer([("Lagos", True)], is_ordinary=lambda w: False)
    assert fixer.fix("in laigas") == "in Lagos"


def test_sound_key_keeps_the_first_vowel():
    assert sound_key("tagine") == sound_key("tajin") == "tjn"
    assert sound_key("Brooklyn") == sound_key("Berklin")
    assert sound_key("accra") != sound_key("okra")


def test_only_english_transcripts_are_repaired():
    assert repair_transcript("jollof rice and laigas", "en") == "jollof rice in Lagos"
    assert repair_transcript("quoi que ce soit", "fr") == "quoi que ce soit"


class _Segment:  # the fields of faster_whisper.transcribe.Segment that OfflineWhisper reads
    def __init__(self, text):
        self.text, self.tokens = text, [0] * 12
        self.avg_logprob, self.compression_ratio, self.no_speech_prob = -0.2, 1.0, 0.01


class _Info:  # and of TranscriptionInfo
    language, language_probability, all_language_probs = "en", 0.99, None


class _FakeWhisper:
    model = None

    def transcribe(self, samples, **kwargs):
        return iter([_Segment(" I would like some jollof rice and laigas tonight.")]), _Info()


@pytest.mark.parametrize("repair, expected", [
    (True, "I would like some jollof rice in Lagos tonight."),
    (False, "I would like some jollof rice and laigas tonight."),
])
def test_offline_whisper_repairs_its_output(tmp_path, repair, expected):
    stt = OfflineWhisper(Settings(data_dir=tmp_path))
    stt._model, stt.repair = _FakeWhisper(), repair
    audio = DecodedAudio(np.zeros(16000, dtype=np.float32), 16000, 1.0, "wav")
    assert asyncio.run(stt.transcribe(audio)).text == expected
