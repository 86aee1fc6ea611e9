"""route: ``AudioTranscribed`` → ``RequestRouted`` (which of the six agents answers)."""

from __future__ import annotations

from agents.base import AgentRequest
from agents.router import route
from schemas.events import AudioTranscribed, RequestRouted
from streams.deps import StageDeps


async def process(event: AudioTranscribed, deps: StageDeps) -> RequestRouted:
    request = AgentRequest(user_id=event.user_id, session_id=event.session_id, text=event.text,
                           voice_profile=event.voice_profile or None)
    decision = await route(request, deps.agents)
    return RequestRouted(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, text=event.text, agent=decision.agent,
        confidence=decision.confidence, reason=decision.reason, voice_profile=event.voice_profile)
