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


def test_a_sure_decode_in_a_language_nobody_expects_is_checked_in_the_users_language():
    # Hindi read by espeak-ng came out as Thai at p=0.97: sure, and wrong.
    thai = heard("มันสู้อรค่ะ", "th", p=0.97, logprob=-0.7, candidates=(("th", 0.97), ("en", 0.01), ("hi", 0.0)))
    unsure_hindi = heard("मैं सूअर", "hi", p=None, logprob=-0.65, forced=True)
    stt = Table({None: thai, "hi": unsure_hindi})

    async def language():
        return "hi"

    transcript, reason = run(hear(stt, AUDIO, language))
    assert reason == "language unexpected (detected th p=0.97; the user speaks hi)"
    assert transcript.text == thai.text and stt.asked == [None, "hi"]
    # With no language known for the user, the fallback is a reply language the detector ranked.
    stt = Table({None: thai, "en": heard("man sue a car", p=None, logprob=-1.1, forced=True)})
    transcript, reason = run(hear(stt, AUDIO))
    assert reason == "language unexpected (detected th p=0.97; no language known for the user)"
    assert stt.asked == [None, "en"]


def test_a_sure_decode_in_the_users_own_language_is_acted_on():
    spanish = heard("no como cerdo", "es", p=0.9, logprob=-0.3, candidates=(("es", 0.9), ("it", 0.05)))
    stt = Table({None: spanish})

    async def language():
        return "es"

    transcript, reason = run(hear(stt, AUDIO, language))
    assert (transcript.text, reason) == (spanish.text, None) and stt.asked == [None]
    # ... and in a reply language without looking the user up.
    looked = []

    async def never():
        looked.append(1)
        return "es"

    french = heard("je ne mange pas de porc", "fr", p=0.9, logprob=-0.3)
    transcript, reason = run(hear(Table({None: french}), AUDIO, never))
    assert (transcript.text, reason, looked) == (french.text, None, [])


def test_words_in_another_script_than_the_languages_are_doubted():
    from speech.speech_check import script_of

    assert script_of("मुझे खाना चाहिए") == "DEVANAGARI" and script_of("je voudrais") == "LATIN"
    assert script_of("123 ?") is None
    arabic_as_hindi = heard("مُدَتْلِ قَنِ سِمِدِ تَمِدُ", "hi", p=0.64, logprob=-0.7)
    assert doubt(arabic_as_hindi) == "written in another script (detected hi p=0.64, arabic letters)"
    assert doubt(heard("मुझे शाकाहारी खाना चाहिए", "hi", p=0.64, logprob=-0.5)) is None
    assert doubt(heard("ich möchte ein Hotel", "de", p=0.9)) is None  # Latin by default
    assert doubt(heard("Привет", "en", p=0.9)).startswith("written in another script")


def test_the_same_words_under_another_languages_name_do_not_answer_a_surprise():
    # Spanish, sure of itself; told "English", Whisper wrote the same Spanish words.
    spanish = heard("no tengo mucha hambre, solo una sopa", "es", p=0.98, logprob=-0.3,
                    candidates=(("es", 0.98), ("en", 0.01)))
    same = heard("No tengo mucha hambre, solo una sopa.", "en", p=None, logprob=-0.3, forced=True)
    transcript, reason = run(hear(Table({None: spanish, "en": same}), AUDIO))
    assert transcript.language == "es" and reason.startswith("language unexpected")
    # An unsure detection's words, confirmed under the imposed language, are taken as before.
    unsure = heard("I would like a table for two", "de", p=0.3, logprob=-0.3,
                   candidates=(("de", 0.3), ("en", 0.25)))
    english = heard("I would like a table for two.", "en", p=None, logprob=-0.2, forced=True)
    transcript, reason = run(hear(Table({None: unsure, "en": english}), AUDIO))
    assert (transcript.language, reason) == ("en", None)
