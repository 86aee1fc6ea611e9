"""Create every topic explicitly, with the tables' partition count (before any worker starts)."""

from __future__ import annotations

import asyncio

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from core.settings import Settings
from schemas.topics import all_topic_names


async def ensure_topics(settings: Settings) -> list[str]:
    """Create the pipeline's missing topics; return the ones created."""
    return await create_topics(settings, all_topic_names(settings.app_id))


async def create_topic(settings: Settings, name: str, partitions: int | None = None) -> list[str]:
    return await create_topics(settings, [name], partitions)


async def create_topics(settings: Settings, names: list[str], partitions: int | None = None) -> list[str]:
    """Create those of ``names`` that are missing (the settings' partitions and replication);
    return the ones created. Existing ones are left as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            new = [NewTopic(n, partitions or settings.topic_partitions, settings.topic_replication)
                   for n in missing]
            try:
                await admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # another worker won the race
        return missing
    finally:
        await admin.close()


def ensure_topics_sync(settings: Settings) -> list[str]:
    return asyncio.run(ensure_topics(settings))
