"""Short utterances (~3 s each, food / travel / profile talk) spoken with piper."""

from __future__ import annotations

import asyncio
import io
import wave
from typing import Sequence

from core.settings import Settings

UTTERANCES: tuple[str, ...] = (
    "Can you recommend a spicy noodle place near me?",
    "I want a vegetarian dinner tonight, nothing too heavy.",
    "Where should I stay in Lisbon next month?",
    "Find me a cheap flight to Tokyo in April.",
    "I'm allergic to peanuts, please remember that.",
    "My name is Sam and I live in Berlin.",
    "What is a good dessert without any dairy?",
    "Plan a weekend trip to the mountains for two.",
    "I prefer halal food and I don't drink alcohol.",
    "Suggest a breakfast spot with strong coffee.",
)


def synthesize(texts: Sequence[str], settings: Settings) -> list[bytes]:
    """WAV bytes for each text (piper, loaded once)."""
    from speech.tts import make_tts

    async def _all() -> list[bytes]:
        tts = make_tts(settings)
        return [await tts.synthesize(t) for t in texts]
    return asyncio.run(_all())


def read_files(paths: Sequence[str]) -> list[bytes]:
    out = []
    for path in paths:
        with open(path, "rb") as f:
            out.append(f.read())
    return out


def unique_wav(wav: bytes, salt: int) -> bytes:
    """The same speech with eight near-silent samples appended that spell ``salt`` (64 bits, one
    byte per sample: at most -42 dBFS): other bytes, other sha256, the same length for any salt.

    The worker answers identical audio from its transcription cache; a benchmark or a load
    test that reuses clips would otherwise stop measuring speech-to-text.
    """
    try:
        with wave.open(io.BytesIO(wav)) as r:
            params, frames = r.getparams(), r.readframes(r.getnframes())
    except (wave.Error, EOFError):
        return wav  # not a WAV (e.g. WebM from a browser): uploaded as it is
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setparams(params)
        tail = bytes(b for i in range(8) for b in
                     ((salt >> (8 * i)) & 0xFF).to_bytes(params.sampwidth, "little") * params.nchannels)
        w.writeframes(frames + tail)
    return out.getvalue()
