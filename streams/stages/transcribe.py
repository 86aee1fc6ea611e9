"""transcribe: ``AudioUploaded`` → ``AudioTranscribed`` (download, decode, speech to text)."""

from __future__ import annotations

import asyncio
import hashlib

from schemas.events import AudioTranscribed, AudioUploaded
from streams.deps import StageDeps


async def process(event: AudioUploaded, deps: StageDeps) -> AudioTranscribed:
    from agents.providers.audio import decode_audio

    settings = deps.settings
    data = await deps.store.read(event.bucket, event.key, settings.max_upload_bytes)
    audio = await asyncio.to_thread(decode_audio, data, max_seconds=settings.max_audio_seconds,
                                    max_bytes=settings.max_upload_bytes)
    transcript = await deps.stt.transcribe(audio)
    return AudioTranscribed(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, bucket=event.bucket, key=event.key, text=transcript.text,
        language=transcript.language, language_probability=transcript.language_probability,
        duration_s=audio.duration_s, audio_sha256=hashlib.sha256(data).hexdigest())
