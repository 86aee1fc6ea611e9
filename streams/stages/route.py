"""route: ``AudioTranscribed`` → ``RequestRouted`` (which of the six agents answers).

Speech the transcribe stage could not make out (``speech_check.UNCLEAR_KEY``) is never acted on
as heard: acting on a misheard transcript is the one wrong answer that sounds confident.  The
router keeps its agent only when it is sure of the words, and that agent's reply reads them back
("I heard: '…'. Is that right?"); otherwise it goes to "clarify" with the reason ("speech
language unclear (detected th p=0.31)"), and the reply asks the user to say it again.  A yes to
a read-back routes the request read back: that is the text this event carries on.
"""

from __future__ import annotations

from agents.base import AgentRequest
from speech.speech_check import UNCLEAR_KEY
from agents.router import route
from schemas.events import AudioTranscribed, RequestRouted
from streams.deps import StageDeps


async def process(event: AudioTranscribed, deps: StageDeps) -> RequestRouted:
    request = AgentRequest(user_id=event.user_id, session_id=event.session_id, text=event.text,
                           voice_profile=event.voice_profile or None)
    decision = await route(request, deps.agents, (event.voice_profile or {}).get(UNCLEAR_KEY))
    return RequestRouted(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, text=decision.request or event.text, agent=decision.agent,
        confidence=decision.confidence, reason=decision.reason, voice_profile=event.voice_profile)
