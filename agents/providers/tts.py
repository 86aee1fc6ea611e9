"""Text-to-speech providers: text in, a complete WAV file out.

``TextToSpeech`` is the interface (one abstract private method, ``_synthesize``);
``PiperTTS`` is the offline implementation with the pinned ``en_US-joe-medium`` voice.
``make_tts(settings)`` picks the provider (only Piper today: Groq offers no TTS we use).
"""

from __future__ import annotations

import abc
import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from aurasense.settings import Settings

from .audio import wav_bytes
from .errors import MissingDependency, ProviderError
from .model_files import piper_voice_files

_LOGGER = logging.getLogger(__name__)


class TextToSpeech(abc.ABC):
    """Turns text into speech.  Subclasses implement ``_synthesize`` only."""

    async def synthesize(self, text: str) -> bytes:
        """Speak ``text``; return a complete WAV file (16-bit PCM mono).

        Raises ``ValueError`` for blank text, ``ProviderError`` when nothing could be spoken.
        """
        if not text or not text.strip():
            raise ValueError("nothing to synthesize: text is blank")
        started = time.perf_counter()
        wav = await self._synthesize(text.strip())
        _LOGGER.debug("tts %d chars in %.3f s", len(text), time.perf_counter() - started)
        return wav

    async def warm_up(self) -> None:
        """Load whatever the provider needs, so the first request is not slow."""

    @abc.abstractmethod
    async def _synthesize(self, text: str) -> bytes:
        """Return WAV bytes for non-blank, stripped ``text``."""


class PiperTTS(TextToSpeech):
    """Offline Piper voice, loaded once; synthesis runs on one dedicated thread.

    One thread, not the default pool: ONNX Runtime already uses every core per call, so
    parallel syntheses would only fight each other (and the STT) for the 2 cores.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._voice = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="piper-tts")

    @property
    def sample_rate(self) -> int:
        """Output rate of the loaded voice (22 050 Hz for joe-medium)."""
        return self._load().config.sample_rate

    async def warm_up(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load)

    async def _synthesize(self, text: str) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._synthesize_sync, text)

    def _load(self):
        with self._lock:
            if self._voice is None:
                self._voice = _load_piper_voice()
            return self._voice

    def _synthesize_sync(self, text: str) -> bytes:
        voice = self._load()
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(text)]
        if not chunks:  # e.g. only punctuation: piper yields no sentence at all
            raise ProviderError(f"text produced no speech: {text[:40]!r}")
        return wav_bytes(np.concatenate(chunks), voice.config.sample_rate)


def _load_piper_voice():
    try:
        from piper import PiperVoice
    except ImportError as exc:
        raise MissingDependency("offline TTS needs piper: pip install piper-tts==1.8.0") from exc
    model, config = piper_voice_files()
    started = time.perf_counter()
    voice = PiperVoice.load(model, config_path=config)
    _LOGGER.info("piper voice loaded in %.2f s", time.perf_counter() - started)
    return voice


def make_tts(settings: Settings) -> TextToSpeech:
    """The text-to-speech provider for ``settings`` (Piper, offline)."""
    return PiperTTS(settings)
