"""How the user sounds: language, pace, pitch, loudness, and the reply voice that follows.

``analyze_voice(audio, transcript) -> VoiceProfile`` is the seed's ``analyze_voice_patterns``.
numpy only, a few milliseconds for a short utterance (measured ~3 ms for 3 s on this
machine; a test holds it under 20 ms).  It is two steps: ``measure_voice(audio)`` needs no
transcript, so the transcribe stage runs it beside the speech-to-text, and
``profile_voice(measured, transcript)`` adds what needs the words:

* active speech = 20 ms frames whose RMS is within 35 dB of the loudest frame and above
  -55 dBFS (the silence floor ``decode_audio`` uses);
* ``loudness_dbfs`` = RMS over the active frames (pauses would otherwise drag it down);
* ``words_per_minute`` = transcript words / (first to last active frame);
* ``median_pitch_hz`` = YIN (de Cheveigné & Kawahara 2002) per 40 ms frame, 60-400 Hz,
  voiced when the cumulative-mean-normalised difference dips under 0.15; median over the
  voiced frames, ``None`` when fewer than 3 frames are voiced (whisper, noise).

``cultural_voice_preference`` is what the reply should sound like: ``language`` the
detected one when Whisper is reasonably sure (p >= 0.5), else English; ``voice`` the TTS
voice for it (the pinned piper voice for English, an espeak-ng voice for the others);
``speaking_rate`` a TTS speed factor that follows the user's pace, 0.85-1.15 around a
conversational 150 wpm.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

import numpy as np

from .audio import DecodedAudio
from .stt import Transcript

PIPER_VOICE = "en_US-joe-medium"
# espeak-ng voice names for the languages Whisper detects most often among our users.
_ESPEAK_VOICES = {
    "en": "en-us", "fr": "fr-fr", "es": "es", "pt": "pt", "de": "de", "it": "it", "nl": "nl",
    "hi": "hi", "ur": "ur", "bn": "bn", "ta": "ta", "pa": "pa", "ar": "ar", "zh": "cmn",
    "ja": "ja", "ko": "ko", "ru": "ru", "tr": "tr", "pl": "pl", "sw": "sw", "yo": "yo",
    "ha": "ha", "ig": "ig", "vi": "vi", "id": "id", "th": "th", "fa": "fa", "el": "el",
    "he": "he",
}
_CONFIDENT = 0.5
_NORMAL_WPM = 150.0
_RATE_RANGE = (0.85, 1.15)

_FRAME_S = 0.02
_PITCH_FRAME_S = 0.04
_FMIN, _FMAX = 60.0, 400.0
_YIN_THRESHOLD = 0.15
_SILENCE_DBFS = -55.0
_ACTIVE_RANGE_DB = 35.0


@dataclass(frozen=True)
class VoiceProfile:
    language: str
    language_probability: Optional[float]
    words_per_minute: Optional[float]  # None when no speech span was found
    median_pitch_hz: Optional[float]  # None when too little voiced speech
    loudness_dbfs: float
    duration_s: float
    cultural_voice_preference: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready (rounded) for the session and the agents."""
        out = asdict(self)
        for key, digits in (("language_probability", 3), ("words_per_minute", 1),
                            ("median_pitch_hz", 1), ("loudness_dbfs", 1), ("duration_s", 2)):
            if out[key] is not None:
                out[key] = round(float(out[key]), digits)
        return out


@dataclass(frozen=True)
class VoiceSignal:
    """What the samples alone say (``measure_voice``): no transcript needed."""

    loudness_dbfs: float
    speech_span_s: Optional[float]  # first to last active frame; None when nothing is active
    median_pitch_hz: Optional[float]
    duration_s: float


def analyze_voice(audio: DecodedAudio, transcript: Transcript) -> VoiceProfile:
    """Profile the speaker of ``audio`` (as decoded) from the samples and the transcript."""
    return profile_voice(measure_voice(audio), transcript)


def measure_voice(audio: DecodedAudio) -> VoiceSignal:
    """Loudness, speech span and pitch of ``audio`` (as decoded)."""
    x = np.asarray(audio.samples, dtype=np.float32).reshape(-1)
    rate = audio.sample_rate
    rms = _frame_rms(x, int(rate * _FRAME_S))
    active = _active(rms)
    loudness = _dbfs(float(np.sqrt(np.mean(rms[active] ** 2)))) if active.any() else _dbfs(0.0)
    span_s = None
    if active.any():
        idx = np.flatnonzero(active)
        span_s = (idx[-1] - idx[0] + 1) * _FRAME_S
    return VoiceSignal(loudness, span_s, median_pitch(x, rate), audio.duration_s)


def profile_voice(signal: VoiceSignal, transcript: Transcript) -> VoiceProfile:
    """The profile from ``measure_voice``'s measures and what was heard (pace, language)."""
    words = len(transcript.text.split())
    span_s = signal.speech_span_s
    wpm = words / span_s * 60.0 if span_s and words else None
    language = transcript.language or "en"
    return VoiceProfile(
        language=language,
        language_probability=transcript.language_probability,
        words_per_minute=wpm,
        median_pitch_hz=signal.median_pitch_hz,
        loudness_dbfs=signal.loudness_dbfs,
        duration_s=signal.duration_s,
        cultural_voice_preference=voice_preference(language, transcript.language_probability, wpm),
    )


def voice_preference(language: str, probability: Optional[float], wpm: Optional[float]) -> dict:
    """{"voice", "language", "speaking_rate"} for the reply."""
    sure = probability is None or probability >= _CONFIDENT  # Groq reports no probability
    lang = language if sure and language else "en"
    if lang not in _ESPEAK_VOICES:  # no voice speaks it: answer in English
        lang = "en"
    voice = PIPER_VOICE if lang == "en" else _ESPEAK_VOICES[lang]
    rate = 1.0 if not wpm else float(np.clip(wpm / _NORMAL_WPM, *_RATE_RANGE))
    return {"voice": voice, "language": lang, "speaking_rate": round(rate, 2)}


# --------------------------------------------------------------------------- signal

def _dbfs(rms: float) -> float:
    return float(20 * np.log10(max(rms, 1e-10)))


def _frame_rms(x: np.ndarray, n: int) -> np.ndarray:
    if x.size < n:
        return np.array([np.sqrt(np.mean(x.astype(np.float64) ** 2))]) if x.size else np.zeros(1)
    frames = x[: x.size // n * n].reshape(-1, n).astype(np.float64)
    return np.sqrt(np.mean(frames ** 2, axis=1))


def _active(rms: np.ndarray) -> np.ndarray:
    floor = max(10 ** (_SILENCE_DBFS / 20), rms.max() * 10 ** (-_ACTIVE_RANGE_DB / 20))
    return rms > floor


def median_pitch(x: np.ndarray, rate: int) -> Optional[float]:
    """Median F0 in Hz over voiced frames (YIN, vectorised over frames), or None."""
    n = int(rate * _PITCH_FRAME_S)
    tau_min, tau_max = int(rate / _FMAX), int(rate / _FMIN)
    if x.size < n or tau_max >= n:
        return None
    frames = x[: x.size // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    frames = frames[_active(rms)]
    if frames.shape[0] < 3:
        return None
    w = n - tau_max  # integration window
    size = 1 << int(np.ceil(np.log2(n + w)))
    spec_full = np.fft.rfft(frames, size)
    spec_head = np.fft.rfft(frames[:, :w], size)
    # r[t] = sum_{j<w} x[j] x[j+t] for t in [0, tau_max]
    r = np.fft.irfft(np.conj(spec_head) * spec_full, size)[:, : tau_max + 1]
    sq = np.concatenate([np.zeros((frames.shape[0], 1)), np.cumsum(frames ** 2, axis=1)], axis=1)
    e0 = sq[:, w:w + 1]  # sum_{j<w} x[j]^2
    taus = np.arange(tau_max + 1)
    e_tau = sq[:, taus + w] - sq[:, taus]  # sum_{j<w} x[j+t]^2
    d = np.maximum(e0 + e_tau - 2 * r, 0.0)
    cum = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * taus[1:] / np.maximum(cum, 1e-12)
    band = cmnd[:, tau_min:tau_max]
    below = band < _YIN_THRESHOLD
    voiced = below.any(axis=1)
    if voiced.sum() < 3:
        return None
    first = np.argmax(below, axis=1)
    pitches = []
    for row, start in zip(np.flatnonzero(voiced), first[voiced]):
        t = start
        while t + 1 < band.shape[1] and band[row, t + 1] < band[row, t]:
            t += 1  # walk down to the local minimum
        tau = float(t + tau_min)
        if 0 < t < band.shape[1] - 1:  # parabolic interpolation
            a, b, c = band[row, t - 1], band[row, t], band[row, t + 1]
            denom = a - 2 * b + c
            if denom > 0:
                tau += 0.5 * (a - c) / denom
        pitches.append(rate / tau)
    return float(np.median(pitches))
