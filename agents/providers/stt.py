"""Speech-to-text providers: decoded audio in, a ``Transcript`` out.

``SpeechToText`` is the interface (one abstract private method, ``_transcribe``).
Siblings: ``OfflineWhisper`` (faster-whisper, pinned weights, CPU) and ``GroqWhisper``
(``whisper-large-v3-turbo`` over the Groq API).  ``make_stt(settings)`` picks Groq when an
API key is set, else the offline model.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Optional

from aurasense.settings import Settings

from .audio import DecodedAudio, wav_bytes
from .errors import AudioError, MissingDependency, ProviderError, ProviderUnavailable
from .model_files import whisper_model_dir

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transcript:
    """What was said.  ``language`` is an ISO 639-1 code ("en") when known."""

    text: str
    language: str
    language_probability: Optional[float]  # None when the provider does not report it
    duration_s: float  # audio length
    compute_s: float  # wall time spent transcribing


class SpeechToText(abc.ABC):
    """Turns speech into text.  Subclasses implement ``_transcribe`` only."""

    async def transcribe(self, audio: DecodedAudio) -> Transcript:
        """Transcribe ``audio`` (16 kHz mono float32, see ``decode_audio``).

        Raises ``AudioError("no speech detected")`` when nothing intelligible was said,
        ``ProviderError`` (or a subclass) when the provider itself failed.
        """
        started = time.perf_counter()
        result = await self._transcribe(audio)
        result = replace(result, text=" ".join(result.text.split()),
                         compute_s=time.perf_counter() - started)
        if not any(ch.isalnum() for ch in result.text):
            raise AudioError("no speech detected")
        _LOGGER.debug("stt %.1f s audio in %.2f s", audio.duration_s, result.compute_s)
        return result

    async def warm_up(self) -> None:
        """Load whatever the provider needs, so the first request is not slow."""

    @abc.abstractmethod
    async def _transcribe(self, audio: DecodedAudio) -> Transcript:
        """Return the raw transcript (``compute_s`` is filled in by the caller)."""


# --------------------------------------------------------------------------- offline

class OfflineWhisper(SpeechToText):
    """faster-whisper on the CPU with the pinned weights (``settings.stt_model``).

    The model is loaded once (``warm_up`` or first request).  All CPU work runs on one
    dedicated thread: CTranslate2 already spreads a call over ``stt_threads`` cores, so
    running two transcriptions at once would only make both slower; requests queue instead
    and the event loop stays free.
    """

    # beam 5 is Whisper's reference setting.  VAD is off: on four 2-4 s utterances it
    # changed no word and added 0.03-0.09 s each (measured, base int8, 2 threads), and
    # decode_audio already refuses silent input before the model sees it.
    BEAM_SIZE = 5
    VAD_FILTER = False

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._model = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")

    async def warm_up(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load)

    async def _transcribe(self, audio: DecodedAudio) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._transcribe_sync, audio)

    def _load(self):
        with self._lock:
            if self._model is None:
                self._model = _load_whisper(self._settings)
            return self._model

    def _transcribe_sync(self, audio: DecodedAudio) -> Transcript:
        model = self._load()
        probe = model.model if isinstance(model.model, _LanguageProbe) else None
        kwargs = {"language": "en", "multilingual": True} if probe else {}
        if probe:
            probe.seen.clear()
        segments, info = model.transcribe(
            audio.samples, beam_size=self.BEAM_SIZE, vad_filter=self.VAD_FILTER,
            condition_on_previous_text=False,  # avoids repetition loops on noisy input
            **kwargs,
        )
        text = " ".join(segment.text.strip() for segment in segments)  # runs the decoder
        language, probability = info.language, info.language_probability
        if probe and probe.seen:
            language, probability = probe.seen[0]
        return Transcript(text, language, probability, audio.duration_s, 0.0)


class _LanguageProbe:
    """Wraps the CTranslate2 model to record what ``detect_language`` found.

    Why: with ``language=None`` faster-whisper 1.2.1 runs the encoder twice on the first
    30 s (once to detect the language, once to transcribe), ~45 % of the time for a short
    utterance.  With ``multilingual=True`` it detects the language per segment from the
    encoder output it already has, but reports only the language passed in; this probe
    recovers the detected one.  Enabled only for the pinned version (see ``_load_whisper``).
    """

    def __init__(self, inner) -> None:
        self._inner = inner
        self.seen: list[tuple[str, float]] = []

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def detect_language(self, *args, **kwargs):
        results = self._inner.detect_language(*args, **kwargs)
        token, probability = results[0][0]
        self.seen.append((token[2:-2], probability))  # "<|en|>" -> "en"
        return results


def _load_whisper(settings: Settings):
    try:
        import faster_whisper
    except ImportError as exc:
        raise MissingDependency(
            "offline STT needs faster-whisper: pip install faster-whisper==1.2.1"
        ) from exc
    path = whisper_model_dir(settings.stt_model, settings.data_dir)
    started = time.perf_counter()
    model = faster_whisper.WhisperModel(
        str(path), device="cpu", compute_type="int8",
        cpu_threads=settings.stt_threads, local_files_only=True)
    if faster_whisper.__version__ == "1.2.1" and model.model.is_multilingual:
        model.model = _LanguageProbe(model.model)
    _LOGGER.info("whisper %s loaded in %.2f s", settings.stt_model, time.perf_counter() - started)
    return model


# --------------------------------------------------------------------------- Groq

class GroqWhisper(SpeechToText):
    """``whisper-large-v3-turbo`` via the Groq API.

    The SDK retries connection errors, 408/409/429 and 5xx with exponential backoff
    (``MAX_RETRIES`` times); each attempt is bounded by ``TIMEOUT_S``.
    """

    MODEL = "whisper-large-v3-turbo"
    TIMEOUT_S = 20.0
    MAX_RETRIES = 2

    def __init__(self, settings: Settings) -> None:
        groq = _import_groq()
        self._groq = groq
        self._client = groq.AsyncGroq(api_key=settings.groq_api_key,
                                      timeout=self.TIMEOUT_S, max_retries=self.MAX_RETRIES)

    async def _transcribe(self, audio: DecodedAudio) -> Transcript:
        # Re-encoded as 16 kHz 16-bit WAV: 1.9 MB per minute, far under Groq's 25 MB cap,
        # and the upload is the same whatever the user sent.
        upload = ("audio.wav", wav_bytes(audio.samples, audio.sample_rate), "audio/wav")
        try:
            result = await self._client.audio.transcriptions.create(
                model=self.MODEL, file=upload, response_format="verbose_json")
        except self._groq.APIError as exc:
            raise _groq_error(self._groq, exc) from exc
        language = _language_code(getattr(result, "language", None) or "")
        return Transcript(result.text or "", language, None, audio.duration_s, 0.0)


def _import_groq():
    try:
        import groq
    except ImportError as exc:
        raise MissingDependency("Groq STT needs the groq SDK: pip install groq==1.7.0") from exc
    return groq


def _groq_error(groq, exc: Exception) -> ProviderError:
    if isinstance(exc, groq.AuthenticationError):
        return ProviderError("Groq rejected the API key (GROQ_API_KEY)")
    if isinstance(exc, groq.BadRequestError):
        return ProviderError(f"Groq refused the transcription request: {exc}")
    return ProviderUnavailable(f"Groq transcription failed after retries: {exc}")


# verbose_json names the language ("English"); the offline model gives codes ("en").
_LANGUAGE_CODES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "hindi": "hi", "urdu": "ur", "arabic": "ar",
    "chinese": "zh", "japanese": "ja", "korean": "ko", "russian": "ru", "turkish": "tr",
    "polish": "pl", "bengali": "bn", "punjabi": "pa", "tamil": "ta", "thai": "th",
    "vietnamese": "vi", "indonesian": "id", "persian": "fa", "greek": "el", "hebrew": "he",
}


def _language_code(name: str) -> str:
    name = name.strip().lower()
    return _LANGUAGE_CODES.get(name, name)


def make_stt(settings: Settings) -> SpeechToText:
    """Groq when ``settings.groq_api_key`` is set, else offline Whisper."""
    if settings.groq_api_key:
        return GroqWhisper(settings)
    return OfflineWhisper(settings)
