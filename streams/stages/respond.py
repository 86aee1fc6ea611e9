"""respond: ``RequestRouted`` → ``AudioResponded`` (agent reply → speech → reply object + URL).

The reply key is a function of the session, so running the stage twice for one
session overwrites one object instead of leaving a second reply.
"""

from __future__ import annotations

from agents.base import AgentRequest, RouteDecision
from agents.registry import respond
from schemas.events import AudioResponded, RequestRouted
from streams.deps import StageDeps


def reply_key(prefix: str, user_id: str, session_id: str) -> str:
    return f"{prefix}{user_id}/{session_id}.wav"


def reply_voice(voice_profile: dict | None, cultural_context: dict, tts) -> dict:
    """How the reply is spoken: {"voice", "language", "speaking_rate"}.

    The language is the one the reply is *written* in (``reply_language``, chosen by
    agents.culture), not the one the user spoke: a Yoruba speaker gets English text (no Yoruba
    templates), spoken by the English voice; someone who asked for French while speaking
    English gets French text, spoken by the French voice.  Where the two agree (English, or
    French spoken and answered), this is the voice profile's ``cultural_voice_preference``.
    """
    preference = (voice_profile or {}).get("cultural_voice_preference") or {}
    language = cultural_context.get("reply_language") or preference.get("language") or "en"
    return {**tts.voice_for(language), "speaking_rate": preference.get("speaking_rate", 1.0)}


def _remember_episode(deps: StageDeps, request: AgentRequest) -> None:
    """Free-form conversation goes to graph memory (Graphiti add_episode) only with an LLM,
    as a background task: never on the reply path."""
    memory = getattr(deps.agents, "memory", None)
    if memory is not None:
        memory.note_episode(request.user_id, request.text)


async def process(event: RequestRouted, deps: StageDeps) -> AudioResponded:
    settings = deps.settings
    request = AgentRequest(user_id=event.user_id, session_id=event.session_id, text=event.text,
                           voice_profile=event.voice_profile or None)
    decision = RouteDecision(agent=event.agent, confidence=event.confidence, reason=event.reason)
    reply = await respond(request, decision, deps.agents)
    _remember_episode(deps, request)
    voice = reply_voice(event.voice_profile, reply.cultural_context, deps.tts)
    # Answer at the user's own pace (speaking_rate is clamped to 0.85–1.15 by the profile).
    wav = await deps.tts.synthesize(reply.text, speed=voice["speaking_rate"],
                                    language=voice["language"])
    key = reply_key(settings.reply_prefix, event.user_id, event.session_id)
    await deps.store.write(key, wav, "audio/wav")
    return AudioResponded(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, agent=reply.agent, text=event.text, reply_text=reply.text,
        reply_bucket=deps.store.bucket, reply_key=key,
        reply_url=deps.store.presign_get(key, settings.reply_url_expiry_s),
        cultural_context={**reply.cultural_context, "reply_voice": voice})
