"""Transcriptions by what produced them (the seed's Redis cache, here a Faust table).

Identical audio, replayed or uploaded again, skips decoding and the speech model. The key is
the audio's sha256 *and* what hears it: the speech model, its prompt and hotwords, and the
entry's schema version, so a new model or prompt never serves text the old one heard, and an
entry written with other fields is never read as this version's.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SCHEMA_VERSION = 2  # bump when the fields of a cached entry change (2: stt identity in the key)


def hearing(settings: Any) -> str:
    """What turns audio into text under ``settings``: provider and model, prompt, hotwords."""
    from speech.stt import stt_hotwords, stt_prompt

    provider = "groq" if settings.groq_api_key else f"whisper:{settings.stt_model}"
    return json.dumps({"stt": provider, "prompt": stt_prompt(settings), "hotwords": stt_hotwords(settings),
                       "schema": SCHEMA_VERSION}, sort_keys=True)


def heard_by(settings: Any) -> str:
    """A short digest of ``hearing(settings)``: the second half of every cache key."""
    return hashlib.sha256(hearing(settings).encode()).hexdigest()[:16]


class TranscriptCache:
    def __init__(self, table: Any, settings: Any) -> None:
        self.table = table
        self._heard_by = heard_by(settings)  # the settings are fixed for a worker's life

    def get(self, audio_sha256: str) -> dict[str, Any] | None:
        return self.table.get(self._key(audio_sha256))

    def put(self, audio_sha256: str, entry: dict[str, Any]) -> None:
        """Must run inside the agent consuming the event (the table's changelog follows its partition)."""
        self.table[self._key(audio_sha256)] = entry

    def _key(self, audio_sha256: str) -> str:
        return f"{audio_sha256}:{self._heard_by}"
