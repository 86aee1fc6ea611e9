"""Transcribe rendered evaluation WAVs exactly as the transcribe stage does, with a cache.

The stage decodes the upload with ``decode_audio`` (the settings' size and length limits) and
hears it with ``speech_check.hear(make_stt(settings), audio, user_language)``: one decode, a
second one in another language when the first is in doubt, and the reason when it stays in
doubt (the route stage then asks the user to repeat instead of routing).  ``Transcriber`` does
the same for a user whose profile names no language.

Each Whisper decode (the audio, the language imposed if any) is cached under
``.cache/speech-eval/decode/`` keyed by the audio's sha256, the provider, the model, the prompt
(``stt_prompt``) and the source of the modules that make the words (``stt``,
``transcript_fix``, ``sound_alike``): a change there is never served stale.  ``speech_check`` runs afresh on the
cached decodes every time, so changing what it decides costs no model time.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from speech import sound_alike, speech_check, stt as stt_module, transcript_fix
from speech.audio import DecodedAudio, decode_audio
from agents.providers.errors import AudioError
from speech.stt import SpeechToText, Transcript, make_stt, stt_prompt
from core.settings import Settings
from bench.speech_render import CACHE_DIR

_SOURCES = (stt_module, transcript_fix, sound_alike)  # what makes the words; speech_check only judges them


@dataclass(frozen=True)
class Heard:
    text: str  # what the stage passes on ("" when nothing intelligible was said)
    language: str
    audio_s: float
    compute_s: float  # model time of the decodes it took (also when served from the cache)
    cached: bool  # every decode came from the cache
    unclear: str | None = None  # why the product would ask to repeat instead of routing
    error: str | None = None  # e.g. "no speech detected": the stage refuses the upload


class CachedDecodes:
    """``stt`` with every decode cached on disk by (audio, imposed language, ``identity``); the
    interface ``speech_check.hear`` uses (``transcribe``, ``aclose``)."""

    def __init__(self, stt: SpeechToText, cache_dir: Path, identity: dict) -> None:
        self.stt, self.cache_dir, self.identity = stt, cache_dir, identity
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.decoded = 0  # decodes run through the model (not served from the cache)
        self.compute_s = 0.0  # model time of the decodes served since the caller reset it

    def _path(self, audio: DecodedAudio, language: Optional[str]) -> Path:
        key = hashlib.sha256(json.dumps(
            {"audio": hashlib.sha256(audio.samples.tobytes()).hexdigest(), "language": language,
             **self.identity}, sort_keys=True).encode()).hexdigest()
        return self.cache_dir / f"{key}.json"

    async def transcribe(self, audio: DecodedAudio, language: Optional[str] = None) -> Transcript:
        path = self._path(audio, language)
        if path.exists():
            entry = json.loads(path.read_text())
        else:
            try:
                entry = asdict(await self.stt.transcribe(audio, language=language))
            except AudioError as exc:
                entry = {"error": str(exc)}
            self.decoded += 1
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry))
            tmp.replace(path)
        if "error" in entry:
            raise AudioError(entry["error"])
        transcript = Transcript(**{**entry, "candidates": tuple(map(tuple, entry["candidates"]))})
        self.compute_s += transcript.compute_s
        return transcript

    async def aclose(self) -> None:
        await self.stt.aclose()


class Transcriber:
    """``transcribe(wav) -> Heard`` through the product's STT provider and speech check; the
    decodes cached (``CachedDecodes``)."""

    def __init__(self, settings: Settings | None = None, cache_dir: Path | None = None) -> None:
        self.settings = settings or Settings()
        stt = make_stt(self.settings)
        source = hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in _SOURCES)).hexdigest()
        self.identity = {"provider": type(stt).__name__, "model": self.settings.stt_model,
                         "prompt": stt_prompt(self.settings), "sources": source}
        self.stt = CachedDecodes(stt, Path(cache_dir or CACHE_DIR) / "decode", self.identity)
        self._loop = asyncio.new_event_loop()

    @property
    def transcribed(self) -> int:
        """Decodes run through the model (not served from the cache)."""
        return self.stt.decoded

    def describe(self) -> str:
        return f"{self.identity['provider']} ({self.settings.stt_model}) + speech_check.hear"

    def transcribe(self, wav: bytes) -> Heard:
        s = self.settings
        audio = decode_audio(wav, max_seconds=s.max_audio_seconds, max_bytes=s.max_upload_bytes)
        decoded_before, self.stt.compute_s = self.stt.decoded, 0.0
        try:
            transcript, unclear = self._loop.run_until_complete(speech_check.hear(self.stt, audio))
            heard = {"text": transcript.text, "language": transcript.language, "unclear": unclear}
        except AudioError as exc:  # what the stage would tell the user instead of routing
            heard = {"text": "", "language": "", "error": str(exc)}
        return Heard(**heard, audio_s=audio.duration_s, compute_s=self.stt.compute_s,
                     cached=self.stt.decoded == decoded_before)

    def close(self) -> None:
        self._loop.run_until_complete(self.stt.aclose())
        self._loop.close()
