"""Text-to-speech providers: text in, a complete WAV file out.

``TextToSpeech`` is the interface (one abstract private method, ``_synthesize``).
Engines, chosen by ``settings.tts_engine``:

* ``"piper"`` (default): ``PiperTTS``, the pinned ``en_US-joe-medium`` voice (sha256-checked),
  22.05 kHz, ~0.15 s per sentence.
* ``"hibari"``: ``HibariTTS``, a lighter engine (voice inside its wheel, 24 kHz, ~0.03 s per
  sentence); needs ``pip install hibari-tts==0.2.1``.
* ``"espeak-ng"``: ``EspeakTTS``, the Debian ``espeak-ng`` program (robotic but tiny, and the
  only one that speaks languages other than English).

``synthesize(text, speed=1.0, language=None)``: ``speed`` is the voice profile's
``speaking_rate``; ``language`` the language the text is written in (the reply's
``reply_language``).  ``None`` and English are spoken by the configured engine, exactly as
before; another language by the voice ``ESPEAK_VOICES`` names for it, the one table of
non-English voices.  ``voice_for(language)`` names the voice that will speak it.

No non-English piper voice ships as a pinned PyPI package (searched: the French ones on PyPI,
e.g. paradis-tts, lectura-*, piper-plus, download their weights at run time), so French is
espeak-ng's ``fr-fr``: ~30 ms per sentence; offline Whisper base detects French in about half
of such sentences (the English piper voice reading the same French text: none).
When espeak-ng is missing, the reply is spoken by the configured engine, with a warning.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from core.settings import Settings

from .audio import decode_audio, wav_bytes
from agents.providers.errors import AudioError, MissingDependency, ProviderError
from .model_files import PIPER_JOE_MODEL, piper_voice_files

_LOGGER = logging.getLogger(__name__)

ENGLISH = "en"
# Reply language -> espeak-ng voice, for a language the configured engine does not speak (the
# reply languages are agents.culture.TEMPLATE_LANGS; "en" matters only when the engine is
# espeak-ng with another default voice).  A language not here: the configured engine speaks it.
ESPEAK_VOICES = {"en": "en-us", "fr": "fr-fr"}


class TextToSpeech(abc.ABC):
    """Turns text into speech.  Subclasses implement ``_synthesize`` only."""

    language = ENGLISH  # the language this engine's own voice speaks

    @property
    def voice_name(self) -> str:
        """The name of this engine's own voice (what the reply's ``reply_voice`` records)."""
        return type(self).__name__

    async def synthesize(self, text: str, speed: float = 1.0, language: str | None = None) -> bytes:
        """Speak ``text``, written in ``language``; return a complete WAV file (16-bit PCM mono).

        ``speed``: 1.0 is the voice's own pace, clipped to 0.5-2.0.  ``language``: None is
        this engine's own voice; a language code, the voice ``for_language`` picks.
        Raises ``ValueError`` for blank text, ``ProviderError`` when nothing could be spoken.
        """
        if not text or not text.strip():
            raise ValueError("nothing to synthesize: text is blank")
        started = time.perf_counter()
        speed = min(max(float(speed or 1.0), 0.5), 2.0)
        engine = self.for_language(language)
        wav = await engine._synthesize(text.strip(), speed)
        _LOGGER.debug("tts %d chars (%s) in %.3f s", len(text), engine.voice_name,
                      time.perf_counter() - started)
        return wav

    def for_language(self, language: str | None) -> "TextToSpeech":
        """The engine that speaks ``language``: this one for None or its own language
        (English), an espeak-ng voice for those in ``ESPEAK_VOICES``, else this one (warning)."""
        lang = (language or "").strip().lower().split("-")[0]
        if not lang or lang == self.language:
            return self
        others = self.__dict__.setdefault("_by_language", {})
        if lang not in others:
            voice = ESPEAK_VOICES.get(lang)
            if voice is None:
                _LOGGER.warning("no voice for language %r: speaking it with %s", lang, self.voice_name)
                others[lang] = self
            elif shutil.which("espeak-ng") is None:
                _LOGGER.warning("language %r needs espeak-ng (apt-get install espeak-ng): "
                                "speaking it with %s", lang, self.voice_name)
                others[lang] = self
            else:
                others[lang] = EspeakTTS(voice=voice)
        return others[lang]

    def voice_for(self, language: str | None) -> dict:
        """{"voice", "language"}: the voice that speaks ``language`` and the language it speaks."""
        engine = self.for_language(language)
        return {"voice": engine.voice_name, "language": engine.language}

    async def warm_up(self) -> None:
        """Load whatever the provider needs, so the first request is not slow."""

    @abc.abstractmethod
    async def _synthesize(self, text: str, speed: float) -> bytes:
        """Return WAV bytes for non-blank, stripped ``text``."""


class _ThreadedTTS(TextToSpeech):
    """An engine loaded once, synthesizing on one dedicated thread.

    One thread, not the default pool: ONNX Runtime already uses every core per call, so
    parallel syntheses would only fight each other (and the STT) for the 2 cores.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._voice = None
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts")

    async def warm_up(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load)

    async def _synthesize(self, text: str, speed: float) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._synthesize_sync, text, speed)

    def synthesize_blocking(self, text: str, speed: float = 1.0) -> bytes:
        """The engine's own call, on the calling thread (what bench/speech_throughput.py times
        as the raw model)."""
        return self._synthesize_sync(text.strip(), speed)

    def _load(self):
        with self._lock:
            if self._voice is None:
                self._voice = self._load_voice()
            return self._voice

    @abc.abstractmethod
    def _load_voice(self): ...

    @abc.abstractmethod
    def _synthesize_sync(self, text: str, speed: float) -> bytes: ...


class PiperTTS(_ThreadedTTS):
    """Offline Piper voice (pinned ``en_US-joe-medium``)."""

    voice_name = PIPER_JOE_MODEL.name.removesuffix(".onnx")  # "en_US-joe-medium"

    @property
    def sample_rate(self) -> int:
        """Output rate of the loaded voice (22 050 Hz for joe-medium)."""
        return self._load().config.sample_rate

    def _load_voice(self):
        return _load_piper_voice()

    def _synthesize_sync(self, text: str, speed: float) -> bytes:
        voice = self._load()
        config = None
        if speed != 1.0:
            from piper import SynthesisConfig
            config = SynthesisConfig(length_scale=1.0 / speed)
        chunks = [chunk.audio_int16_array for chunk in voice.synthesize(text, syn_config=config)]
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


class HibariTTS(_ThreadedTTS):
    """hibari-tts, default voice (American female, inside the wheel; nothing downloaded)."""

    SAMPLE_RATE = 24_000
    voice_name = "hibari"

    @property
    def sample_rate(self) -> int:
        return self.SAMPLE_RATE

    def _load_voice(self):
        try:
            from hibari import Hibari
        except ImportError as exc:
            raise MissingDependency(
                "tts_engine 'hibari' needs hibari-tts: pip install hibari-tts==0.2.1 "
                "(or set AURASENSE_TTS_ENGINE=piper)") from exc
        started = time.perf_counter()
        voice = Hibari(threads=self._settings.stt_threads or 1)
        _LOGGER.info("hibari loaded in %.2f s", time.perf_counter() - started)
        return voice

    def _synthesize_sync(self, text: str, speed: float) -> bytes:
        audio = np.asarray(self._load()(text, speed=speed), dtype=np.float32).reshape(-1)
        if audio.size == 0:
            raise ProviderError(f"text produced no speech: {text[:40]!r}")
        return wav_bytes(audio, self.SAMPLE_RATE)


class EspeakTTS(TextToSpeech):
    """The ``espeak-ng`` program (Debian package ``espeak-ng``), one process per reply.

    ``voice``: an espeak-ng voice name ("en-us", "fr-fr"...), else ``settings.espeak_voice``.
    """

    BASE_WPM = 160  # espeak-ng's default -s is 175; 160 is easier to follow

    def __init__(self, settings: Settings | None = None, voice: str | None = None) -> None:
        self.voice = voice or (settings.espeak_voice if settings is not None else "en-us")
        self.language = self.voice.split("-")[0].split("+")[0].lower()

    @property
    def voice_name(self) -> str:
        return self.voice

    async def warm_up(self) -> None:
        _espeak_binary()

    async def _synthesize(self, text: str, speed: float) -> bytes:
        binary = _espeak_binary()
        proc = await asyncio.create_subprocess_exec(
            binary, "--stdout", "-v", self.voice, "-s", str(int(self.BASE_WPM * speed)), text,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = await proc.communicate()
        if proc.returncode != 0 or not out:
            raise ProviderError(f"espeak-ng failed ({proc.returncode}): {err.decode(errors='replace')[:200]}")
        # espeak-ng writes a streaming WAV (size placeholders): normalise to a complete one.
        try:
            audio = decode_audio(out, max_seconds=3600, max_bytes=1 << 30)
        except AudioError as exc:
            raise ProviderError(f"text produced no speech: {text[:40]!r} ({exc})") from exc
        return wav_bytes(audio.samples, audio.sample_rate)


def _espeak_binary() -> str:
    path = shutil.which("espeak-ng")
    if path is None:
        raise MissingDependency("tts_engine 'espeak-ng' needs the program: apt-get install espeak-ng")
    return path


TTS_ENGINES = {"piper": PiperTTS, "hibari": HibariTTS, "espeak-ng": EspeakTTS, "espeak": EspeakTTS}


def make_tts(settings: Settings) -> TextToSpeech:
    """The text-to-speech engine named by ``settings.tts_engine`` (default "piper")."""
    engine = settings.tts_engine.strip().lower() or "piper"
    try:
        return TTS_ENGINES[engine](settings)
    except KeyError:
        raise ProviderError(
            f"unknown tts_engine {engine!r}: use one of piper, hibari, espeak-ng") from None
