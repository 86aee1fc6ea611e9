"""The session-status view: a pure fold of stage events, and the Faust table holding it.

``apply(status, event)`` is all the logic; ``StatusTable`` only stores the result.
A session reaches ``completed`` or ``failed`` once: later events for a finished
attempt are counted in ``duplicates_ignored`` and change nothing else.
"""

from __future__ import annotations

import time
from typing import Any

from schemas.events import (AudioResponded, AudioTranscribed, AudioUploaded, RequestRouted,
                            SessionEvent, SessionFailed, SessionIssued, SessionStatus,
                            TextSubmitted, UploadLogged)


def apply(status: SessionStatus | None, event: SessionEvent, now: float | None = None,
          at: str | None = None, done: str | None = None) -> SessionStatus:
    """The status after ``event``; ``at`` is where the event is on the log (``last_event``),
    ``done`` the stage whose output ``event`` is (kept in ``stages_done`` for this attempt)."""
    now = time.time() if now is None else now
    if isinstance(event, UploadLogged):  # a pointer for the sweeper, until the first stage has run
        status = status or SessionStatus(session_id=event.session_id, user_id=event.user_id,
                                         attempt=event.attempt, created_at=now)
        return status if status.last_event else status.replace(last_event=event.at)
    if isinstance(event, SessionIssued):  # only ever the first word on a session
        return status or SessionStatus(session_id=event.session_id, user_id=event.user_id,
                                       attempt=event.attempt, created_at=event.issued_at,
                                       status="pending", input_key=event.key, source="speech")
    if status is None:
        status = SessionStatus(session_id=event.session_id, user_id=event.user_id,
                               attempt=event.attempt, created_at=now)
    if event.attempt < status.attempt or (status.done and event.attempt == status.attempt):
        return status.replace(duplicates_ignored=status.duplicates_ignored + 1)
    if event.attempt > status.attempt:  # a reprocessing run starts afresh
        status = status.replace(attempt=event.attempt, status="pending", error_message=None,
                                completed_at=None, timings={}, stages_done=[])
    changes = _changes(event, now)
    if at is not None:
        changes["last_event"] = at
    if done is not None and done not in status.stages_done:
        changes["stages_done"] = [*status.stages_done, done]
    return status.replace(timings={**status.timings, **event.timings}, **changes)


def _changes(event: SessionEvent, now: float) -> dict[str, Any]:
    if isinstance(event, AudioUploaded):
        if event.rejection:
            return {"status": "failed", "stage": "ingest", "error_message": event.rejection,
                    "input_bucket": event.bucket, "input_key": event.key,
                    "uploaded_at": event.uploaded_at, "completed_at": now}
        return {"status": "processing", "stage": "ingest", "input_bucket": event.bucket,
                "input_key": event.key, "input_etag": event.etag, "uploaded_at": event.uploaded_at,
                "source": "speech"}
    if isinstance(event, TextSubmitted):  # typed: what was "said" is known before any stage runs
        return {"status": "processing", "stage": "gateway", "source": "text",
                "transcription": event.text, "uploaded_at": event.submitted_at}
    if isinstance(event, AudioTranscribed):
        # The voiceprint (biometric) stays on the internal topics, out of the visible status.
        profile = {k: v for k, v in event.voice_profile.items() if k != "voiceprint"}
        return {"stage": "text" if event.source == "text" else "transcribe", "source": event.source,
                "transcription": event.text, "language": event.language, "voice_profile": profile}
    if isinstance(event, RequestRouted):
        return {"stage": "route", "agent_used": event.agent}
    if isinstance(event, AudioResponded):
        return {"status": "completed", "stage": "respond", "response_text": event.reply_text,
                "response_audio_url": event.reply_url, "response_audio_key": event.reply_key,
                "agent_used": event.agent, "cultural_context": event.cultural_context,
                "completed_at": now}
    if isinstance(event, SessionFailed):
        return {"status": "failed", "stage": event.stage, "error_message": event.error_message,
                "completed_at": now}
    raise TypeError(f"not a session event: {type(event).__name__}")


def stage_done(status: SessionStatus | None, stage: str, attempt: int) -> bool:
    """Whether ``stage`` already ran for this attempt (so a replayed event is skipped)."""
    if status is None or attempt < status.attempt:
        return status is not None
    if attempt > status.attempt:
        return False
    return status.done or stage in status.stages_done


class StatusTable:
    """Typed access to the Faust ``session-status`` table (values stored as plain dicts)."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def get(self, session_id: str) -> SessionStatus | None:
        raw = self.table.get(session_id)
        return None if raw is None else SessionStatus.from_dict(raw)

    def note_duplicate(self, session_id: str) -> None:
        """Count an event a stage skipped because it had already run (replays, redeliveries)."""
        status = self.get(session_id)
        if status is not None:
            self.table[session_id] = status.replace(
                duplicates_ignored=status.duplicates_ignored + 1).to_dict()

    def record(self, event: SessionEvent, at: str | None = None, done: str | None = None) -> SessionStatus:
        """Fold ``event`` (at log position ``at``, the output of stage ``done`` if any) into its
        session's status; must run inside the agent consuming it."""
        status = apply(self.get(event.session_id), event, at=at, done=done)
        self.table[event.session_id] = status.to_dict()
        return status
