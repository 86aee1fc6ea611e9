"""The lighter TTS engines (hibari, espeak-ng) and make_tts's choice; each skips when absent."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from speech.audio import decode_audio, is_valid_wav
from agents.providers.errors import MissingDependency, ProviderError
from speech.tts import EspeakTTS, HibariTTS, PiperTTS, make_tts
from core.settings import Settings
from tests.test_speech_groq import Overlay

TEXT = "Your jollof rice is on its way."
LIMITS = dict(max_seconds=60, max_bytes=10_000_000)


def speak(tts, text=TEXT, speed=1.0) -> bytes:
    return asyncio.run(tts.synthesize(text, speed=speed))


def test_make_tts_by_name(tmp_path):
    base = Settings(data_dir=tmp_path)
    assert isinstance(make_tts(base), PiperTTS)
    assert isinstance(make_tts(Overlay(base, tts_engine="hibari")), HibariTTS)
    assert isinstance(make_tts(Overlay(base, tts_engine="espeak-ng")), EspeakTTS)
    with pytest.raises(ProviderError, match="unknown tts_engine 'festival'"):
        make_tts(Overlay(base, tts_engine="festival"))


def test_piper_speed_changes_the_length(tmp_path):
    tts = PiperTTS(Settings(data_dir=tmp_path))
    normal = decode_audio(speak(tts), **LIMITS).duration_s
    fast = decode_audio(speak(tts, speed=1.4), **LIMITS).duration_s
    assert fast < normal * 0.85


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="apt-get install espeak-ng")
def test_espeak_returns_a_complete_wav(tmp_path):
    wav = speak(EspeakTTS(Settings(data_dir=tmp_path)))
    assert is_valid_wav(wav)  # espeak's pipe placeholder sizes replaced by real ones
    assert 1.0 < decode_audio(wav, **LIMITS).duration_s < 5.0


def test_espeak_missing_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(MissingDependency, match="apt-get install espeak-ng"):
        asyncio.run(EspeakTTS(Settings(data_dir=tmp_path)).warm_up())


def test_hibari(tmp_path):
    tts = HibariTTS(Settings(data_dir=tmp_path))
    try:
        import hibari  # noqa: F401
    except ImportError:
        with pytest.raises(MissingDependency, match=r"pip install hibari-tts==0\.2\.1"):
            asyncio.run(tts.warm_up())
        return
    wav = speak(tts)
    assert is_valid_wav(wav) and 1.0 < decode_audio(wav, **LIMITS).duration_s < 5.0
