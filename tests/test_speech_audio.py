"""decode_audio / sniff_format / wav_bytes on real audio: piper speech and synthetic tones."""

from __future__ import annotations

import asyncio
import io
import struct
import wave

import av
import numpy as np
import pytest

from speech.audio import (
    DecodedAudio,
    decode_audio,
    is_valid_wav,
    sniff_format,
    wav_bytes,
)
from agents.providers.errors import AudioError, ProviderError
from speech.tts import PiperTTS
from core.settings import Settings

MB = 1024 * 1024
LIMITS = dict(max_seconds=60.0, max_bytes=10 * MB)


@pytest.fixture(scope="module")
def speech_wav(tmp_path_factory) -> bytes:
    """Piper speech, 22.05 kHz 16-bit mono WAV (synthesized once for the module)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    return asyncio.run(PiperTTS(settings).synthesize("I would like a vegetarian curry in London."))


def tone(rate: int, seconds: float = 1.0, hz: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * hz * t)).astype(np.float64)


def pcm_wav(samples: np.ndarray, rate: int, width: int) -> bytes:
    """Integer PCM WAV via the stdlib; ``samples`` (frames,) or (frames, channels) floats."""
    frames = samples.reshape(len(samples), -1)
    if width == 1:
        ints = np.round(frames * 127 + 128).astype(np.uint8).tobytes()
    else:
        scaled = np.round(frames * (2 ** (8 * width - 1) - 1)).astype("<i4")
        ints = b"".join(v.to_bytes(4, "little", signed=True)[:width] for v in scaled.reshape(-1).tolist())
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(frames.shape[1])
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(ints)
    return buf.getvalue()


def float_wav(samples: np.ndarray, rate: int) -> bytes:
    body = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    return (b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(body)) + b"WAVE"
            + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"data" + struct.pack("<I", len(body)) + body)


def peak_hz(audio: DecodedAudio) -> float:
    spectrum = np.abs(np.fft.rfft(audio.samples))
    return float(np.argmax(spectrum) * audio.sample_rate / audio.samples.size)


def encode_with_av(wav: bytes, container: str, codec: str, rate: int) -> bytes:
    """Re-encode a WAV into another container with PyAV (what a browser would send)."""
    out_buf = io.BytesIO()
    with av.open(io.BytesIO(wav)) as src, av.open(out_buf, "w", format=container) as dst:
        stream = dst.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for frame in list(src.decode(audio=0)) + [None]:
            for out in resampler.resample(frame):
                dst.mux(stream.encode(out))
        dst.mux(stream.encode(None))
    return out_buf.getvalue()


# --------------------------------------------------------------------------- WAV decoding

@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_integer_pcm_wav_decodes(width):
    audio = decode_audio(pcm_wav(tone(16000), 16000, width), **LIMITS)
    assert audio.sample_rate == 16000 and audio.samples.dtype == np.float32
    assert audio.duration_s == pytest.approx(1.0, abs=1e-3)
    assert np.abs(audio.samples).max() == pytest.approx(0.5, abs=0.02)
    assert peak_hz(audio) == pytest.approx(440, abs=2)


def test_float_wav_decodes():
    audio = decode_audio(float_wav(tone(16000), 16000), **LIMITS)
    assert np.abs(audio.samples).max() == pytest.approx(0.5, abs=1e-3)


def test_stereo_wav_is_mixed_to_mono():
    left, right = tone(16000, hz=440), tone(16000, hz=1000)
    audio = decode_audio(pcm_wav(np.stack([left, right], axis=1), 16000, 2), **LIMITS)
    assert audio.samples.ndim == 1 and audio.duration_s == pytest.approx(1.0, abs=1e-3)
    expected = ((left + right) / 2).astype(np.float32)
    assert np.abs(audio.samples - expected).max() < 1e-3


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_other_rates_are_resampled_to_16k(rate):
    audio = decode_audio(pcm_wav(tone(rate), rate, 2), **LIMITS)
    assert audio.sample_rate == 16000
    assert audio.duration_s == pytest.approx(1.0, abs=0.01)
    assert peak_hz(audio) == pytest.approx(440, abs=2)


def test_piper_wav_decodes(speech_wav):
    audio = decode_audio(speech_wav, **LIMITS)
    assert audio.source_format == "wav"
    assert 1.5 < audio.duration_s < 4.0


def test_streaming_placeholder_size_is_accepted():
    data = bytearray(pcm_wav(tone(16000), 16000, 2))
    data[40:44] = b"\xff\xff\xff\xff"  # data chunk size left open by a streaming writer
    assert decode_audio(bytes(data), **LIMITS).duration_s == pytest.approx(1.0, abs=1e-3)


# --------------------------------------------------------------------------- other containers

@pytest.mark.parametrize("container,codec,rate,fmt", [
    ("ogg", "libopus", 48000, "ogg"),
    ("webm", "libopus", 48000, "webm"),
    ("flac", "flac", 22050, "flac"),
    ("mp3", "libmp3lame", 22050, "mp3"),
    ("ipod", "aac", 22050, "m4a"),
])
def test_compressed_speech_decodes(speech_wav, container, codec, rate, fmt):
    data = encode_with_av(speech_wav, container, codec, rate)
    assert sniff_format(data) == fmt
    audio = decode_audio(data, **LIMITS)
    reference = decode_audio(speech_wav, **LIMITS)
    assert audio.source_format == fmt
    assert audio.duration_s == pytest.approx(reference.duration_s, abs=0.1)


# --------------------------------------------------------------------------- refusals

def reason(data: bytes, **limits) -> str:
    with pytest.raises(AudioError) as err:
        decode_audio(data, **{**LIMITS, **limits})
    assert isinstance(err.value, ProviderError)
    return str(err.value)


def test_empty_bytes():
    assert reason(b"") == "empty audio file"


def test_text_is_unsupported():
    assert reason(b"hello, this is not audio\n") == "unsupported audio format: text/plain"


def test_pdf_is_unsupported():
    assert reason(b"%PDF-1.7 \x00\x01") == "unsupported audio format: application/pdf"


def test_truncated_wav_data(speech_wav):
    assert reason(speech_wav[: len(speech_wav) // 2]).startswith(
        "audio could not be decoded (corrupt WAV: data truncated")


def test_wav_cut_inside_header():
    wav = pcm_wav(tone(16000), 16000, 2)
    assert reason(wav[:12]) == "audio could not be decoded (corrupt WAV: missing fmt chunk)"
    assert reason(wav[:30]).startswith("audio could not be decoded (corrupt WAV: fmt chunk")
    assert reason(wav[:40]) == "audio could not be decoded (corrupt WAV: missing data chunk)"


def test_corrupt_ogg():
    assert reason(b"OggS" + bytes(range(256)) * 8).startswith(
        "audio could not be decoded (corrupt OGG")


def test_zero_frames_wav():
    assert reason(wav_bytes(np.zeros(0, np.float32), 16000)) == "empty audio file"


def test_silence():
    assert reason(pcm_wav(np.zeros(32000), 16000, 2)) == "no speech detected"


def test_faint_hiss_is_silence():
    hiss = np.random.default_rng(0).normal(0, 10 ** (-70 / 20), 32000)
    assert reason(pcm_wav(hiss, 16000, 2)) == "no speech detected"


def test_short_word_in_long_quiet_clip_is_not_silence():
    clip = np.zeros(16000 * 10)
    clip[50000:52400] = tone(16000, 0.15, amp=0.3)
    assert decode_audio(pcm_wav(clip, 16000, 2), **LIMITS).duration_s == pytest.approx(10.0)


def test_too_long_wav():
    assert reason(pcm_wav(tone(8000, 75.0), 8000, 1)) == "audio too long: 75.0 s (limit 60 s)"


def test_too_long_compressed_stops_early(speech_wav):
    data = encode_with_av(speech_wav, "ogg", "libopus", 48000)
    assert reason(data, max_seconds=1.0).startswith("audio too long:")


def test_oversize():
    assert reason(b"RIFF" + bytes(12 * MB), max_bytes=10 * MB) == (
        "file too large: 12.0 MB (limit 10 MB)")


# --------------------------------------------------------------------------- helpers

def test_wav_bytes_round_trip():
    data = wav_bytes(tone(16000).astype(np.float32), 16000)
    assert is_valid_wav(data) and sniff_format(data) == "wav"
    assert decode_audio(data, **LIMITS).duration_s == pytest.approx(1.0)


def test_is_valid_wav_rejects_junk(speech_wav):
    assert not is_valid_wav(b"")
    assert not is_valid_wav(b"OggS....")
    assert not is_valid_wav(speech_wav[:100])
    assert is_valid_wav(speech_wav)
