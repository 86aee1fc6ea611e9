"""One versioned record per topic (see schemas/topics.py for which goes where).

Every session event carries ``timings``: per stage, when it started, its compute
time and when it finished (epoch seconds / milliseconds), so the status view and the
benchmark can split end-to-end latency into compute and pipeline overhead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.records import Record

Timings = dict[str, dict[str, float]]


@dataclass(frozen=True, kw_only=True)
class SessionEvent(Record):
    session_id: str
    user_id: str
    attempt: int = 1  # bumped by `replay --reprocess`
    timings: Timings = field(default_factory=dict)

    def timed(self, stage: str, started_at: float, compute_ms: float, finished_at: float) -> Timings:
        """This event's timings plus one more stage."""
        entry = {"started_at": started_at, "compute_ms": compute_ms, "finished_at": finished_at}
        return {**self.timings, stage: entry}


@dataclass(frozen=True, kw_only=True)
class SessionIssued(SessionEvent):
    """The gateway issued an upload for this session (topic session-issued): it answers
    ``pending`` from then on, before the audio arrives."""

    key: str
    issued_at: float
    expires_at: float  # the presigned upload's expiry


@dataclass(frozen=True, kw_only=True)
class UploadLogged(SessionEvent):
    """Where a session's input is on the log (topic upload-logged): ingest's ``AudioUploaded``, or
    the gateway's ``TextSubmitted``. Recorded as the session's ``last_event`` until the first
    stage records the session itself, so the sweeper can send the input again if it is lost
    before then."""

    at: str  # topic/partition@offset of the AudioUploaded or TextSubmitted


@dataclass(frozen=True, kw_only=True)
class AudioUploaded(SessionEvent):
    """An audio object landed in the bucket (topic audio-uploaded)."""

    bucket: str
    key: str
    size: int
    etag: str = ""
    version_id: str = ""
    sequencer: str = ""
    content_type: str = ""
    uploaded_at: float = 0.0  # the S3 event's time
    rejection: str = ""  # set by ingest when the upload cannot be processed at all


@dataclass(frozen=True, kw_only=True)
class TextSubmitted(SessionEvent):
    """What the user typed, as the gateway received it (topic text-submitted): the text stage
    turns it into the session's ``AudioTranscribed``, and the pipeline goes on as for speech."""

    text: str
    submitted_at: float


@dataclass(frozen=True, kw_only=True)
class AudioTranscribed(SessionEvent):
    """What the user said, or typed (topic audio-transcribed)."""

    bucket: str  # the audio's; empty for typed text
    key: str
    text: str
    source: str = "speech"  # "speech" (transcribed audio) or "text" (typed: no audio, no voice)
    language: str = ""
    language_probability: float = 0.0
    duration_s: float = 0.0
    audio_sha256: str = ""
    voice_profile: dict[str, Any] = field(default_factory=dict)
    from_cache: bool = False  # identical audio was transcribed before


@dataclass(frozen=True, kw_only=True)
class RequestRouted(SessionEvent):
    """Which agent answers (topic request-routed)."""

    text: str
    agent: str
    confidence: float = 0.0
    reason: str = ""
    voice_profile: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class AudioResponded(SessionEvent):
    """The reply, spoken and stored (topic audio-responded)."""

    agent: str
    text: str
    reply_text: str
    reply_bucket: str
    reply_key: str
    reply_url: str
    cultural_context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SessionFailed(SessionEvent):
    """A stage gave up on a session (topic session-failed)."""

    stage: str
    error_message: str
    attempts: int = 1


@dataclass(frozen=True, kw_only=True)
class DeadLetter(Record):
    """An event that could not even be parsed, with its origin (topic dead-letter)."""

    origin_topic: str
    origin_partition: int
    origin_offset: int
    error: str
    stage: str
    payload: str  # the original bytes, decoded as UTF-8 with replacement
    key: str = ""
    at: float = 0.0


@dataclass(frozen=True, kw_only=True)
class SessionStatus(Record):
    """The session-status table's value: the seed's status fields plus per-stage timings."""

    session_id: str
    user_id: str
    status: str = "pending"  # pending → processing → completed | failed
    stage: str = ""  # the last stage that reported
    source: str = ""  # "speech" (an upload) or "text" (typed); "" until the input is known
    attempt: int = 1
    input_bucket: str = ""
    input_key: str = ""
    input_etag: str = ""  # which content of the key this attempt answers
    transcription: str | None = None
    language: str | None = None
    agent_used: str | None = None
    response_text: str | None = None
    response_audio_url: str | None = None
    response_audio_key: str | None = None
    cultural_context: dict[str, Any] = field(default_factory=dict)
    voice_profile: dict[str, Any] = field(default_factory=dict)
    error_message: str | None = None
    created_at: float = 0.0
    uploaded_at: float = 0.0
    completed_at: float | None = None
    timings: Timings = field(default_factory=dict)
    stages_done: list[str] = field(default_factory=list)  # the stages that ran for this attempt
    duplicates_ignored: int = 0
    # Where the latest event folded in is on the log (``topic/partition@offset``): where a replay
    # of this session starts, and what streams/sweeper.py sends again if it was lost.
    last_event: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("completed", "failed")
