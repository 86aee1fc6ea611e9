"""route: ``AudioTranscribed`` → ``RequestRouted`` (which of the six agents answers).

Speech the transcribe stage could not make out (``speech_check.UNCLEAR_KEY``) is not routed:
acting on a misheard transcript is the one wrong answer that sounds confident.  It goes to
"clarify" with the reason ("speech language unclear (detected th p=0.31)"), and the reply asks
the user to say it again.
"""

from __future__ import annotations

from agents.base import CLARIFY, AgentRequest, RouteDecision
from speech.speech_check import UNCLEAR_KEY
from agents.router import route
from schemas.events import AudioTranscribed, RequestRouted
from streams.deps import StageDeps


async def process(event: AudioTranscribed, deps: StageDeps) -> RequestRouted:
    request = AgentRequest(user_id=event.user_id, session_id=event.session_id, text=event.text,
                           voice_profile=event.voice_profile or None)
    unclear = (event.voice_profile or {}).get(UNCLEAR_KEY)
    decision = (RouteDecision(CLARIFY, 0.0, f"speech {unclear}") if unclear
                else await route(request, deps.agents))
    return RequestRouted(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, text=event.text, agent=decision.agent,
        confidence=decision.confidence, reason=decision.reason, voice_profile=event.voice_profile)
