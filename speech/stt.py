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
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Optional

from core.settings import Settings

from .audio import DecodedAudio, wav_bytes
from agents.providers.errors import AudioError, MissingDependency, ProviderError, ProviderUnavailable
from .model_files import whisper_model_dir
from .transcript_fix import default_fixer

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transcript:
    """What was said.  ``language`` is an ISO 639-1 code ("en") when known."""

    text: str
    language: str
    language_probability: Optional[float]  # None when the provider does not report it
    duration_s: float  # audio length
    compute_s: float  # wall time spent transcribing
    # How sure the decoder was (None when the provider does not say): the mean token log-prob
    # and gzip compression ratio over the segments (a loop compresses well), the worst
    # no-speech probability; the likeliest languages first; whether ``language`` was imposed.
    avg_logprob: Optional[float] = None
    compression_ratio: Optional[float] = None
    no_speech_prob: Optional[float] = None
    candidates: tuple = ()  # ((code, probability), ...) best first
    forced: bool = False


class SpeechToText(abc.ABC):
    """Turns speech into text.  Subclasses implement ``_transcribe`` only."""

    async def transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        """Transcribe ``audio`` (16 kHz mono float32, see ``decode_audio``); ``language`` (a
        code) decodes it as that language instead of the detected one.

        Raises ``AudioError("no speech detected")`` when nothing intelligible was said,
        ``ProviderError`` (or a subclass) when the provider itself failed.
        """
        started = time.perf_counter()
        result = await _decode(self, audio, language)
        result = replace(result, text=" ".join(result.text.split()),
                         compute_s=time.perf_counter() - started)
        if not any(ch.isalnum() for ch in result.text):
            raise AudioError("no speech detected")
        _LOGGER.debug("stt %.1f s audio in %.2f s", audio.duration_s, result.compute_s)
        return result

    async def warm_up(self) -> None:
        """Load whatever the provider needs, so the first request is not slow."""

    async def aclose(self) -> None:
        """Release network clients (call from the loop that used the provider)."""

    @abc.abstractmethod
    async def _transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        """Return the raw transcript (``compute_s`` is filled in by the caller)."""


def _decode(stt: SpeechToText, audio: DecodedAudio, language: Optional[str]):
    """``stt._transcribe``, naming ``language`` only when one is imposed (so a provider
    written before the argument existed still answers the ordinary call)."""
    return stt._transcribe(audio, language=language) if language else stt._transcribe(audio)


# --------------------------------------------------------------------------- prompt

# Whisper's ``initial_prompt`` / Groq's ``prompt``: the catalogue's cities and dishes, which a
# general model mishears ("Lagos" as "lake gus"), written as a sentence (Whisper reads the prompt
# as preceding speech). Measured on 48 piper utterances, three recordings, base int8 beam 5,
# with timestamps off (bench/results/stt_wer_decoding.json): pooled WER 6.9 % with a word list,
# 5.1 % with this sentence (4.7 and 4.4 % on two takes, 6.2 % on the third); 11 % without a prompt.
DOMAIN_PROMPT = (
    "We ate jollof rice, suya and egusi with pounded yam in Lagos, moi moi, ofada rice and "
    "ayamase, then biryani, paneer tikka, vada pav, pav bhaji, pani puri, thali and daal in"
    " Mumbai, shakshuka, tagine and harira in Paris, and mapo tofu in London and New York."
)
DEFAULT_STT_PROMPT = "domain"
# The prompt is English: given to speech in another language it drags the decoder into its
# words (Hindi came out as "shakshuka, biryani").  So it is given only when the language being
# decoded is one of these (detected per segment, or imposed).
PROMPT_LANGUAGES = frozenset({"en"})
# faster-whisper's ``hotwords`` (put before the prompt as previous text): the diet and sign-in
# words the product acts on, which the dish prompt does not name (bench/stt_vocab_tuning.py).
DOMAIN_HOTWORDS = "halal, kosher, coeliac, Jain, passphrase, sign in, log out"


def repair_transcript(text: str, language: str) -> str:
    """``text`` with misheard catalogue names repaired (``transcript_fix``); English only, as the
    word lists are.  Measured with the domain prompt, base int8, on the three seeded piper
    recordings of bench/stt_wer.py: pooled WER 6.1 % -> 4.7 % at 16 kHz, 7.3 % -> 6.0 % at
    8 kHz; espeak voices unchanged (bench/results/stt_wer.json)."""
    fixer = default_fixer() if language == "en" else None
    return fixer.fix(text) if fixer else text


def stt_hotwords(settings: Settings) -> Optional[str]:
    """``DOMAIN_HOTWORDS`` with the built-in prompt ("domain"); None with none or one's own.

    Measured on the vocab dev split (bench/stt_vocab_tuning.py, piper + espeak-ng en-us, 130
    recordings): the six words of issue 15 heard 13/38 times with the prompt alone, 27/38 with
    the hotwords too; WER over all words 24.8 % -> 23.7 %.  A second prompt sentence naming the
    words heard them 31/38 times but left the WER at 24.8 % (25.1 % with the hotwords as well);
    the hotwords keep the prompt measured in bench/results/stt_wer_decoding.json as it was."""
    return DOMAIN_HOTWORDS if settings.stt_prompt.strip().lower() == "domain" else None


def stt_prompt(settings: Settings) -> str:
    """The prompt for ``settings.stt_prompt``: "domain" (built-in), "none"/"" or own text."""
    value = settings.stt_prompt.strip()
    if value.lower() == "domain":
        return DOMAIN_PROMPT
    if value.lower() in ("", "none", "off"):
        return ""
    return value


# --------------------------------------------------------------------------- offline

class OfflineWhisper(SpeechToText):
    """faster-whisper on the CPU with the pinned weights (``settings.stt_model``).

    The model is loaded once (``warm_up`` or first request).  CPU work runs on
    ``stt_parallel`` dedicated threads (default 2), off the event loop; each inference spreads
    over ``stt_threads`` cores (CTranslate2), and the model holds ``stt_parallel`` replicas
    (faster-whisper's ``num_workers``) so inferences really run side by side.  Requests beyond
    that queue.  Why two: one inference on two threads leaves the cores partly idle (its
    threads wait on each other); two at once got 0.98 utterances/s against 0.65 on this
    2-core machine (bench/speech_throughput.py), for ~110 MB more resident memory; a lone
    request still gets ``stt_threads`` cores, so its latency is unchanged.
    """

    # beam 5 is Whisper's reference setting.  VAD is off: on four 2-4 s utterances it
    # changed no word and added 0.03-0.09 s each (measured, base int8, 2 threads), and
    # decode_audio already refuses silent input before the model sees it.
    BEAM_SIZE = 5
    VAD_FILTER = False

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._prompt = stt_prompt(settings) or None
        self._model = None
        self.repair = True  # repair_transcript on the output (the benchmark turns it off to compare)
        self.prompt_languages = PROMPT_LANGUAGES  # the benchmark widens it to measure the old way
        self.hotwords = stt_hotwords(settings)
        self._lock = threading.Lock()
        self.parallel = max(1, settings.stt_parallel)
        self._executor = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="whisper")

    async def warm_up(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load)

    async def _transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._transcribe_sync, audio, language)

    def _load(self):
        with self._lock:
            if self._model is None:
                self._model = _load_whisper(self._settings)
                default_fixer()  # its word lists load with the model, not on the first request
            return self._model

    def transcribe_blocking(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        """The model call as ``transcribe`` makes it, on the calling thread, without the checks
        around it (what bench/speech_throughput.py times as the raw model)."""
        return self._transcribe_sync(audio, language)

    def _transcribe_sync(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        model = self._load()
        probe = model.model if isinstance(model.model, _LanguageProbe) else None
        if probe:
            probe.start(self.prompt_languages)
        bias = {"initial_prompt": self._prompt, "hotwords": self.hotwords}
        if language:  # imposed: no detection, the prompt only if it is in that language
            # Greedy only: an imposed decode is a check that the words are sure (speech_check);
            # the sampling fallback would only add up to five noisier decodes (~1 s each).
            kwargs = {"language": language, "temperature": 0.0,
                      **(bias if language in self.prompt_languages else {})}
        elif probe:  # detected per segment; the prompt dropped for other languages (_LanguageProbe)
            kwargs = {"language": "en", "multilingual": True, **bias}
        else:
            kwargs = bias
        segments, info = model.transcribe(
            audio.samples, beam_size=self.BEAM_SIZE, vad_filter=self.VAD_FILTER,
            condition_on_previous_text=False,  # avoids repetition loops on noisy input
            without_timestamps=True,  # measured with the prompt: fewer errors (see DOMAIN_PROMPT)
            **kwargs,
        )
        segments = list(segments)  # runs the decoder
        text = " ".join(segment.text.strip() for segment in segments)
        detected, probability = info.language, info.language_probability
        candidates = tuple((c, p) for c, p in (info.all_language_probs or ())[:3])
        if probe and probe.seen:
            (detected, probability), candidates = probe.seen[0][0], probe.seen[0]
        if language:
            detected, probability = language, None
        if self.repair:
            text = repair_transcript(text, detected)
        return Transcript(text, detected, probability, audio.duration_s, 0.0,
                          **_decoder_confidence(segments), candidates=candidates, forced=bool(language))


def _decoder_confidence(segments) -> dict:
    """avg_logprob (weighted by segment length), the highest compression ratio and no-speech
    probability over ``segments``; all None without segments."""
    if not segments:
        return {}
    weights = [max(len(s.tokens), 1) for s in segments]
    return {"avg_logprob": sum(s.avg_logprob * w for s, w in zip(segments, weights)) / sum(weights),
            "compression_ratio": max(s.compression_ratio for s in segments),
            "no_speech_prob": max(s.no_speech_prob for s in segments)}


class _LanguageProbe:
    """Wraps the CTranslate2 model to record what ``detect_language`` found, and keeps the
    English prompt away from speech detected as another language.

    Why: with ``language=None`` faster-whisper 1.2.1 runs the encoder twice on the first
    30 s (once to detect the language, once to transcribe), ~45 % of the time for a short
    utterance.  With ``multilingual=True`` it detects the language per segment from the
    encoder output it already has, but reports only the language passed in; this probe
    recovers the detected one (with the runners-up).  The detection happens before the
    segment's prompt is assembled (``WhisperModel.get_prompt``), so wrapping ``get_prompt``
    lets the prompt follow the detected language (``PROMPT_LANGUAGES``) with one encoder pass.
    Enabled only for the pinned version (see ``_load_whisper``).  What it records is per
    thread: with ``stt_parallel`` > 1 two inferences run at once, each on its own thread.
    """

    TOP = 3  # languages kept per detection

    def __init__(self, inner) -> None:
        self._inner = inner
        self._request = threading.local()

    def __getattr__(self, name):
        return getattr(self._inner, name)

    @property
    def seen(self) -> list[tuple[tuple[str, float], ...]]:
        """This thread's request's detections, per segment, best first."""
        if not hasattr(self._request, "seen"):
            self._request.seen = []
        return self._request.seen

    @property
    def prompt_languages(self) -> frozenset:
        return getattr(self._request, "prompt_languages", PROMPT_LANGUAGES)

    def start(self, prompt_languages) -> None:
        """Forget this thread's last request's detections; prompt only ``prompt_languages``."""
        self._request.seen = []
        self._request.prompt_languages = prompt_languages

    def detect_language(self, *args, **kwargs):
        results = self._inner.detect_language(*args, **kwargs)
        self.seen.append(tuple((token[2:-2], p) for token, p in results[0][:self.TOP]))  # "<|en|>" -> "en"
        return results

    def wrap_get_prompt(self, get_prompt):
        """``WhisperModel.get_prompt`` without the previous text and hotwords when the segment's
        detected language (already set on the tokenizer) is not a prompt language."""
        def prompt_for_language(tokenizer, previous_tokens, *args, **kwargs):
            if self.seen and tokenizer.language_code not in self.prompt_languages:
                previous_tokens = []
                kwargs["hotwords"] = None
            return get_prompt(tokenizer, previous_tokens, *args, **kwargs)
        return prompt_for_language


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
        cpu_threads=settings.stt_threads, num_workers=max(1, settings.stt_parallel),
        local_files_only=True)
    if faster_whisper.__version__ == "1.2.1" and model.model.is_multilingual:
        model.model = _LanguageProbe(model.model)
        model.get_prompt = model.model.wrap_get_prompt(model.get_prompt)
    _LOGGER.info("whisper %s loaded in %.2f s", settings.stt_model, time.perf_counter() - started)
    return model


# --------------------------------------------------------------------------- Groq

class GroqWhisper(SpeechToText):
    """``whisper-large-v3-turbo`` via the Groq API (the ``groq`` SDK).

    Retries are ours, not the SDK's (its ``max_retries`` is 0): each attempt is bounded by
    ``groq_timeout_s``; connection errors, timeouts, 408/409/429 and 5xx are retried up to
    ``groq_max_retries`` times with exponential backoff (0.5 s, 1 s, ... with jitter,
    capped at ``groq_max_backoff_s``).  A ``retry-after`` the server sends is obeyed when it
    fits under that cap; a longer one ends the retries at once, so a rate-limited key falls
    back to the offline model instead of holding the request for a minute.
    """

    MODEL = "whisper-large-v3-turbo"
    TIMEOUT_S = 20.0
    MAX_RETRIES = 2
    MAX_BACKOFF_S = 4.0
    INITIAL_BACKOFF_S = 0.5

    def __init__(self, settings: Settings) -> None:
        groq = _import_groq()
        self._groq = groq
        self._timeout = settings.groq_timeout_s
        self._retries = settings.groq_max_retries
        self._max_backoff = settings.groq_max_backoff_s
        # Groq has no hotwords: they lead the prompt, as faster-whisper puts them before it.
        self._prompt = ". ".join(p for p in (stt_hotwords(settings), stt_prompt(settings)) if p)
        base_url = settings.groq_base_url or None  # None: SDK default / GROQ_BASE_URL
        self._client = groq.AsyncGroq(api_key=settings.groq_api_key, base_url=base_url,
                                      timeout=self._timeout, max_retries=0)

    async def aclose(self) -> None:
        await self._client.close()

    async def _transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        # Re-encoded as 16 kHz 16-bit WAV: 1.9 MB per minute, far under Groq's 25 MB cap,
        # and the upload is the same whatever the user sent.
        upload = ("audio.wav", wav_bytes(audio.samples, audio.sample_rate), "audio/wav")
        prompted = bool(self._prompt) and (not language or language in PROMPT_LANGUAGES)
        result = await self._request(upload, language, self._prompt if prompted else None)
        detected = _language_code(getattr(result, "language", None) or "") or language or "en"
        if prompted and detected not in PROMPT_LANGUAGES:
            # As offline: the English prompt must not shape other languages' words; Groq
            # detects the language only while decoding, so that speech is decoded again.
            result = await self._request(upload, detected, None)
        text = getattr(result, "text", None)
        if not isinstance(text, str):
            raise ProviderUnavailable("Groq answered without a transcript text")
        return Transcript(text, language or detected, None, audio.duration_s, 0.0,
                          **_decoder_confidence(_groq_segments(result)), forced=bool(language))

    async def _request(self, upload, language: Optional[str], prompt: Optional[str]):
        extra = {"prompt": prompt} if prompt else {}
        if language:
            extra["language"] = language
        for attempt in range(self._retries + 1):
            try:
                return await self._client.audio.transcriptions.create(
                    model=self.MODEL, file=upload, response_format="verbose_json",
                    temperature=0.0, **extra)
            except ValueError as exc:  # the SDK's json.loads on a malformed body
                raise ProviderUnavailable(
                    f"Groq sent an answer that is not JSON: {exc}") from exc
            except self._groq.APIError as exc:
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    raise _groq_error(self._groq, exc, attempt + 1) from exc
                _LOGGER.warning("groq attempt %d failed (%s); retrying in %.2f s",
                                attempt + 1, _short(exc), delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _retry_delay(self, exc: Exception, attempt: int) -> Optional[float]:
        """Seconds to wait before the next attempt, or None to stop retrying."""
        if attempt >= self._retries or not _retryable(self._groq, exc):
            return None
        after = _retry_after(exc)
        if after is not None:
            return after if after <= self._max_backoff else None
        backoff = min(self.INITIAL_BACKOFF_S * 2 ** attempt, self._max_backoff)
        return backoff * (1 - 0.25 * random.random())


def _retryable(groq, exc: Exception) -> bool:
    if isinstance(exc, (groq.APIConnectionError, groq.APITimeoutError)):
        return True
    status = getattr(exc, "status_code", None)
    return status in (408, 409, 429) or (status is not None and status >= 500)


def _retry_after(exc: Exception) -> Optional[float]:
    response = getattr(exc, "response", None)
    raw = response.headers.get("retry-after") if response is not None else None
    try:
        return max(float(raw), 0.0) if raw is not None else None
    except ValueError:
        return None


def _groq_segments(result) -> list:
    """verbose_json's segments as objects with the offline model's fields (dicts or SDK
    objects; a segment missing a field is left out)."""
    out = []
    for seg in getattr(result, "segments", None) or ():
        get = seg.get if isinstance(seg, dict) else (lambda k, s=seg: getattr(s, k, None))
        values = {k: get(k) for k in ("avg_logprob", "compression_ratio", "no_speech_prob")}
        if all(isinstance(v, (int, float)) for v in values.values()):
            out.append(_Segment(tokens=get("tokens") or [0], **values))
    return out


@dataclass(frozen=True)
class _Segment:
    tokens: list
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float


def _short(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def _import_groq():
    try:
        import groq
    except ImportError as exc:
        raise MissingDependency("Groq STT needs the groq SDK: pip install groq==1.7.0") from exc
    return groq


def _groq_error(groq, exc: Exception, attempts: int) -> ProviderError:
    if isinstance(exc, groq.AuthenticationError):
        return ProviderError("Groq rejected the API key (GROQ_API_KEY)")
    if isinstance(exc, groq.BadRequestError):
        return ProviderError(f"Groq refused the transcription request: {exc}")
    if isinstance(exc, groq.APIResponseValidationError):
        return ProviderUnavailable(f"Groq sent an answer that is not a transcription: {exc}")
    return ProviderUnavailable(
        f"Groq transcription failed after {attempts} attempt(s): {_short(exc)}: {exc}")


class FallbackSTT(SpeechToText):
    """``primary`` (Groq), and ``fallback`` (offline Whisper) when the primary fails.

    Any ``ProviderError`` of the primary (unreachable, rate-limited, timed out, malformed
    answer, even a rejected key) sends the request to the fallback; an ``AudioError`` does
    not: the audio would fail there too.  The fallback model is loaded lazily, on the first
    failure, unless ``warm_up`` is asked to load it (``stt_fallback_warm``).
    """

    def __init__(self, primary: SpeechToText, fallback: SpeechToText,
                 warm_fallback: bool = False) -> None:
        self.primary, self.fallback = primary, fallback
        self._warm_fallback = warm_fallback
        self.fallbacks = 0  # how many requests the fallback answered

    async def warm_up(self) -> None:
        await self.primary.warm_up()
        if self._warm_fallback:
            await self.fallback.warm_up()

    async def aclose(self) -> None:
        await self.primary.aclose()
        await self.fallback.aclose()

    async def _transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        try:
            return await _decode(self.primary, audio, language)
        except AudioError:
            raise
        except ProviderError as exc:
            _LOGGER.warning("primary STT failed, using the offline model: %s", exc)
            self.fallbacks += 1
            return await _decode(self.fallback, audio, language)


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
    """Groq when ``settings.groq_api_key`` is set, else offline Whisper.

    With Groq, ``stt_fallback`` ("offline", the default, or "none") decides whether a
    failed Groq request is answered by the offline model.
    """
    if not settings.groq_api_key:
        return OfflineWhisper(settings)
    groq = GroqWhisper(settings)
    fallback = settings.stt_fallback.strip().lower()
    if fallback in ("", "none", "off", "false", "0"):
        return groq
    warm = settings.stt_fallback_warm.strip().lower() in ("1", "true", "yes")
    return FallbackSTT(groq, OfflineWhisper(settings), warm_fallback=warm)
