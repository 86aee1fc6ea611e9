"""Turn uploaded audio bytes into what speech-to-text needs: float32 mono 16 kHz samples.

Public interface:

* ``sniff_format(data) -> str`` — container from magic bytes ("wav", "webm", "ogg", "mp3",
  "m4a", "flac", "aac"), or ``AudioError("unsupported audio format: <what it looks like>")``.
* ``decode_audio(data, *, max_seconds, max_bytes) -> DecodedAudio`` — every way the input
  can be unusable (empty, too big, undecodable, too long, silent) is an ``AudioError`` whose
  text can be shown to the user.
* ``wav_bytes(samples, rate) -> bytes`` — 16-bit PCM mono WAV writer.
* ``is_valid_wav(data) -> bool``.

WAV is parsed here with the stdlib and numpy (the common case costs no FFmpeg call); every
other container goes through PyAV.  Resampling, when needed, uses FFmpeg's resampler via
PyAV: numpy alone has no proper anti-aliasing filter, and scipy is not a dependency.
"""

from __future__ import annotations

import io
import logging
import struct
import wave
from dataclasses import dataclass, field

import numpy as np

from agents.providers.errors import AudioError, MissingDependency

_LOGGER = logging.getLogger(__name__)

TARGET_RATE = 16_000
_MB = 1024 * 1024
# Loudest 30 ms window quieter than -55 dBFS: nothing audible was recorded.  Whole-clip RMS
# would wrongly flag a short word inside a long quiet recording, so judge the loudest window.
_SILENCE_DBFS = -55.0
_WINDOW_S = 0.03


@dataclass(frozen=True)
class DecodedAudio:
    """Mono float32 samples in [-1, 1] at ``sample_rate`` (always 16 kHz)."""

    samples: np.ndarray = field(repr=False, compare=False)
    sample_rate: int
    duration_s: float
    source_format: str


# --------------------------------------------------------------------------- sniffing

_NOT_AUDIO = (  # (magic prefix, description) for common wrong uploads
    (b"%PDF", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"<", "text/html or xml"),
)


def sniff_format(data: bytes) -> str:
    """Name the audio container of ``data`` from its magic bytes.

    Raises ``AudioError("unsupported audio format: ...")`` naming what the bytes look like.
    """
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: WebM / Matroska
        return "webm"
    for magic, name in ((b"OggS", "ogg"), (b"fLaC", "flac"), (b"ID3", "mp3")):
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp":
        return "m4a"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        # MPEG frame sync; layer bits 00 mean an ADTS (AAC) stream rather than MP3.
        return "aac" if head[1] & 0x06 == 0 else "mp3"
    raise AudioError(f"unsupported audio format: {_describe(data)}")


def _describe(data: bytes) -> str:
    head = data[:16]
    for magic, name in _NOT_AUDIO:
        if head.startswith(magic):
            return name
    try:
        data[:512].decode("utf-8")
    except UnicodeDecodeError:
        return "unrecognised binary data"
    return "text/plain"


# --------------------------------------------------------------------------- decoding

def decode_audio(data: bytes, *, max_seconds: float, max_bytes: int) -> DecodedAudio:
    """Decode any supported container to float32 mono 16 kHz, enforcing the limits.

    Raises ``AudioError`` for empty, oversize, unsupported, undecodable, too long or
    silent input; the message is meant for the end user.
    """
    if not data:
        raise AudioError("empty audio file")
    if len(data) > max_bytes:
        raise AudioError(
            f"file too large: {len(data) / _MB:.1f} MB (limit {max_bytes / _MB:g} MB)"
        )
    fmt = sniff_format(data)
    if fmt == "wav":
        samples = _decode_wav(data, max_seconds)
    else:
        samples = _decode_with_av(data, fmt, max_seconds)
    if samples.size == 0:
        raise AudioError("empty audio file")
    _check_duration(samples.size / TARGET_RATE, max_seconds)
    _check_not_silent(samples)
    return DecodedAudio(samples, TARGET_RATE, samples.size / TARGET_RATE, fmt)


def _check_duration(seconds: float, max_seconds: float) -> None:
    if seconds > max_seconds:
        raise AudioError(f"audio too long: {seconds:.1f} s (limit {max_seconds:g} s)")


def _check_not_silent(samples: np.ndarray) -> None:
    window = int(TARGET_RATE * _WINDOW_S)
    usable = samples[: samples.size // window * window] if samples.size >= window else samples
    frames = usable.reshape(-1, min(window, usable.size))
    loudest = float(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)).max())
    if loudest < 10 ** (_SILENCE_DBFS / 20):
        raise AudioError("no speech detected")


# --------------------------------------------------------------------------- WAV

@dataclass(frozen=True)
class _WavInfo:
    tag: int  # 1 = integer PCM, 3 = IEEE float (after resolving WAVE_FORMAT_EXTENSIBLE)
    channels: int
    rate: int
    bits: int
    data: memoryview


def _corrupt(reason: str) -> AudioError:
    return AudioError(f"audio could not be decoded (corrupt WAV: {reason})")


def _parse_wav(data: bytes) -> _WavInfo:
    """Walk the RIFF chunks; the stdlib ``wave`` module of 3.11 rejects float and EXTENSIBLE."""
    fmt, body, pos = None, None, 12
    while pos + 8 <= len(data) and body is None:
        cid, size = struct.unpack_from("<4sI", data, pos)
        if cid == b"fmt ":
            fmt = _parse_fmt(data[pos + 8 : pos + 8 + size])
        elif cid == b"data":
            body = _data_chunk(data, pos + 8, size)
        pos += 8 + size + (size & 1)  # chunks are padded to even sizes
    if fmt is None:
        raise _corrupt("missing fmt chunk")
    if body is None:
        raise _corrupt("missing data chunk")
    return _WavInfo(*fmt, data=body)


def _parse_fmt(chunk: bytes) -> tuple[int, int, int, int]:
    if len(chunk) < 16:
        raise _corrupt("fmt chunk too short")
    tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", chunk)
    if tag == 0xFFFE and len(chunk) >= 26:  # EXTENSIBLE: real tag opens the SubFormat GUID
        tag = struct.unpack_from("<H", chunk, 24)[0]
    if channels == 0 or rate == 0 or bits == 0:
        raise _corrupt("zero channels, rate or sample size")
    return tag, channels, rate, bits


_PLACEHOLDER_MIN = 0x7FFF0000  # ~2 GiB: no real upload is this large (max_bytes is far below)


def _data_chunk(data: bytes, start: int, size: int) -> memoryview:
    available = len(data) - start
    # Streaming writers leave a placeholder size: 0, 0xFFFFFFFF, or espeak-ng's
    # 0x7FFFF000 (writing to a pipe).  Take what is there.
    if size == 0 or size >= _PLACEHOLDER_MIN:
        size = available
    # A real size larger than the file means the upload was cut off.  Refuse rather than
    # transcribe half a sentence and answer something the user never asked.
    if size > available:
        raise _corrupt(f"data truncated, {available} of {size} bytes present")
    return memoryview(data)[start : start + size]


def _wav_samples(info: _WavInfo) -> np.ndarray:
    """Interleaved frames as float32 in [-1, 1], shape (frames, channels)."""
    width = info.bits // 8
    raw = info.data[: len(info.data) // (width * info.channels) * width * info.channels]
    if info.tag == 3 and info.bits in (32, 64):
        flat = np.frombuffer(raw, dtype=f"<f{width}").astype(np.float32)
    elif info.tag == 1 and info.bits == 8:
        flat = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif info.tag == 1 and info.bits == 24:
        flat = _int24(np.frombuffer(raw, dtype=np.uint8))
    elif info.tag == 1 and info.bits in (16, 32):
        ints = np.frombuffer(raw, dtype=f"<i{width}")
        flat = ints.astype(np.float32) / float(2 ** (info.bits - 1))
    else:
        raise _UnsupportedWav
    return flat.reshape(-1, info.channels)


class _UnsupportedWav(Exception):
    """Encoding this parser does not handle (mu-law, ADPCM...): FFmpeg gets a try."""


def _int24(b: np.ndarray) -> np.ndarray:
    b = b.reshape(-1, 3).astype(np.int32)
    ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
    ints = np.where(ints & 0x800000, ints - (1 << 24), ints)  # sign-extend
    return ints.astype(np.float32) / float(1 << 23)


def _decode_wav(data: bytes, max_seconds: float) -> np.ndarray:
    info = _parse_wav(data)
    frame_bytes = info.channels * max(info.bits // 8, 1)
    # Check the duration from the header before converting anything.
    _check_duration(len(info.data) / frame_bytes / info.rate, max_seconds)
    try:
        frames = _wav_samples(info)
    except _UnsupportedWav:
        return _decode_with_av(data, "wav", max_seconds)
    mono = frames.mean(axis=1, dtype=np.float32) if info.channels > 1 else frames[:, 0]
    return _resample(np.ascontiguousarray(mono), info.rate)


# --------------------------------------------------------------------------- PyAV

def _av():
    try:
        import av
    except ImportError as exc:  # pragma: no cover - av comes with faster-whisper
        raise MissingDependency(
            "decoding this audio needs PyAV: pip install av==18.1.0"
        ) from exc
    return av


def _resampler():
    return _av().AudioResampler(format="flt", layout="mono", rate=TARGET_RATE)


def _resample(mono: np.ndarray, rate: int) -> np.ndarray:
    if rate == TARGET_RATE or mono.size == 0:
        return mono
    av = _av()
    frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = _resampler()
    out = resampler.resample(frame) + resampler.resample(None)  # None flushes
    return _concat(out)


def _concat(frames) -> np.ndarray:
    parts = [f.to_ndarray().reshape(-1) for f in frames]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def _decode_with_av(data: bytes, fmt: str, max_seconds: float) -> np.ndarray:
    av = _av()
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioError(f"audio could not be decoded ({fmt.upper()} has no audio track)")
            return _decode_stream(container, max_seconds)
    except av.FFmpegError as exc:
        _LOGGER.info("PyAV could not decode %s upload: %s", fmt, exc)
        raise AudioError(f"audio could not be decoded (corrupt {fmt.upper()}: {exc})") from exc


def _decode_stream(container, max_seconds: float) -> np.ndarray:
    resampler, parts, total = _resampler(), [], 0
    for frame in container.decode(audio=0):
        for out in resampler.resample(frame):
            parts.append(out.to_ndarray().reshape(-1))
            total += parts[-1].size
        # Stop early: a huge compressed file must not be decoded in full to be refused.
        _check_duration(total / TARGET_RATE, max_seconds)
    parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


# --------------------------------------------------------------------------- writing

def wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    """A complete 16-bit PCM mono WAV file.

    ``samples``: float in [-1, 1] (clipped) or int16, one channel.
    """
    samples = np.asarray(samples).reshape(-1)
    if samples.dtype != np.int16:
        samples = (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(rate))
        out.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def is_valid_wav(data: bytes) -> bool:
    """True when ``data`` is a WAV whose header parses and whose data chunk is complete."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return False
    try:
        _parse_wav(data)
    except AudioError:
        return False
    return True
