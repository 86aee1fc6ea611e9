"""GroqWhisper with the real groq SDK against a local server that answers like Groq.

What the SDK puts on the wire is checked (path, Authorization, multipart fields, file),
then every failure the API has: 429 with retry-after, 5xx, a slow answer past the timeout,
malformed JSON, a rejected key, and the fallback to the offline model.
"""

from __future__ import annotations

import asyncio
import io
import time
import wave

import numpy as np
import pytest

from speech.audio import DecodedAudio
from agents.providers.errors import AudioError, ProviderError, ProviderUnavailable
from speech.stt import (
    DOMAIN_HOTWORDS,
    DOMAIN_PROMPT,
    FallbackSTT,
    GroqWhisper,
    OfflineWhisper,
    SpeechToText,
    Transcript,
    make_stt,
)
from core.settings import Settings
from tests.groq_fake_server import PATH, FakeGroq


class Overlay:
    """Settings plus fields Settings does not have yet (read with getattr by the providers)."""

    def __init__(self, base: Settings, **extra) -> None:
        self._base, self._extra = base, extra

    def __getattr__(self, name):
        if name in self._extra:
            return self._extra[name]
        return getattr(self._base, name)


@pytest.fixture
def fake():
    server = FakeGroq().start()
    yield server
    server.stop()


@pytest.fixture
def audio() -> DecodedAudio:
    rng = np.random.default_rng(0)
    samples = (0.1 * rng.standard_normal(24_000)).astype(np.float32)
    return DecodedAudio(samples, 16_000, 1.5, "wav")


def groq_settings(fake: FakeGroq, tmp_path, **extra) -> Overlay:
    base = Settings(data_dir=tmp_path, groq_api_key="gsk_test_key")
    values = dict(groq_base_url=fake.base_url, groq_timeout_s=2.0, groq_max_retries=2,
                  groq_max_backoff_s=1.0)
    values.update(extra)
    return Overlay(base, **values)


def transcribe(stt: SpeechToText, audio: DecodedAudio, times: int = 1):
    """``times`` transcriptions in one event loop, then the SDK's client closed in it."""

    async def scenario():
        try:
            return [await stt.transcribe(audio) for _ in range(times)]
        finally:
            await stt.aclose()

    results = asyncio.run(scenario())
    return results[0] if times == 1 else results


def run(coro):
    return asyncio.run(coro)


def test_request_the_sdk_sends(fake, audio, tmp_path):
    result = transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    assert result == Transcript("I would like jollof rice in Lagos.", "en", None,
                                audio.duration_s, result.compute_s,
                                avg_logprob=-0.2, compression_ratio=0.9, no_speech_prob=0.01)
    [req] = fake.requests
    assert req.path == PATH
    assert req.headers["authorization"] == "Bearer gsk_test_key"
    assert req.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert req.fields == {"model": "whisper-large-v3-turbo", "response_format": "verbose_json",
                          "temperature": "0.0", "prompt": f"{DOMAIN_HOTWORDS}. {DOMAIN_PROMPT}"}
    assert (req.file_name, req.file_type) == ("audio.wav", "audio/wav")
    with wave.open(io.BytesIO(req.file_bytes)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
        assert wav.getnframes() == audio.samples.size


def test_prompt_can_be_turned_off(fake, audio, tmp_path):
    transcribe(GroqWhisper(groq_settings(fake, tmp_path, stt_prompt="none")), audio)
    assert "prompt" not in fake.requests[0].fields


def test_other_languages_are_decoded_again_without_the_english_prompt(fake, audio, tmp_path):
    """As offline: the prompt's dish names must not shape Hindi; Groq names the language only in
    its answer, so that speech is asked for again, in its language, without the prompt."""
    fake.text, fake.language = "मुझे बिरयानी चाहिए", "Hindi"
    result = transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    first, second = fake.requests
    assert "prompt" in first.fields and "language" not in first.fields
    assert "prompt" not in second.fields and second.fields["language"] == "hi"
    assert (result.text, result.language, result.forced) == ("मुझे बिरयानी चाहिए", "hi", False)


def test_an_imposed_language_is_sent_and_prompted_only_if_english(fake, audio, tmp_path):
    stt = GroqWhisper(groq_settings(fake, tmp_path))

    async def scenario():  # one loop for the SDK's client
        try:
            return await stt.transcribe(audio, language="fr"), await stt.transcribe(audio, language="en")
        finally:
            await stt.aclose()

    french, _ = run(scenario())
    fr_req, en_req = fake.requests
    assert fr_req.fields["language"] == "fr" and "prompt" not in fr_req.fields
    assert en_req.fields["language"] == "en" and "prompt" in en_req.fields
    assert (french.language, french.forced) == ("fr", True)


def test_429_obeys_retry_after_then_succeeds(fake, audio, tmp_path):
    fake.script = [("429", 0.4)]
    result = transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    assert result.text.startswith("I would like")
    first, second = fake.requests
    assert 0.35 <= second.at - first.at < 1.5


def test_429_with_long_retry_after_gives_up_at_once(fake, audio, tmp_path):
    fake.script = [("429", 30)]
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="HTTP 429"):
        transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    assert len(fake.requests) == 1 and time.monotonic() - started < 2


def test_5xx_is_retried_with_backoff_and_bounded(fake, audio, tmp_path):
    fake.script = ["500", "500", "500", "ok"]
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match=r"after 3 attempt\(s\): HTTP 500"):
        transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    assert len(fake.requests) == 3  # 1 + groq_max_retries, the 4th answer never asked for
    gaps = [b.at - a.at for a, b in zip(fake.requests, fake.requests[1:])]
    assert 0.3 <= gaps[0] and gaps[0] < gaps[1] + 0.2  # 0.5 s then 1 s (jitter -25 %)
    assert time.monotonic() - started < 5


def test_5xx_then_success(fake, audio, tmp_path):
    fake.script = ["500"]
    assert transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio).text
    assert len(fake.requests) == 2


def test_slow_answer_times_out(fake, audio, tmp_path):
    fake.script = [("slow", 3.0)]
    settings = groq_settings(fake, tmp_path, groq_timeout_s=0.5, groq_max_retries=0)
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="APITimeoutError"):
        transcribe(GroqWhisper(settings), audio)
    assert time.monotonic() - started < 2.0


def test_malformed_json_is_provider_unavailable(fake, audio, tmp_path):
    fake.script = ["malformed"]
    with pytest.raises(ProviderUnavailable):
        transcribe(GroqWhisper(groq_settings(fake, tmp_path, groq_max_retries=0)), audio)


def test_rejected_key_is_not_retried(fake, audio, tmp_path):
    fake.script = ["401"]
    with pytest.raises(ProviderError, match="GROQ_API_KEY") as err:
        transcribe(GroqWhisper(groq_settings(fake, tmp_path)), audio)
    assert not isinstance(err.value, ProviderUnavailable)
    assert len(fake.requests) == 1


class Recording(SpeechToText):
    def __init__(self) -> None:
        self.calls = 0

    async def _transcribe(self, audio):
        self.calls += 1
        return Transcript("offline words", "en", 0.99, audio.duration_s, 0.0)


def test_make_stt_wires_the_offline_fallback(fake, tmp_path):
    stt = make_stt(groq_settings(fake, tmp_path))
    assert isinstance(stt, FallbackSTT)
    assert isinstance(stt.primary, GroqWhisper) and isinstance(stt.fallback, OfflineWhisper)
    assert isinstance(make_stt(groq_settings(fake, tmp_path, stt_fallback="none")), GroqWhisper)
    assert isinstance(make_stt(Settings(data_dir=tmp_path)), OfflineWhisper)


def test_fallback_answers_when_groq_fails(fake, audio, tmp_path):
    fake.script = ["500", "500", "500"]
    stt = make_stt(groq_settings(fake, tmp_path, groq_max_backoff_s=0.05))
    stt.fallback = Recording()
    first, second = transcribe(stt, audio, times=2)
    assert first.text == "offline words" and stt.fallbacks == 1
    # Groq healthy again: the next request goes to Groq.
    assert second.text.startswith("I would like")
    assert stt.fallback.calls == 1


def test_fallback_not_used_for_audio_errors(audio):
    class Silent(SpeechToText):
        async def _transcribe(self, audio):
            raise AudioError("no speech detected")

    stt = FallbackSTT(Silent(), Recording())
    with pytest.raises(AudioError):
        run(stt.transcribe(audio))
    assert stt.fallback.calls == 0
