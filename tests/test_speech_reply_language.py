"""Replies are spoken in the language they are written in (agents.culture's ``reply_language``).

Real engines, no mocks: piper speaks English, espeak-ng's ``fr-fr`` speaks French (no French
piper voice ships as a pinned package), offline Whisper base (multilingual) listens.  The
respond stage is run with a plain event in hand, on the agents' own graph (``ctx``: FalkorDB and Neo4j).
"""

from __future__ import annotations

import asyncio
import io
import logging
import shutil
import time
import wave

import pytest

from speech import tts as tts_module
from speech.audio import decode_audio, is_valid_wav
from speech.tts import ESPEAK_VOICES, EspeakTTS, PiperTTS, make_tts
from speech.voice_profile import PIPER_VOICE, voice_preference
from core.settings import Settings
from schemas.events import RequestRouted
from streams.deps import StageDeps
from streams.stages import respond
from tests.test_speech_groq import Overlay
# The module's real engines, loaded once: Settings, PiperTTS (as piper) and OfflineWhisper base.
from tests.test_speech_roundtrip import settings, stt as whisper, tts as piper  # noqa: F401

# The French sentence Whisper base recognised as French most surely in espeak-ng's voice
# (p ~0.87; across eight reply-like sentences it detects French in about half).
FRENCH = "Bonjour, je voudrais réserver une table pour quatre personnes ce soir à Paris."
LIMITS = dict(max_seconds=60, max_bytes=10_000_000)
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="apt-get install espeak-ng")


def hear(whisper, wav: bytes):
    return asyncio.run(whisper.transcribe(decode_audio(wav, **LIMITS)))


# --------------------------------------------------------------------------- the voice table

def test_english_is_the_engines_own_voice(piper):
    assert piper.for_language(None) is piper and piper.for_language("en") is piper
    assert piper.for_language("en-GB") is piper
    assert piper.voice_for("en") == {"voice": "en_US-joe-medium", "language": "en"}


@needs_espeak
def test_the_voice_table_agrees_with_the_voice_profile(piper):
    """What the profile asks for (cultural_voice_preference) is the voice that speaks."""
    assert piper.voice_name == PIPER_VOICE
    for lang in ("en", *ESPEAK_VOICES):
        wanted = voice_preference(lang, 0.9, 150)
        assert piper.voice_for(lang) == {k: wanted[k] for k in ("voice", "language")}, lang
    french = piper.for_language("fr")
    assert isinstance(french, EspeakTTS) and french.voice == "fr-fr"
    assert piper.for_language("fr") is french  # made once


@needs_espeak
def test_every_engine_hands_french_to_the_french_voice(settings):
    for engine in ("piper", "hibari", "espeak-ng"):
        tts = make_tts(Overlay(settings, tts_engine=engine))
        assert tts.voice_for("fr") == {"voice": "fr-fr", "language": "fr"}, engine
    espeak = make_tts(Overlay(settings, tts_engine="espeak-ng"))
    assert espeak.for_language("en") is espeak and espeak.voice_for("en")["voice"] == "en-us"
    # espeak-ng set to French by default: None is still its own voice, English gets en-us.
    french_default = make_tts(Overlay(settings, tts_engine="espeak-ng", espeak_voice="fr-fr"))
    assert french_default.for_language(None) is french_default
    assert french_default.voice_for("en") == {"voice": "en-us", "language": "en"}


def test_a_language_without_a_voice_is_spoken_by_the_engine(piper, caplog):
    with caplog.at_level(logging.WARNING, logger=tts_module.__name__):
        assert piper.for_language("yo") is piper
    assert "no voice for language 'yo'" in caplog.text


def test_without_espeak_french_falls_back_to_the_engine_and_says_why(settings, monkeypatch, caplog):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    tts = PiperTTS(settings)
    with caplog.at_level(logging.WARNING, logger=tts_module.__name__):
        assert tts.for_language("fr") is tts
    assert "apt-get install espeak-ng" in caplog.text
    assert tts.voice_for("fr") == {"voice": PIPER_VOICE, "language": "en"}


# --------------------------------------------------------------------------- real speech

@needs_espeak
def test_a_french_sentence_is_heard_as_french(piper, whisper):
    started = time.perf_counter()
    wav = asyncio.run(piper.synthesize(FRENCH, language="fr"))
    elapsed = time.perf_counter() - started
    assert is_valid_wav(wav)
    assert 2.0 < decode_audio(wav, **LIMITS).duration_s < 10.0
    assert elapsed < 2.0  # espeak-ng: ~30 ms here
    heard = hear(whisper, wav)
    assert heard.language == "fr" and heard.language_probability > 0.5, heard
    assert "paris" in heard.text.lower(), heard.text
    # The same text read by the English voice (what replies got before): not heard as French.
    english = hear(whisper, asyncio.run(piper.synthesize(FRENCH)))
    assert english.language != "fr", english


@needs_espeak
def test_speed_applies_to_the_french_voice(piper):
    normal = decode_audio(asyncio.run(piper.synthesize(FRENCH, language="fr")), **LIMITS).duration_s
    fast = decode_audio(asyncio.run(piper.synthesize(FRENCH, 1.15, "fr")), **LIMITS).duration_s
    assert fast < normal * 0.95


# --------------------------------------------------------------------------- respond stage

class MemoryStore:
    """The stage's store, in memory: write / presign_get / bucket."""

    bucket = "audio"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def write(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = data

    def presign_get(self, key: str, expires_s: int) -> str:
        return f"http://s3.test/{self.bucket}/{key}?X-Amz-Expires={expires_s}"


FRENCH_PROFILE = {"language": "fr", "language_probability": 0.93,
                  "cultural_voice_preference": {"voice": "fr-fr", "language": "fr", "speaking_rate": 1.1}}
ENGLISH_PROFILE = {"language": "en", "language_probability": 0.99,
                   "cultural_voice_preference": {"voice": PIPER_VOICE, "language": "en", "speaking_rate": 0.9}}
YORUBA_PROFILE = {"language": "yo", "language_probability": 0.8,
                  "cultural_voice_preference": {"voice": "yo", "language": "yo", "speaking_rate": 1.0}}


def _respond(run, ctx, piper, user, text, profile, agent="profile"):
    deps = StageDeps(settings=Settings(), store=MemoryStore(), stt=None, tts=piper, agents=ctx)
    event = RequestRouted(session_id=f"{user}-s", user_id=user, text=text, agent=agent,
                          confidence=0.9, voice_profile=profile)
    out = run(respond.process(event, deps))
    return out, deps.store.objects[out.reply_key]


@needs_espeak
def test_respond_speaks_a_french_reply_with_the_french_voice(run, ctx, piper):
    out, wav = _respond(run, ctx, piper, "resp-fr", "my name is Marie, I live in Paris, no allergies",
                        FRENCH_PROFILE)
    assert "Marie" in out.reply_text and "ville Paris" in out.reply_text  # French text
    assert out.cultural_context["reply_language"] == "fr"
    # Spoken and asked-for agree: the reply voice is the profile's preference.
    assert out.cultural_context["reply_voice"] == FRENCH_PROFILE["cultural_voice_preference"]
    # The stored audio is the French voice's, at the user's pace (espeak-ng is deterministic).
    assert wav == asyncio.run(EspeakTTS(voice="fr-fr").synthesize(out.reply_text, 1.1))


@needs_espeak
def test_respond_follows_the_written_language_not_the_spoken_one(run, ctx, piper):
    # English speaker who asks for French: the reply is French, so the voice is too.
    say = "my name is Ben, I live in London, no allergies"
    _respond(run, ctx, piper, "resp-ask", say, ENGLISH_PROFILE)
    out, wav = _respond(run, ctx, piper, "resp-ask", "please reply in French from now on", ENGLISH_PROFILE)
    assert out.cultural_context["reply_language"] == "fr"
    assert out.cultural_context["reply_voice"] == {"voice": "fr-fr", "language": "fr", "speaking_rate": 0.9}
    assert wav == asyncio.run(EspeakTTS(voice="fr-fr").synthesize(out.reply_text, 0.9))
    # Yoruba speaker: the text is English (no Yoruba templates), so the English voice speaks it.
    out, wav = _respond(run, ctx, piper, "resp-yo", "my name is Bola, I live in Lagos, no allergies",
                        YORUBA_PROFILE)
    assert out.cultural_context["reply_language"] == "en"
    assert out.cultural_context["reply_voice"] == {"voice": PIPER_VOICE, "language": "en", "speaking_rate": 1.0}
    assert is_valid_wav(wav) and wave.open(io.BytesIO(wav)).getframerate() == piper.sample_rate  # piper's


def test_respond_english_reply_keeps_the_profile_voice(run, ctx, piper):
    out, wav = _respond(run, ctx, piper, "resp-en", "my name is Ann, I live in London, no allergies",
                        ENGLISH_PROFILE)
    assert out.cultural_context["reply_language"] == "en"
    assert out.cultural_context["reply_voice"] == ENGLISH_PROFILE["cultural_voice_preference"]
    assert is_valid_wav(wav)
