"""Which worker holds a session's status, so any gateway can answer for any session.

Status rows live in the changelog partition of the session's *event* topics (a table
write goes to the partition of the event being processed), i.e. the partition the
producer's partitioner gives the raw ``session_id`` key. Each worker advertises its
gateway as Faust's ``canonical_url``, and the partition assignor tells every member who
holds which changelog partition.
"""

from __future__ import annotations

from typing import Any

from aiokafka.partitioner import DefaultPartitioner
from yarl import URL

from schemas.topics import SESSION_STATUS_TABLE


_PARTITIONER = DefaultPartitioner()


def session_partition(app: Any, session_id: str) -> int:
    """The partition of a session's topics: Kafka's default partitioner over the app's partition
    count (every session topic has it). Not the producer's own lookup: a worker that has not sent
    to a topic yet has no metadata for it on Kafka, and that lookup fails."""
    partitions = list(range(app.conf.topic_partitions))
    return _PARTITIONER(session_id.encode(), partitions, partitions)


def status_owner(app: Any, session_id: str) -> URL | None:
    """The gateway URL of the worker holding this session's status (None while unknown)."""
    partition = session_partition(app, session_id)
    changelog = app.tables[SESSION_STATUS_TABLE].changelog_topic.get_topic_name()
    for host, topics in app.router.table_metadata(SESSION_STATUS_TABLE).items():
        if partition in topics.get(changelog, ()):
            return URL(host)
    return None


def is_local(app: Any, owner: URL | None) -> bool:
    own = URL(str(app.conf.canonical_url))
    return owner is None or (owner.host, owner.port) == (own.host, own.port)
