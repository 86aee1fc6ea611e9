"""Speak evaluation sentences through the product's own TTS, in varied recording conditions.

A *condition* is (engine, voice, speed, noise, SNR).  ``conditions_for(item_id)`` gives every
evaluation line two of them, chosen from a hash of its id alone (the same on every run and
machine, whatever else is in the set): one spoken by piper (the pinned joe voice, the product's
default) and one by espeak-ng (one of ``ESPEAK_VOICES``: several accents, male and female
variants).  Each condition's speed comes from ``SPEEDS`` and its noise from ``NOISES`` (clean,
20 dB or 10 dB SNR, white or pink), so over a few hundred lines every value is used about
equally often.  ``round_conditions(item_id, K)`` draws a line's further renderings (round K > 1)
the same way, from the id and the round.

``SpeechRenderer.render(text, condition)`` returns a 16 kHz 16-bit mono WAV: the TTS output
decoded as the transcribe stage decodes uploads (``decode_audio``), plus seeded noise at the
condition's SNR.  SNR here is whole-clip power: 10 log10(mean(speech^2) / mean(noise^2)).
WAVs are cached under ``.cache/speech-eval/wav/`` by the sha256 of (text, condition).

Piper samples noise inside its model, from a generator seeded when its ONNX session is created
(``onnxruntime.set_seed`` later does not reset it).  So each piper take is spoken by a session
created for it, seeded from (text, voice, speed): a take does not depend on which other lines
were rendered before it, and the clean and the noisy renderings of a condition are one take.
That costs ~0.4 s of loading per piper line, paid once thanks to the cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from speech.audio import TARGET_RATE, decode_audio, wav_bytes
from speech.tts import EspeakTTS, PiperTTS
from core.settings import Settings

CACHE_DIR = Path(os.environ.get("AURASENSE_SPEECH_EVAL_CACHE", ".cache/speech-eval"))
LIMITS = dict(max_seconds=120.0, max_bytes=64 * 1024 * 1024)
RENDER_VERSION = 1  # bump when the rendering changes, so old cached WAVs are not reused

SPEEDS = (0.85, 1.0, 1.2)
# (kind, SNR dB); clean, 20 dB and 10 dB each a third of the draws.
NOISES = ((None, None), ("white", 20.0), ("pink", 20.0), ("white", 10.0), ("pink", 10.0), (None, None))
# espeak-ng's English accents (American, British, RP, Caribbean, New York) with male and female
# variants: the product's EspeakTTS passes the name to ``-v`` as is.  Not en-gb-scotland: on a
# four-sentence probe of clean speech Whisper base heard 68-75 % of its words wrong (one reply
# in Thai), which measures espeak's Scottish model, not the product (en-029: 71 %, kept and
# reported per voice; the others 11-36 %).
ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-x-rp", "en-029", "en-us+f2", "en-gb+m3",
                 "en-us-nyc+m1", "en-gb+f2")
PIPER_VOICE = PiperTTS.voice_name


@dataclass(frozen=True)
class Condition:
    """How one rendering is spoken and degraded."""

    engine: str  # "piper" | "espeak-ng"
    voice: str
    speed: float
    noise: str | None = None  # "white" | "pink" | None (clean)
    snr_db: float | None = None

    @property
    def label(self) -> str:
        noise = f"{self.noise}{self.snr_db:g}dB" if self.noise else "clean"
        return f"{self.engine}:{self.voice}@{self.speed:g}/{noise}"

    @property
    def noise_label(self) -> str:
        return f"{self.snr_db:g}dB" if self.noise else "clean"

    def key(self, text: str) -> str:
        """sha256 of (text, condition): the cache key of the rendered WAV."""
        return _sha({"text": text, "version": RENDER_VERSION, **asdict(self)})

    def take_seed(self, text: str) -> int:
        """Seed of the TTS take: text, voice and speed only, so noise is added to the same take."""
        return int(_sha({"text": text, "engine": self.engine, "voice": self.voice,
                         "speed": self.speed})[:8], 16)


def _sha(obj: dict) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def conditions_for(item_id: str) -> tuple[Condition, Condition]:
    """The two conditions of an evaluation line (piper, espeak-ng), from its id alone.

    The id's hash is read as mixed-radix digits, one per choice, so the choices are independent
    of each other and each value is drawn about equally often.
    """
    h = int(hashlib.sha256(f"speech-eval:{item_id}".encode()).hexdigest(), 16)

    def pick(options):
        nonlocal h
        h, i = divmod(h, len(options))
        return options[i]

    piper = Condition("piper", PIPER_VOICE, pick(SPEEDS), *pick(NOISES))
    espeak = Condition("espeak-ng", pick(ESPEAK_VOICES), pick(SPEEDS), *pick(NOISES))
    return piper, espeak


def round_conditions(item_id: str, round_: int = 1) -> tuple[Condition, ...]:
    """A line's conditions in rendering round ``round_``: round 1 is ``conditions_for(item_id)``,
    round K>1 a fresh draw from ``f"{item_id}#round{K}"`` (same engines, same odds), less any
    condition an earlier round drew: that would be the same take, heard the same again."""
    if round_ < 1:
        raise ValueError(f"rounds count from 1, not {round_}")
    earlier = {c for k in range(1, round_) for c in conditions_for(_round_id(item_id, k))}
    return tuple(c for c in conditions_for(_round_id(item_id, round_)) if c not in earlier)


def _round_id(item_id: str, round_: int) -> str:
    return item_id if round_ == 1 else f"{item_id}#round{round_}"


# --------------------------------------------------------------------------- noise

def make_noise(kind: str, n: int, seed: int) -> np.ndarray:
    """``n`` samples of unit-power noise: "white" (flat) or "pink" (power falling as 1/f)."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n)
    if kind == "white":
        noise = white
    elif kind == "pink":
        spectrum = np.fft.rfft(white)
        f = np.arange(spectrum.size, dtype=np.float64)
        f[0] = 1.0  # no infinite DC gain
        noise = np.fft.irfft(spectrum / np.sqrt(f), n)
    else:
        raise ValueError(f"unknown noise kind {kind!r}: white or pink")
    noise = noise - noise.mean()
    return noise / np.sqrt(np.mean(noise ** 2))


def add_noise(speech: np.ndarray, kind: str, snr_db: float, seed: int) -> np.ndarray:
    """``speech`` plus ``kind`` noise at ``snr_db`` (whole-clip power), scaled down together
    if the sum would clip (which keeps the SNR)."""
    speech = np.asarray(speech, dtype=np.float64)
    power = np.mean(speech ** 2)
    noise = make_noise(kind, speech.size, seed) * np.sqrt(power / 10 ** (snr_db / 10))
    mixed = speech + noise
    peak = np.max(np.abs(mixed))
    if peak > 0.99:
        mixed *= 0.99 / peak
    return mixed.astype(np.float32)


def measured_snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    """SNR of ``noisy`` against ``clean``, allowing for an overall gain: the speech part is the
    projection of ``noisy`` on ``clean`` (noise is independent of speech), the rest is noise."""
    clean = np.asarray(clean, dtype=np.float64)
    noisy = np.asarray(noisy, dtype=np.float64)
    gain = float(noisy @ clean / (clean @ clean))
    residual = noisy - gain * clean
    return float(10 * np.log10(np.mean((gain * clean) ** 2) / np.mean(residual ** 2)))


# --------------------------------------------------------------------------- rendering

class SpeechRenderer:
    """Renders (text, condition) to a cached 16 kHz WAV through the product's TTS providers."""

    def __init__(self, settings: Settings | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.cache_dir = Path(cache_dir or CACHE_DIR) / "wav"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.rendered = 0  # WAVs made (not served from the cache)

    def path(self, text: str, condition: Condition) -> Path:
        return self.cache_dir / f"{condition.key(text)}.wav"

    def render(self, text: str, condition: Condition) -> bytes:
        path = self.path(text, condition)
        if path.exists():
            return path.read_bytes()
        samples = self.speech(text, condition)
        if condition.noise:
            seed = int(condition.key(text)[:8], 16)
            samples = add_noise(samples, condition.noise, condition.snr_db, seed)
        wav = wav_bytes(samples, TARGET_RATE)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(wav)
        tmp.replace(path)  # atomic: a concurrent run never reads half a file
        self.rendered += 1
        return wav

    def speech(self, text: str, condition: Condition) -> np.ndarray:
        """The clean take as 16 kHz float samples, decoded as an upload would be."""
        if condition.engine == "piper":
            wav = self._piper(text, condition)
        elif condition.engine == "espeak-ng":
            wav = asyncio.run(EspeakTTS(voice=condition.voice).synthesize(text, condition.speed))
        else:
            raise ValueError(f"unknown engine {condition.engine!r}")
        return decode_audio(wav, **LIMITS).samples

    def _piper(self, text: str, condition: Condition) -> bytes:
        import onnxruntime

        onnxruntime.set_seed(condition.take_seed(text))
        tts = PiperTTS(self.settings)  # a fresh session: see the module doc
        try:
            return asyncio.run(tts.synthesize(text, condition.speed))
        finally:
            tts._executor.shutdown(wait=False)


def render_all(renderer: SpeechRenderer, items: list[tuple[str, str]]) -> list[tuple[str, Condition, bytes]]:
    """(id, text) pairs -> (id, condition, wav) for each of the line's conditions."""
    return [(item_id, cond, renderer.render(text, cond))
            for item_id, text in items for cond in conditions_for(item_id)]
