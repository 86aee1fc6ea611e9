"""Real models, no mocks: Piper speaks, decode_audio decodes, offline Whisper transcribes.

The Whisper model is loaded once for the module (~2 s) and each transcription costs ~1.3 s
of one core, so this module keeps to a handful of them.
"""

from __future__ import annotations

import asyncio
import io
import time

import av
import pytest

from speech.audio import decode_audio, is_valid_wav, sniff_format
from agents.providers.errors import ProviderError, ProviderUnavailable
from speech.stt import FallbackSTT, GroqWhisper, OfflineWhisper, Transcript, make_stt
from speech.tts import PiperTTS, make_tts
from core.settings import Settings

SENTENCE = "I would like a vegetarian curry in London"
LIMITS = dict(max_seconds=60.0, max_bytes=10 * 1024 * 1024)


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("data"), stt_threads=2)


@pytest.fixture(scope="module")
def tts(settings) -> PiperTTS:
    return PiperTTS(settings)


@pytest.fixture(scope="module")
def stt(settings) -> OfflineWhisper:
    model = OfflineWhisper(settings)
    asyncio.run(model.warm_up())
    return model


@pytest.fixture(scope="module")
def speech_wav(tts) -> bytes:
    return asyncio.run(tts.synthesize(SENTENCE))


def assert_heard(result: Transcript) -> None:
    text = result.text.lower()
    assert "vegetarian" in text and "london" in text, result.text
    assert result.language == "en" and result.language_probability > 0.5


def test_tts_returns_a_complete_wav(tts, speech_wav):
    assert sniff_format(speech_wav) == "wav" and is_valid_wav(speech_wav)
    assert tts.sample_rate == 22050


def test_round_trip_wav(stt, speech_wav):
    audio = decode_audio(speech_wav, **LIMITS)
    result = asyncio.run(stt.transcribe(audio))
    assert_heard(result)
    assert result.duration_s == pytest.approx(audio.duration_s)
    assert 0 < result.compute_s < 30


def test_round_trip_webm_opus(stt, speech_wav):
    """What a browser's MediaRecorder sends: WebM with Opus at 48 kHz."""
    out = io.BytesIO()
    with av.open(io.BytesIO(speech_wav)) as src, av.open(out, "w", format="webm") as dst:
        stream = dst.add_stream("libopus", rate=48000)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for frame in list(src.decode(audio=0)) + [None]:
            for chunk in resampler.resample(frame):
                dst.mux(stream.encode(chunk))
        dst.mux(stream.encode(None))
    assert_heard(asyncio.run(stt.transcribe(decode_audio(out.getvalue(), **LIMITS))))


def test_transcription_does_not_block_the_event_loop(stt, speech_wav):
    audio = decode_audio(speech_wav, **LIMITS)

    async def scenario() -> tuple[Transcript, int]:
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        result = await stt.transcribe(audio)
        task.cancel()
        return result, ticks

    started = time.perf_counter()
    result, ticks = asyncio.run(scenario())
    elapsed = time.perf_counter() - started
    assert_heard(result)
    # A blocked loop would tick ~0 times; allow for a busy shared machine.
    assert ticks > elapsed / 0.01 * 0.3


def test_tts_blank_text_is_refused(tts):
    with pytest.raises(ValueError):
        asyncio.run(tts.synthesize("   "))


def test_factories_pick_the_provider(settings):
    assert isinstance(make_stt(settings), OfflineWhisper)
    groq = make_stt(settings.with_(groq_api_key="gsk_test"))
    assert isinstance(groq, FallbackSTT) and isinstance(groq.primary, GroqWhisper)
    assert isinstance(make_tts(settings), PiperTTS)


def test_groq_down_falls_back_to_the_offline_model(settings, stt, speech_wav):
    """Groq answering 500 to every attempt: the real offline model answers instead."""
    from tests.groq_fake_server import FakeGroq
    from tests.test_speech_groq import Overlay

    fake = FakeGroq(script=["500"] * 3).start()
    try:
        groq = GroqWhisper(Overlay(settings, groq_api_key="gsk_test", groq_base_url=fake.base_url,
                                   groq_max_backoff_s=0.05))
        both = FallbackSTT(groq, stt)

        async def scenario():
            try:
                return await both.transcribe(decode_audio(speech_wav, **LIMITS))
            finally:
                await groq.aclose()

        assert_heard(asyncio.run(scenario()))
        assert len(fake.requests) == 3 and both.fallbacks == 1
    finally:
        fake.stop()


def test_groq_unreachable_is_provider_unavailable(settings, speech_wav, monkeypatch):
    """Real SDK against a closed local port: retries, then a ProviderUnavailable."""
    monkeypatch.setenv("GROQ_BASE_URL", "http://127.0.0.1:9")
    groq = GroqWhisper(settings.with_(groq_api_key="gsk_test"))
    with pytest.raises(ProviderUnavailable) as err:
        asyncio.run(groq.transcribe(decode_audio(speech_wav, **LIMITS)))
    assert isinstance(err.value, ProviderError)
