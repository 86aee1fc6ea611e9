"""A voiceprint: a fixed-length vector that is close for the same voice, far for others.

``voiceprint(audio) -> list[float]`` (38 floats, L2-normalised) and ``similarity(a, b)``
(cosine, -1..1).  numpy only, ~10 ms for 3 s of audio on this machine.

The method is the classical text-independent speaker-statistics one (MFCC statistics, as in
Reynolds 1995 / the "utterance-level statistics" front end of GMM and x-vector systems),
without any trained model:

1. pre-emphasis 0.97; 25 ms Hamming frames every 10 ms; 512-point FFT power spectrum;
2. spectral subtraction (Boll 1979): the noise floor is each bin's 10th percentile over the
   frames, subtracted three times over, floored at 1 % of the original power;
3. 40 triangular mel filters 60-4000 Hz (the band where speech, not noise, dominates; wider
   bands measured worse under noise), log, DCT-II → MFCC c0..c19;
4. keep the *active* frames (log energy within 30 dB of the loudest frame) — pauses carry no
   voice;
5. statistics over active frames: mean and (weighted ½) standard deviation of c1..c19
   (c0, the loudness, is dropped: it says how near the microphone was);
6. per-dimension standardisation with a fixed *background* (``_BG_MEAN``, ``_BG_STD``: the
   mean and spread of these statistics over background speakers who are not in the
   benchmark — espeak-ng variants with the benchmark's noise augmentation, see
   ``bench/voice_auth.py --fit-background``), so that the cosine compares how a voice differs
   from the average voice rather than the spectral tilt all voices share;
7. L2 normalisation.  An enrolment template is the normalised mean of several voiceprints
   (``template``).

Limits, measured in ``bench/voice_auth.py``: it separates distinct voices (different vocal
tracts, pitch, synthesis engines) well, but the *same* voice with a different accent (espeak-ng
en-us vs en-gb, which share the vocal-tract parameters) scores close to the genuine speaker.
It is a second factor next to the passphrase, not an identity proof on its own, and a
recording of the user replays fine (no liveness check).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .audio import DecodedAudio

VERSION = "mfcc-ss-stats-v1"  # stored beside templates: a template from another method is stale
RATE = 16_000
_NFFT = 512
_FRAME = 400  # 25 ms
_HOP = 160  # 10 ms
_NMEL = 40
_NCEP = 20
_ACTIVE_DB = 30.0
_PRE = 0.97
_STD_WEIGHT = 0.5  # the spread counts half as much as the mean shape
_NOISE_PERCENTILE = 10
_OVERSUBTRACT = 3.0
_SPECTRAL_FLOOR = 0.01
_MEL_HI = 4000.0
DIM = 2 * (_NCEP - 1)


def _mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def _imel(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def _filterbank(lo: float = 60.0, hi: float = _MEL_HI) -> np.ndarray:
    pts = _imel(np.linspace(_mel(lo), _mel(hi), _NMEL + 2))
    bins = np.fft.rfftfreq(_NFFT, 1.0 / RATE)
    fb = np.zeros((_NMEL, bins.size))
    for i in range(_NMEL):
        left, centre, right = pts[i:i + 3]
        fb[i] = np.clip(np.minimum((bins - left) / (centre - left), (right - bins) / (right - centre)), 0, None)
    return fb


_FB_T = _filterbank().T
_DCT_T = (np.sqrt(2.0 / _NMEL) * np.cos(
    np.pi * np.arange(_NCEP)[:, None] * (2 * np.arange(_NMEL)[None, :] + 1) / (2 * _NMEL))).T
_WINDOW = np.hamming(_FRAME)

# Background statistics (see module doc, step 6), fitted by `python -m bench.voice_auth --fit-background`.
# 18 espeak-ng variants x 5 sentences, noise (15, 45) dB SNR
_BG_MEAN = np.array([-6.2629, 1.3586, -1.7201, -1.8407, -2.8947, -1.0014, -0.4193, -0.2035, -0.7576, 0.2148, -0.5232, -0.2070, -0.2024, -0.5068, 0.2972, -0.2999, 0.2024, 0.0893, 0.0018, 4.5319, 3.0793, 2.3502, 2.4017, 1.9805, 1.7876, 1.6559, 1.4269, 1.5135, 1.2705, 1.2448, 1.1512, 1.0333, 0.9891, 0.9564, 0.8945, 0.7941, 0.7356, 0.6673])
_BG_STD = np.array([3.3316, 2.0281, 1.7016, 1.2567, 1.2175, 1.0384, 1.2524, 1.0514, 0.6781, 1.1467, 0.8912, 1.2099, 0.7785, 0.7185, 0.9511, 0.7390, 0.5359, 0.6314, 0.4481, 0.9786, 0.5863, 0.4739, 0.6323, 0.4599, 0.4724, 0.4197, 0.3355, 0.4159, 0.2879, 0.3092, 0.3010, 0.2582, 0.2833, 0.2641, 0.2431, 0.2158, 0.1828, 0.1699])


def mfcc(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(MFCC c0..c19 per frame after spectral subtraction, log energy per frame) of 16 kHz
    mono samples."""
    x = np.asarray(samples, dtype=np.float64).reshape(-1)
    if x.size < _FRAME:
        x = np.pad(x, (0, _FRAME - x.size))
    x = np.append(x[0], x[1:] - _PRE * x[:-1])
    n = 1 + (x.size - _FRAME) // _HOP
    frames = x[np.arange(_FRAME)[None, :] + _HOP * np.arange(n)[:, None]]
    energy = np.log(np.sum(frames ** 2, axis=1) + 1e-10)
    power = np.abs(np.fft.rfft(frames * _WINDOW, _NFFT)) ** 2
    noise = np.percentile(power, _NOISE_PERCENTILE, axis=0)  # the quietest frames: the noise floor
    power = np.maximum(power - _OVERSUBTRACT * noise, _SPECTRAL_FLOOR * power)
    return np.log(power @ _FB_T + 1e-10) @ _DCT_T, energy


def statistics(samples: np.ndarray) -> np.ndarray:
    """The raw (not yet standardised) statistics vector, ``DIM`` floats."""
    c, energy = mfcc(samples)
    active = energy > energy.max() - _ACTIVE_DB / 10.0 * np.log(10.0)
    if active.sum() < 3:  # (near) silence: use every frame rather than fail
        active[:] = True
    c = c[active][:, 1:]
    return np.concatenate([c.mean(0), _STD_WEIGHT * c.std(0)])


def _normalise(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def voiceprint(audio: DecodedAudio) -> list[float]:
    """The voiceprint of ``audio`` (decoded: 16 kHz mono): ``DIM`` floats, unit length."""
    if audio.sample_rate != RATE:
        raise ValueError(f"voiceprint needs {RATE} Hz audio (decode_audio), got {audio.sample_rate}")
    z = (statistics(audio.samples) - _BG_MEAN) / _BG_STD
    return [round(float(v), 5) for v in _normalise(z)]


def similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two voiceprints (or templates), -1..1; 0.0 when either is empty
    or their lengths differ (a template from another method)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb / denom) if denom > 0 else 0.0


def template(prints: Iterable[Sequence[float]]) -> list[float]:
    """An enrolment template: the normalised mean of voiceprints."""
    rows = [np.asarray(p, dtype=np.float64) for p in prints if p]
    if not rows:
        raise ValueError("a template needs at least one voiceprint")
    return [round(float(v), 5) for v in _normalise(np.mean([_normalise(r) for r in rows], axis=0))]
