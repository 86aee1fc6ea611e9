"""Transcribe rendered evaluation WAVs exactly as the transcribe stage does, with a cache.

The stage decodes the upload with ``decode_audio`` (the settings' size and length limits) and
hears it with ``speech_check.hear(make_stt(settings), audio, user_language)``: one decode, a
second one in another language when the first is in doubt, and the reason when it stays in
doubt (the route stage then asks the user to repeat instead of routing).  ``Transcriber`` does
the same for a user whose profile names no language.

What was heard is cached under ``.cache/speech-eval/stt/`` keyed by the audio's sha256, the
provider, the model, the prompt (``stt_prompt``) and the source of the modules that decide the
words (``stt``, ``speech_check``, ``transcript_fix``): a change there is never served stale.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from speech import speech_check, stt as stt_module, transcript_fix
from speech.audio import decode_audio
from agents.providers.errors import AudioError
from speech.stt import make_stt, stt_prompt
from core.settings import Settings
from bench.speech_render import CACHE_DIR

_SOURCES = (stt_module, speech_check, transcript_fix)


@dataclass(frozen=True)
class Heard:
    text: str  # what the stage passes on ("" when nothing intelligible was said)
    language: str
    audio_s: float
    compute_s: float  # model time when it was transcribed (also when served from the cache)
    cached: bool
    unclear: str | None = None  # why the product would ask to repeat instead of routing
    error: str | None = None  # e.g. "no speech detected": the stage refuses the upload


class Transcriber:
    """``transcribe(wav) -> Heard`` through the product's STT provider and speech check, cached."""

    def __init__(self, settings: Settings | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        self.stt = make_stt(self.settings)
        self.cache_dir = Path(cache_dir or CACHE_DIR) / "stt"
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        source = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in _SOURCES)).hexdigest()
        self.identity = {"provider": type(self.stt).__name__, "model": self.settings.stt_model,
                         "prompt": stt_prompt(self.settings), "sources": source, "via": "hear"}
        self._loop = asyncio.new_event_loop()
        self.transcribed = 0  # WAVs run through the model (not served from the cache)

    def describe(self) -> str:
        return f"{self.identity['provider']} ({self.settings.stt_model}) + speech_check.hear"

    def key(self, wav: bytes) -> str:
        return hashlib.sha256(json.dumps(
            {"audio": hashlib.sha256(wav).hexdigest(), **self.identity}, sort_keys=True).encode()
        ).hexdigest()

    def transcribe(self, wav: bytes) -> Heard:
        path = self.cache_dir / f"{self.key(wav)}.json"
        if path.exists():
            return Heard(**json.loads(path.read_text()), cached=True)
        entry = self._run(wav)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry))
        tmp.replace(path)
        self.transcribed += 1
        return Heard(**entry, cached=False)

    def _run(self, wav: bytes) -> dict:
        s = self.settings
        audio = decode_audio(wav, max_seconds=s.max_audio_seconds, max_bytes=s.max_upload_bytes)
        started = time.perf_counter()
        try:
            transcript, unclear = self._loop.run_until_complete(speech_check.hear(self.stt, audio))
        except AudioError as exc:  # what the stage would tell the user instead of routing
            return {"text": "", "language": "", "audio_s": audio.duration_s,
                    "compute_s": time.perf_counter() - started, "error": str(exc)}
        return {"text": transcript.text, "language": transcript.language,
                "audio_s": audio.duration_s, "compute_s": time.perf_counter() - started,
                "unclear": unclear}

    def close(self) -> None:
        self._loop.run_until_complete(self.stt.aclose())
        self._loop.close()
