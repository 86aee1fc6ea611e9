"""What the stages need at run time, built once per worker (models loaded, graph connected)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from core.storage import AudioStore


@dataclass
class StageDeps:
    settings: Settings
    store: AudioStore
    stt: Any  # speech.stt.SpeechToText
    tts: Any  # speech.tts.TextToSpeech
    agents: Any  # agents.base.AgentContext
    transcripts: Any = None  # streams.transcript_cache.TranscriptCache, set with the pipeline's tables

    async def close(self) -> None:
        close = getattr(self.agents, "close", None)
        if close is not None:
            await close()


async def build_deps(settings: Settings) -> StageDeps:
    """Load the models and connect the graph; slow, so done before the worker joins its group."""
    from agents.wiring import build_context
    from speech.stt import make_stt
    from speech.tts import make_tts

    stt, tts = make_stt(settings), make_tts(settings)
    await stt.warm_up()
    await tts.warm_up()
    return StageDeps(settings=settings, store=AudioStore(settings), stt=stt, tts=tts,
                     agents=await build_context(settings))
