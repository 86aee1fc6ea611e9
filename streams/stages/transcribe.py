"""transcribe: ``AudioUploaded`` → ``AudioTranscribed`` (download, decode, speech to text,
voice profile).

Speech the model was unsure of (``speech_check.hear``: unsure language, improbable words, a
loop, another script), or sure of in a language neither the product nor the user speaks, even
after a second decode in the user's profile language, is passed on with the reason
in the voice profile (``speech_check.UNCLEAR_KEY``), and the reply voice set to the user's
language: the route stage then asks the user to say it again instead of acting on it.

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
    heard = cached or await _transcribe(data, event.user_id, deps)
    if cached is None and deps.transcripts is not None:
        deps.transcripts.put(digest, heard)
    return AudioTranscribed(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, bucket=event.bucket, key=event.key, audio_sha256=digest,
        from_cache=cached is not None, **heard)


def _measure(audio) -> tuple[Any, list[float]]:
    """The voice profile's measures and the voiceprint: the samples alone, no words needed."""
    from speech.voice_profile import measure_voice
    from speech.voiceprint import voiceprint

    return measure_voice(audio), voiceprint(audio)


async def _transcribe(data: bytes, user_id: str, deps: StageDeps) -> dict[str, Any]:
    from speech.audio import decode_audio
    from speech.speech_check import UNCLEAR_KEY, hear
    from speech.voice_profile import profile_voice, voice_preference

    settings = deps.settings
    audio = await asyncio.to_thread(decode_audio, data, max_seconds=settings.max_audio_seconds,
                                    max_bytes=settings.max_upload_bytes)
    known = {}  # the profile's language, read once and only when the speech is in doubt

    async def user_language() -> str | None:
        if "language" not in known:
            known["language"] = await profile_language(deps, user_id)
        return known["language"]

    # Beside the speech-to-text (its own thread): ready by the time the words are.
    measured = asyncio.ensure_future(asyncio.to_thread(_measure, audio))
    try:
        transcript, unclear = await hear(deps.stt, audio, user_language)
    finally:
        signal, print_ = await measured
    profile = profile_voice(signal, transcript)
    voice = profile.to_dict() | {"voiceprint": print_}
    if unclear:  # ask in the user's language, not the one misheard
        voice[UNCLEAR_KEY] = unclear
        voice["cultural_voice_preference"] = voice_preference(
            await user_language() or "en", None, profile.words_per_minute)
    return {"text": transcript.text, "language": transcript.language,
            "language_probability": transcript.language_probability or 0.0,
            "duration_s": audio.duration_s, "voice_profile": voice}


async def profile_language(deps: StageDeps, user_id: str) -> str | None:
    """The language the user chose ("reply in French"), from their profile; None when the
    worker has no graph or the user has no profile."""
    graph = getattr(deps.agents, "graph", None)
    if graph is None:
        return None
    profile = await graph.get_user(user_id)
    return (profile or {}).get("language") or None
