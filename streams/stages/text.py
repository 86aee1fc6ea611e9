"""text: ``TextSubmitted`` → ``AudioTranscribed`` with ``source: "text"`` (typed, not spoken).

Where typed text joins the pipeline: from here on route and respond treat it as what the user
said. There is no audio, so no voice profile: the reply is spoken in the default voice and pace.
The gateway already refused a bad text with 400; an event from anywhere else is held to the same
rule (schemas/typed_text.py), and the session ends ``failed`` with the reason.
"""

from __future__ import annotations

from typing import Any

from schemas.events import AudioTranscribed, TextSubmitted
from schemas.typed_text import text_problem, utterance
from streams.runner import PermanentError


async def process(event: TextSubmitted, deps: Any) -> AudioTranscribed:
    problem = text_problem(event.text)
    if problem:
        raise PermanentError(problem)
    return AudioTranscribed(
        session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
        timings=event.timings, bucket="", key="", text=utterance(event.text), source="text")
