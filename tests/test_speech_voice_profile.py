"""analyze_voice: pitch, pace, loudness and the reply voice, on tones and real speech."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from speech.audio import DecodedAudio, decode_audio
from speech.stt import Transcript
from speech.tts import PiperTTS
from speech.voice_profile import PIPER_VOICE, VoiceProfile, analyze_voice, voice_preference
from core.settings import Settings

RATE = 16_000


def voiced(f0: float, seconds: float = 3.0, amp: float = 0.3, silence_s: float = 0.0) -> DecodedAudio:
    """A harmonic-rich 'voice' at ``f0`` with ``silence_s`` of silence either side."""
    t = np.arange(int(RATE * seconds)) / RATE
    x = amp * sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 6)) / 1.5
    pad = np.zeros(int(RATE * silence_s))
    x = np.concatenate([pad, x, pad]).astype(np.float32)
    return DecodedAudio(x, RATE, x.size / RATE, "wav")


def said(text: str, language: str = "en", p: float | None = 0.97) -> Transcript:
    return Transcript(text, language, p, 0.0, 0.0)


@pytest.mark.parametrize("f0", [85.0, 120.0, 210.0, 320.0])
def test_pitch_of_a_harmonic_tone(f0):
    profile = analyze_voice(voiced(f0), said("one two three"))
    assert profile.median_pitch_hz == pytest.approx(f0, rel=0.02)


def test_pace_counts_speech_not_the_pauses_around_it():
    # 10 words in 3 s of sound, with 1 s of silence before and after: 200 wpm, not 120.
    profile = analyze_voice(voiced(150.0, silence_s=1.0), said(" ".join(["word"] * 10)))
    assert profile.words_per_minute == pytest.approx(200, rel=0.03)
    assert profile.duration_s == pytest.approx(5.0)


def test_loudness_is_of_the_active_speech():
    quiet = analyze_voice(voiced(150.0, amp=0.03, silence_s=1.0), said("hello there"))
    loud = analyze_voice(voiced(150.0, amp=0.3, silence_s=1.0), said("hello there"))
    assert loud.loudness_dbfs - quiet.loudness_dbfs == pytest.approx(20.0, abs=0.5)
    assert -25 < loud.loudness_dbfs < -5


def test_noise_has_no_pitch():
    rng = np.random.default_rng(1)
    x = (0.2 * rng.standard_normal(RATE * 2)).astype(np.float32)
    assert analyze_voice(DecodedAudio(x, RATE, 2.0, "wav"), said("hmm")).median_pitch_hz is None


def test_fast_enough():
    audio, text = voiced(140.0), said("I would like jollof rice in Lagos tonight")
    analyze_voice(audio, text)
    best = min(_timed(analyze_voice, audio, text) for _ in range(5))
    assert best < 0.020


def _timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def test_piper_speech_profile():
    wav = asyncio.run(PiperTTS(Settings()).synthesize(
        "I would like a vegetarian curry in London, near the station."))
    audio = decode_audio(wav, max_seconds=60, max_bytes=10_000_000)
    profile = analyze_voice(audio, said("I would like a vegetarian curry in London, near the station."))
    assert 70 < profile.median_pitch_hz < 160  # joe: a low male voice
    assert 120 < profile.words_per_minute < 260
    assert -35 < profile.loudness_dbfs < -10


def test_to_dict_is_json_ready_and_frozen():
    profile = analyze_voice(voiced(120.0), said("hello there friend", p=0.912345))
    d = profile.to_dict()
    assert set(d) == {"language", "language_probability", "words_per_minute", "median_pitch_hz",
                      "loudness_dbfs", "duration_s", "cultural_voice_preference"}
    assert d["language_probability"] == 0.912
    assert d["cultural_voice_preference"] == {"voice": PIPER_VOICE, "language": "en",
                                              "speaking_rate": 0.85}
    with pytest.raises(AttributeError):
        profile.language = "fr"  # type: ignore[misc]
    assert isinstance(profile, VoiceProfile)


def test_voice_preference():
    assert voice_preference("fr", 0.9, 150) == {"voice": "fr-fr", "language": "fr", "speaking_rate": 1.0}
    # unsure detection: answer in English
    assert voice_preference("fr", 0.3, 150)["language"] == "en"
    # a language no voice speaks: English
    assert voice_preference("xx", 0.99, None) == {"voice": PIPER_VOICE, "language": "en", "speaking_rate": 1.0}
    # Groq gives no probability: trust the language
    assert voice_preference("hi", None, 300)["speaking_rate"] == 1.15
