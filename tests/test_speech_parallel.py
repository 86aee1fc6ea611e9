"""Speech work side by side (issue 18), on real piper speech and the real Whisper model:
two inferences at once (``stt_parallel``) hear what one at a time hears, each its own language;
the voice profile and voiceprint measured beside the speech-to-text are those measured after it."""

from __future__ import annotations

import asyncio

import pytest

from core.settings import Settings
from speech.audio import decode_audio
from speech.stt import OfflineWhisper, Transcript
from speech.tts import PiperTTS
from speech.voice_profile import analyze_voice, measure_voice, profile_voice
from speech.voiceprint import voiceprint
from streams.deps import StageDeps
from streams.stages import transcribe

# Loads Whisper twice and piper: the model tier, not `make check`'s.
pytestmark = pytest.mark.stack

SENTENCES = ("I would like a vegetarian curry in London.",
             "Where should I stay in Paris next month?")
LIMITS = dict(max_seconds=60.0, max_bytes=10 * 1024 * 1024)


@pytest.fixture(scope="module")
def wavs() -> list[bytes]:
    tts = PiperTTS(Settings())
    return [tts.synthesize_blocking(s) for s in SENTENCES]


@pytest.fixture(scope="module")
def stt() -> OfflineWhisper:
    model = OfflineWhisper(Settings(stt_threads=2, stt_parallel=2))
    asyncio.run(model.warm_up())
    return model


def test_two_inferences_at_once_hear_what_one_at_a_time_hears(stt, wavs):
    audio = [decode_audio(w, **LIMITS) for w in wavs]
    alone = [stt.transcribe_blocking(a) for a in audio]

    async def together():
        return await asyncio.gather(*(stt.transcribe(a) for a in audio))
    both = asyncio.run(together())
    assert stt.parallel == 2
    for one, other in zip(alone, both):
        assert other.text == one.text
        # the language probe's detections are per request, not mixed between the two threads
        assert other.language == one.language == "en"
        assert [c for c, _ in other.candidates] == [c for c, _ in one.candidates]
        assert [p for _, p in other.candidates] == pytest.approx([p for _, p in one.candidates], abs=1e-3)
    assert "vegetarian" in both[0].text.lower() and "paris" in both[1].text.lower()


class Store:
    """The bucket, holding one upload."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def read(self, bucket: str, key: str, max_bytes: int) -> bytes:
        return self.data


def test_the_profile_measured_beside_the_stt_is_the_one_measured_after_it(stt, wavs):
    settings = Settings()
    deps = StageDeps(settings=settings, store=Store(wavs[0]), stt=stt, tts=None, agents=None)
    heard = asyncio.run(transcribe._transcribe(wavs[0], "usr-1", deps))
    audio = decode_audio(wavs[0], **LIMITS)
    transcript = Transcript(heard["text"], heard["language"], heard["language_probability"],
                            audio.duration_s, 0.0)
    expected = analyze_voice(audio, transcript).to_dict()
    voice = heard["voice_profile"]
    for key in ("words_per_minute", "median_pitch_hz", "loudness_dbfs", "duration_s", "language"):
        assert voice[key] == pytest.approx(expected[key]), key
    assert 70 < voice["median_pitch_hz"] < 160  # joe: a low male voice
    assert voice["voiceprint"] == voiceprint(audio)
    assert voice["cultural_voice_preference"] == expected["cultural_voice_preference"]


def test_measure_then_profile_is_analyze(wavs):
    audio = decode_audio(wavs[1], **LIMITS)
    transcript = Transcript(SENTENCES[1], "en", 0.98, audio.duration_s, 0.0)
    assert profile_voice(measure_voice(audio), transcript) == analyze_voice(audio, transcript)
    signal = measure_voice(audio)
    assert 0 < signal.speech_span_s <= audio.duration_s
