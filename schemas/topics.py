"""Every topic of the pipeline, in one place.

All session-keyed topics and the tables share one partition count, so that the
worker owning partition N of one owns partition N of all (Faust co-partitions
them), and a session's events and its status live side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

SESSION_ISSUED = "session-issued"
UPLOAD_LOGGED = "upload-logged"
BUCKET_EVENTS = "bucket-events"
TEXT_SUBMITTED = "text-submitted"
AUDIO_UPLOADED = "audio-uploaded"
AUDIO_TRANSCRIBED = "audio-transcribed"
REQUEST_ROUTED = "request-routed"
AUDIO_RESPONDED = "audio-responded"
SESSION_FAILED = "session-failed"
DEAD_LETTER = "dead-letter"

SESSION_STATUS_TABLE = "session-status"
SEEN_OBJECTS_TABLE = "seen-objects"
TRANSCRIPTS_TABLE = "transcripts"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    key: str  # what the message key is
    record: str  # the schemas.events record carried (or the S3 event JSON)


TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(SESSION_ISSUED, "session_id", "SessionIssued"),
    TopicSpec(UPLOAD_LOGGED, "session_id", "UploadLogged"),
    TopicSpec(BUCKET_EVENTS, "bucket/key", "S3 event JSON (AWS or MinIO shape)"),
    TopicSpec(AUDIO_UPLOADED, "session_id", "AudioUploaded"),
    TopicSpec(TEXT_SUBMITTED, "session_id", "TextSubmitted"),
    TopicSpec(AUDIO_TRANSCRIBED, "session_id", "AudioTranscribed"),
    TopicSpec(REQUEST_ROUTED, "session_id", "RequestRouted"),
    TopicSpec(AUDIO_RESPONDED, "session_id", "AudioResponded"),
    TopicSpec(SESSION_FAILED, "session_id", "SessionFailed"),
    TopicSpec(DEAD_LETTER, "origin topic/partition/offset", "DeadLetter"),
)

STREAM_TOPICS: frozenset[str] = frozenset(t.name for t in TOPICS)  # not changelogs, not Faust's own
# What the stage agents read (the others are outputs): where consumer lag is work waiting.
CONSUMED_TOPICS: tuple[str, ...] = (SESSION_ISSUED, UPLOAD_LOGGED, BUCKET_EVENTS, AUDIO_UPLOADED,
                                    TEXT_SUBMITTED, AUDIO_TRANSCRIBED, REQUEST_ROUTED)

TABLES: tuple[str, ...] = (SESSION_STATUS_TABLE, SEEN_OBJECTS_TABLE, TRANSCRIPTS_TABLE)


# Webhooks (streams/webhooks/): who wants to be called back, and how each call went. Not session
# topics (keys ``session:<id>`` / ``user:<id>``); every worker reads both whole, and the deliverer
# creates them at start.
WEBHOOK_REGISTRATIONS = "webhook-registrations"  # key session:<id> or user:<id>: WebhookRegistered
WEBHOOK_DELIVERIES = "webhook-deliveries"  # key session id: WebhookDelivery (each state change)
WEBHOOK_TOPICS: tuple[str, ...] = (WEBHOOK_REGISTRATIONS, WEBHOOK_DELIVERIES)


def changelog_topic(app_id: str, table: str) -> str:
    """Faust's name for a table's changelog topic."""
    return f"{app_id}-{table}-changelog"


def all_topic_names(app_id: str) -> list[str]:
    """Every topic the pipeline needs, changelogs included: created explicitly at start."""
    return [t.name for t in TOPICS] + [changelog_topic(app_id, t) for t in TABLES]
