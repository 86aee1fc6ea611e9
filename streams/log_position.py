"""Where a record is on the log, written ``topic/partition@offset`` (statuses, logs, the sweeper)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LogPosition:
    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}/{self.partition}@{self.offset}"

    @classmethod
    def of(cls, record: Any) -> "LogPosition":
        """The position of a Faust message, or of a send's ``RecordMetadata``."""
        return cls(record.topic, record.partition, record.offset)

    @classmethod
    def parse(cls, text: str) -> "LogPosition":
        where, _, offset = text.rpartition("@")
        topic, _, partition = where.rpartition("/")
        if not topic or not partition.isdigit() or not offset.isdigit():
            raise ValueError(f"not a log position (topic/partition@offset): {text!r}")
        return cls(topic, int(partition), int(offset))
