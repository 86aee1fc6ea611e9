"""transcribe: ``AudioUploaded`` → ``AudioTranscribed`` (download, decode, speech to text,
voice profile).

Identical audio (same sha256) is answered from the transcription cache without the model.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from schemas.events import AudioTranscribed, AudioUploaded
from streams.deps import StageDeps


async def process(event: AudioUploaded, deps: StageDeps) -> AudioTranscribed:
    data = await deps.store.read(event.bucket, event.key, deps.settings.max_upload_bytes)
    digest = hashlib.sha256(data).hexdigest()
    cached = deps.transcripts.get(digest) if deps.transcripts is not None else None
    heard = cached or await _transcribe(data, deps)
    if cached is None and deps.transcripts is not None:
        deps.transcripts.put(digest, heard)
    return AudioTranscribed(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, bucket=event.bucket, key=event.key, audio_sha256=digest,
        from_cache=cached is not None, **heard)


async def _transcribe(data: bytes, deps: StageDeps) -> dict[str, Any]:
    from agents.providers.audio import decode_audio
    from agents.providers.voice_profile import analyze_voice
    from agents.providers.voiceprint import voiceprint

    settings = deps.settings
    audio = await asyncio.to_thread(decode_audio, data, max_seconds=settings.max_audio_seconds,
                                    max_bytes=settings.max_upload_bytes)
    transcript = await deps.stt.transcribe(audio)
    profile = await asyncio.to_thread(analyze_voice, audio, transcript)
    return {"text": transcript.text, "language": transcript.language,
            "language_probability": transcript.language_probability or 0.0,
            "duration_s": audio.duration_s, "voice_profile": profile.to_dict() | {"voiceprint": voiceprint(audio)}}
