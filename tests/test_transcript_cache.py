"""The transcript cache is keyed by what heard the audio, not by the audio alone."""

from core.settings import Settings
from streams import transcript_cache
from streams.transcript_cache import TranscriptCache, heard_by

AUDIO = "ab" * 32


def test_the_same_audio_under_another_model_or_prompt_is_not_a_hit():
    base = Settings()
    cache = TranscriptCache({}, base)
    cache.put(AUDIO, {"text": "jollof in lagos"})
    assert cache.get(AUDIO) == {"text": "jollof in lagos"}
    for other in (base.with_(stt_model="tiny.en"), base.with_(stt_prompt="none"),
                  base.with_(stt_prompt="Lagos, Ikeja"), base.with_(groq_api_key="k")):
        assert TranscriptCache(cache.table, other).get(AUDIO) is None
        assert heard_by(other) != heard_by(base)  # the key's second half


def test_entries_of_another_schema_version_are_not_read(monkeypatch):
    cache = TranscriptCache({}, Settings())
    cache.put(AUDIO, {"text": "old shape"})
    monkeypatch.setattr(transcript_cache, "SCHEMA_VERSION", transcript_cache.SCHEMA_VERSION + 1)
    assert TranscriptCache(cache.table, Settings()).get(AUDIO) is None  # a worker on the new version
