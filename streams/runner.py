"""Runs one session stage for one event: the I/O around a stage's pure ``process``.

decode → skip if this stage already ran for the session (replays, duplicates) →
``process`` with bounded retries → emit the next event, then fold it into the status
table. An unparseable event goes to the dead-letter topic with its origin; a stage that
gives up marks the session ``failed`` with a readable reason. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from schemas import topics
from schemas.events import SessionEvent, SessionFailed
from schemas.records import SchemaError
from streams.carried_on import CarriedRuns
from streams.chaos import DropChaos
from streams.log_position import LogPosition
from streams.outbox import Outbox
from streams.status import StatusTable, stage_done

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    name: str
    source: str
    sink: str
    record: type[SessionEvent] | None  # None: S3 event JSON, run by streams/ingest_runner.py
    process: Callable[[Any, Any], Awaitable[SessionEvent]]
    records_input: bool = False  # the first session stage folds its input into the status
    carried_on: bool = False  # also run straight after the stage writing its source (carried_on.py)


class PermanentError(Exception):
    """A failure retrying cannot fix (the user's input)."""


def is_permanent(exc: BaseException) -> bool:
    from agents.providers.errors import AudioError
    from core.storage import ObjectMissing

    return isinstance(exc, (PermanentError, AudioError, SchemaError, ObjectMissing))


class StageRunner:
    def __init__(self, stage: Stage, deps: Any, statuses: StatusTable, outbox: Outbox,
                 attempts: int, backoff_s: float, chaos: DropChaos | None = None,
                 carried: CarriedRuns | None = None) -> None:
        self.stage, self.deps, self.statuses, self.outbox = stage, deps, statuses, outbox
        self.attempts, self.backoff_s, self.chaos = attempts, backoff_s, chaos
        self.carried = carried or CarriedRuns()
        self.then: StageRunner | None = None  # the stage carried on after this one, if any

    async def handle(self, value: bytes, origin: Any) -> None:
        try:
            event = self.stage.record.decode(value)
        except SchemaError as exc:
            await self.outbox.dead_letter(self.stage.name, origin, value, exc)
            return
        if await self.carried.ran(self.stage.name, event):
            return  # carried on straight after the stage before, in this worker: done and safe
        status = self.statuses.get(event.session_id)
        if self.stage.records_input:
            event = newer_content_is_a_new_attempt(event, status)
        if stage_done(status, self.stage.name, event.attempt):
            log.info("%s: session %s already done, skipped", self.stage.name, event.session_id)
            self.statuses.note_duplicate(event.session_id)
            return
        if self.chaos is not None and self.chaos.drops(self.stage.name, origin):
            return  # a drill (streams/chaos.py): acknowledged, never processed
        if self.stage.records_input and not await self._accept(event, origin):
            return
        await self._run(event)
        # One line per stage and session, with the record it came from: enough to follow a
        # session across workers and rebalances in the logs (``aurasense tail`` shows the events).
        log.info("%s: session %s done (%s)", self.stage.name, event.session_id, LogPosition.of(origin))

    async def _accept(self, event: SessionEvent, origin: Any) -> bool:
        status = self.statuses.record(event, at=str(LogPosition.of(origin)))
        if status.status == "failed":  # rejected before any work (empty, too large)
            await self.outbox.send_event(_failure(event, "ingest", status.error_message or "", 1))
            return False
        return True

    async def _run(self, event: SessionEvent, after: asyncio.Future | None = None) -> None:
        """``after``: the write of ``event`` itself, still going when carried on; awaited before
        this stage writes anything, so the log and the status keep the stages' order."""
        started = time.time()
        for attempt in range(1, self.attempts + 1):
            t0 = time.perf_counter()
            try:
                out = await self.stage.process(event, self.deps)
            except Exception as exc:  # a stage failure becomes a status, never a dead agent
                if is_permanent(exc) or attempt == self.attempts:
                    if after is not None:
                        await after
                    await self._fail(event, exc, attempt)
                    return
                log.warning("%s: attempt %d for %s failed: %s", self.stage.name, attempt,
                            event.session_id, exc)
                await asyncio.sleep(self.backoff_s * 2 ** (attempt - 1))
                continue
            compute_ms = (time.perf_counter() - t0) * 1000
            out = out.replace(timings=event.timed(self.stage.name, started, compute_ms, time.time()))
            if after is not None:
                await after
            if self.then is None:
                await self._emit(out, self.stage.sink, done=self.stage.name)
            else:
                await self._emit_and_carry_on(out)
            return

    async def _emit_and_carry_on(self, out: SessionEvent) -> None:
        """Emit ``out`` and run the next stage on it here (streams/carried_on.py) while the broker
        acknowledges it; its agent, reading ``out`` from the topic, waits for this run instead of
        repeating it. Returns only once ``out`` is written and the carried run is over."""
        then = self.then
        run = then.carried.start(then.stage.name, out)
        written = asyncio.ensure_future(self._emit(out, self.stage.sink, done=self.stage.name))
        ran = False
        try:
            await then.carry_on(out, written)
            ran = True
        finally:
            then.carried.finish(run, ran)
            await asyncio.shield(written)  # this stage's output is written even if the carried run was not

    async def carry_on(self, event: SessionEvent, written: asyncio.Future) -> None:
        """Run this stage on ``event``, whose write by the stage before is ``written``."""
        if stage_done(self.statuses.get(event.session_id), self.stage.name, event.attempt):
            return
        chaos = self.chaos
        if chaos is not None and chaos.armed(self.stage.name) and chaos.drops(self.stage.name, await written):
            return  # a drill: as if its agent had acked the event unprocessed
        await self._run(event, after=written)
        log.info("%s: session %s done, carried on (%s)", self.stage.name, event.session_id,
                 LogPosition.of(written.result()))

    async def _emit(self, out: SessionEvent, topic: str, done: str | None = None) -> Any:
        """Send ``out`` to ``topic`` (acknowledged), then record it in the status (``done``: the
        stage it is the output of). The delivery loop flushes the changelog before the input is
        acked (streams/delivery.py): one flush per event, in one place."""
        sent = await self.outbox.send_event(out, topic)
        self.statuses.record(out, at=str(LogPosition.of(sent)), done=done)
        return sent

    async def _fail(self, event: SessionEvent, exc: Exception, attempts: int) -> None:
        reason = str(exc) if is_permanent(exc) else (
            f"{self.stage.name} failed after {attempts} attempts: {type(exc).__name__}: {exc}")
        log.warning("%s: session %s failed: %s", self.stage.name, event.session_id, reason)
        await self._emit(_failure(event, self.stage.name, reason, attempts), topics.SESSION_FAILED)


def newer_content_is_a_new_attempt(event: Any, status: Any) -> Any:
    """New audio PUT at a session's key (another eTag, uploaded later) is the user speaking again:
    it runs as the next attempt of the same session, so they hear an answer to what they said
    last. A redelivered older upload changes nothing (it is skipped as a duplicate)."""
    etag = getattr(event, "etag", "")  # typed text has none: a retry is a duplicate, not new audio
    if status is None or not status.input_etag or not etag or etag == status.input_etag:
        return event
    if event.uploaded_at <= status.uploaded_at or event.attempt > status.attempt:
        return event
    return event.replace(attempt=status.attempt + 1)


def _failure(event: SessionEvent, stage: str, reason: str, attempts: int) -> SessionFailed:
    return SessionFailed(session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
                         timings=event.timings, stage=stage, error_message=reason, attempts=attempts)
