"""Evaluation lines spoken and heard: each line rendered in its two conditions
(``bench.speech_render``) and transcribed as the transcribe stage hears it
(``bench.speech_transcribe``), both cached.  The one loop the speech benchmarks share.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from core.settings import Settings


class Take(NamedTuple):
    """One rendering of a line and what was heard of it."""

    line: dict
    condition: Any  # bench.speech_render.Condition
    heard: Any  # bench.speech_transcribe.Heard (its compute_s is the STT time)
    render_s: float  # time to render (or read from the cache) this take's WAV


class SpeechTakes:
    """``takes(lines)`` yields a ``Take`` per line and condition and prints progress; it closes
    the transcriber when done.  ``renderer``, ``transcriber``, ``conditions_for``: the real ones
    unless given (a test passes fakes)."""

    def __init__(self, settings: Settings, renderer=None, transcriber=None,
                 conditions_for: Callable[[str], Iterable] | None = None) -> None:
        if renderer is None or transcriber is None or conditions_for is None:
            # imported here: the speech stack loads only for a speech run
            from bench import speech_render
            from bench.speech_transcribe import Transcriber

            renderer = renderer or speech_render.SpeechRenderer(settings)
            transcriber = transcriber or Transcriber(settings)
            conditions_for = conditions_for or speech_render.conditions_for
        self.renderer, self.transcriber, self.conditions_for = renderer, transcriber, conditions_for

    def takes(self, lines: list[dict], every: int = 50,
              progress_note: Callable[[], str] = lambda: "") -> Iterator[Take]:
        """Every ``every`` lines a progress line, ending with ``progress_note()`` (", 12 kept")."""
        started = time.perf_counter()
        try:
            for n, line in enumerate(lines, 1):
                for condition in self.conditions_for(line["id"]):
                    t0 = time.perf_counter()
                    wav = self.renderer.render(line["text"], condition)
                    render_s = time.perf_counter() - t0
                    yield Take(line, condition, self.transcriber.transcribe(wav), render_s)
                if n % every == 0:
                    print(f"  {n}/{len(lines)} lines, {time.perf_counter() - started:.0f} s "
                          f"({self.renderer.rendered} rendered, {self.transcriber.transcribed} transcribed"
                          f"{progress_note()})", flush=True)
        finally:
            self.transcriber.close()
