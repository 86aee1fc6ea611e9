"""speech_check: when a transcript is not acted on, and the second decode in the user's language.

No model here: ``hear`` is driven by a provider that answers from a table (which language was
asked for -> which transcript), so each path of the decision is pinned down.  The real speech
path (espeak-ng / piper audio through Whisper and the stages) is tests/test_speech_language.py.
"""

from __future__ import annotations

import asyncio

import numpy as np

from speech.audio import DecodedAudio
from speech.speech_check import (MIN_AVG_LOGPROB, MIN_FORCED_LOGPROB, MIN_LANGUAGE_P, doubt,
                                           hear, repeats, retry_languages)
from speech.stt import SpeechToText, Transcript

AUDIO = DecodedAudio(np.zeros(16_000, dtype=np.float32), 16_000, 1.0, "wav")


def heard(text="I would like jollof rice", language="en", p=0.95, logprob=-0.2, ratio=1.1,
          candidates=(), forced=False) -> Transcript:
    return Transcript(text, language, p, 1.0, 0.0, avg_logprob=logprob, compression_ratio=ratio,
                      no_speech_prob=0.01, candidates=candidates, forced=forced)


class Table(SpeechToText):
    """Answers ``answers[language]`` (None: the first, detecting decode); records the asks."""

    def __init__(self, answers: dict) -> None:
        self.answers, self.asked = answers, []

    async def _transcribe(self, audio, language=None):
        self.asked.append(language)
        return self.answers[language]


def test_a_sure_transcript_is_acted_on():
    assert doubt(heard()) is None
    assert doubt(heard(p=None, logprob=None, ratio=None)) is None  # Groq reports neither


def test_an_unsure_language_is_named_with_its_probability():
    assert doubt(heard("ฉันอยากได้", "th", p=0.31)) == "language unclear (detected th p=0.31)"
    assert doubt(heard(p=MIN_LANGUAGE_P)) is None


def test_improbable_words_are_doubted_even_in_a_sure_language():
    reason = doubt(heard(logprob=MIN_AVG_LOGPROB - 0.05))
    assert reason.startswith("words unclear (detected en p=0.95, log-prob")
    # A decode in an imposed language must be surer than a first try.
    assert doubt(heard(logprob=MIN_FORCED_LOGPROB + 0.01, p=None, forced=True)) is None
    assert doubt(heard(logprob=MIN_FORCED_LOGPROB - 0.01, p=None, forced=True)) is not None


def test_loops_are_doubted():
    assert repeats("Mune raki kane kane kane, biryani") == 3
    assert repeats("the cat and the cat and the cat and") == 3
    assert repeats("I would like a vegetarian curry in London") == 1
    assert repeats("") == 0
    assert repeats("りはたかくあぎはちゃくあちゃぎおり") < 3  # a script without spaces, read by character
    assert repeats("ありありありありがとう") == 4
    assert doubt(heard("kane kane kane")).startswith("heard as a loop")
    assert doubt(heard(ratio=2.6)).startswith("heard as a loop")


def test_retry_languages_put_the_users_own_first_and_skip_the_one_decoded():
    t = heard(language="th", candidates=(("th", 0.31), ("fr", 0.22), ("en", 0.1)))
    assert retry_languages(t, None) == ["fr", "en"]
    assert retry_languages(t, "fr") == ["fr", "en"]
    assert retry_languages(t, "hi") == ["hi", "fr", "en"]
    assert retry_languages(heard(language="fr", candidates=(("fr", 0.4),)), "fr") == []


def run(coro):
    return asyncio.run(coro)


def test_hear_does_not_look_up_the_user_when_sure():
    looked = []

    async def language():
        looked.append(1)
        return "fr"

    stt = Table({None: heard()})
    transcript, reason = run(hear(stt, AUDIO, language))
    assert (transcript.text, reason) == (heard().text, None)
    assert stt.asked == [None] and looked == []


def test_hear_keeps_a_sure_second_decode_in_the_users_language():
    french = heard("je voudrais une table", "fr", p=None, logprob=-0.3, forced=True)
    stt = Table({None: heard("zhe vu dre", "th", p=0.31, candidates=(("th", 0.31),)), "fr": french})

    async def language():
        return "fr"

    transcript, reason = run(hear(stt, AUDIO, language))
    assert (transcript.text, transcript.language, reason) == (french.text, "fr", None)
    assert stt.asked == [None, "fr"]


def test_hear_asks_when_the_second_decode_is_unsure_too():
    first = heard("mughayatrake", "bn", p=0.44, candidates=(("bn", 0.44), ("hi", 0.3), ("en", 0.1)))
    stt = Table({None: first, "en": heard("mug a yacht", p=None, logprob=-1.2, forced=True)})
    transcript, reason = run(hear(stt, AUDIO))
    assert transcript.text == first.text and reason == "language unclear (detected bn p=0.44)"
    assert stt.asked == [None, "en"]  # one retry: hi is not a reply language, no profile language


def test_an_unsure_detection_of_a_fallback_language_is_judged_as_that_languages_decode():
    # English from an odd voice: detection unsure, the words sure enough for an imposed decode.
    sure_words = heard("and I'm also allergic to sesame", "en", p=0.33,
                       logprob=MIN_FORCED_LOGPROB + 0.1, candidates=(("en", 0.33), ("de", 0.2)))
    stt = Table({None: sure_words})
    transcript, reason = run(hear(stt, AUDIO))
    assert (transcript.text, reason) == (sure_words.text, None)
    assert stt.asked == [None]  # no second decode: the first one was in that language already
    # The same detection with words only as sure as a first try's floor is still asked about.
    guess = heard("sign in then", "en", p=0.33, logprob=MIN_FORCED_LOGPROB - 0.1,
                  candidates=(("en", 0.33),))
    transcript, reason = run(hear(Table({None: guess}), AUDIO))
    assert reason == "language unclear (detected en p=0.33)"


def test_an_unsure_detection_of_another_language_is_not_a_fallback():
    german = heard("Seine Innen", "de", p=0.33, logprob=-0.1, candidates=(("de", 0.33), ("nl", 0.2)))
    transcript, reason = run(hear(Table({None: german}), AUDIO))
    assert reason == "language unclear (detected de p=0.33)"
