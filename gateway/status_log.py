"""Every session's latest status, read back from the session-status table's changelog.

The table is spread over the workers (each holds its own partitions); its changelog holds all of
it, so any gateway can list one user's sessions, or the latest ones, without asking its peers.
The changelog is read whole on each call (it is compacted; fine for an operator page and a
user's history at this scale).
"""

from __future__ import annotations

from aurasense.ops.log import read_all
from aurasense.ops.records import decode_value
from core.settings import Settings
from schemas import topics
from schemas.events import SessionStatus
from schemas.records import SchemaError


def status_topic(settings: Settings) -> str:
    return topics.changelog_topic(settings.app_id, topics.SESSION_STATUS_TABLE)


async def latest_statuses(settings: Settings) -> list[SessionStatus]:
    """Each session's last status on the changelog, newest session first."""
    records = await read_all(settings.kafka_bootstrap, [status_topic(settings)])
    latest: dict[str, SessionStatus] = {}
    # A session's records share one partition: its offsets, not timestamps, say which is last.
    for r in sorted(records, key=lambda r: (r.partition, r.offset)):
        value = decode_value(r.value)
        if value is None:  # a deleted key
            latest.pop(str(decode_value(r.key)), None)
            continue
        if not isinstance(value, dict):
            continue
        try:
            status = SessionStatus.from_dict(value)
        except SchemaError:
            continue  # not a status this version understands: nothing to show
        latest[status.session_id] = status
    return sorted(latest.values(), key=lambda s: s.created_at, reverse=True)
