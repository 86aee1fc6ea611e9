"""Transcribe rendered evaluation WAVs exactly as the transcribe stage does, with a cache.

The stage decodes the upload with ``decode_audio`` (the settings' size and length limits) and
hands it to ``make_stt(settings)``; so does ``Transcriber``.  What the model heard is cached
under ``.cache/speech-eval/stt/`` keyed by the audio's sha256, the provider, the model, the
prompt (``stt_prompt``) and the source of ``agents/providers/stt.py`` (a change there may
change what is heard).  The catalogue-name repair (``repair_transcript``) is applied after the
cache, as the offline provider applies it after decoding: a changed word list is never served
stale.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from agents.providers import stt as stt_module
from agents.providers.audio import decode_audio
from agents.providers.errors import AudioError
from agents.providers.stt import make_stt, repair_transcript, stt_prompt
from aurasense.settings import Settings
from bench.speech_render import CACHE_DIR


@dataclass(frozen=True)
class Heard:
    text: str  # what the product would route (repaired, as the stage delivers it)
    raw: str  # before the catalogue-name repair
    language: str
    audio_s: float
    compute_s: float  # model time when it was transcribed (also when served from the cache)
    cached: bool
    error: str | None = None  # e.g. "no speech detected": the stage would refuse the upload


class Transcriber:
    """``transcribe(wav) -> Heard`` through the product's STT provider, cached."""

    def __init__(self, settings: Settings | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.stt = make_stt(self.settings)
        # The offline model repairs names itself; turned off here and done after the cache.
        self._repairs = hasattr(self.stt, "repair")
        if self._repairs:
            self.stt.repair = False
        self.cache_dir = Path(cache_dir or CACHE_DIR) / "stt"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        source = hashlib.sha256(Path(stt_module.__file__).read_bytes()).hexdigest()
        self.identity = {"provider": type(self.stt).__name__, "model": self.settings.stt_model,
                         "prompt": stt_prompt(self.settings), "stt_source": source}
        self._loop = asyncio.new_event_loop()
        self.transcribed = 0  # WAVs run through the model (not served from the cache)

    def describe(self) -> str:
        return f"{self.identity['provider']} ({self.settings.stt_model})"

    def key(self, wav: bytes) -> str:
        return hashlib.sha256(json.dumps(
            {"audio": hashlib.sha256(wav).hexdigest(), **self.identity}, sort_keys=True).encode()
        ).hexdigest()

    def transcribe(self, wav: bytes) -> Heard:
        path = self.cache_dir / f"{self.key(wav)}.json"
        if path.exists():
            entry, cached = json.loads(path.read_text()), True
        else:
            entry, cached = self._run(wav), False
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry))
            tmp.replace(path)
            self.transcribed += 1
        text = entry["raw"]
        if self._repairs and text:
            text = " ".join(repair_transcript(text, entry["language"]).split())
        return Heard(text, entry["raw"], entry["language"], entry["audio_s"], entry["compute_s"],
                     cached, entry.get("error"))

    def _run(self, wav: bytes) -> dict:
        s = self.settings
        audio = decode_audio(wav, max_seconds=s.max_audio_seconds, max_bytes=s.max_upload_bytes)
        started = time.perf_counter()
        try:
            result = self._loop.run_until_complete(self.stt.transcribe(audio))
        except AudioError as exc:  # what the stage would tell the user instead of routing
            return {"raw": "", "language": "", "audio_s": audio.duration_s,
                    "compute_s": time.perf_counter() - started, "error": str(exc)}
        return {"raw": result.text, "language": result.language, "audio_s": audio.duration_s,
                "compute_s": result.compute_s}

    def close(self) -> None:
        self._loop.run_until_complete(self.stt.aclose())
        self._loop.close()
