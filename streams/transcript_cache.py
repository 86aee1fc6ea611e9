"""Transcriptions by the audio's sha256 (the seed's Redis cache, here a Faust table).

Identical audio, replayed or uploaded again, skips decoding and the speech model.
"""

from __future__ import annotations

from typing import Any


class TranscriptCache:
    def __init__(self, table: Any) -> None:
        self.table = table

    def get(self, audio_sha256: str) -> dict[str, Any] | None:
        return self.table.get(audio_sha256)

    def put(self, audio_sha256: str, entry: dict[str, Any]) -> None:
        """Must run inside the agent consuming the event (the table's changelog follows its partition)."""
        self.table[audio_sha256] = entry
