"""The end-to-end reconciler: send again a session event that was committed but never processed.

Whatever the cause (a Faust defect that streams/faust_compat.py does not know yet, a drill's
injected loss), a lost event leaves the same trace, and it is caught here by that trace.

Every status records where its latest event is on the log (``last_event``). A stage records
the next step before its input is acknowledged, so a session that is not finished, whose
latest event is behind the committed offset of its partition and which has not moved on for
``grace_s``, had that event lost. It is read back from the log and sent again; stages skip
what already ran, so a needless copy would do no harm. Only the worker owning the partition
(the one committing it) judges its sessions, and nothing is judged during a rebalance.
Not seen here: an ``audio-uploaded`` event lost before transcribe first records its session.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Any, Awaitable, Callable, Mapping

from streams.faust_compat import committed_offsets
from streams.log_position import LogPosition
from streams.outbox import Outbox
from streams.topic_reader import LogRecord

log = logging.getLogger(__name__)

FINISHED = ("completed", "failed")
ReadRecord = Callable[[LogPosition], Awaitable[LogRecord | None]]


def waiting_on(status: Mapping[str, Any], committed: Mapping[tuple[str, int], int | None],
               copy: LogPosition | None = None) -> LogPosition | None:
    """The event a stored status waits on, if the committed offset of its partition (by
    ``(topic, partition)``, only those this worker owns) has passed it.

    ``copy``: where that event was sent again, if it was; the session then waits on the copy.
    """
    if status.get("status") in FINISHED or not status.get("last_event"):
        return None
    where = copy or LogPosition.parse(status["last_event"])
    offset = committed.get((where.topic, where.partition))
    return where if offset is not None and where.offset < offset else None


class LostEventSweeper:
    def __init__(self, app: Any, table: Any, outbox: Outbox, read_record: ReadRecord,
                 grace_s: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.app, self.table, self.outbox, self.read_record = app, table, outbox, read_record
        self.grace_s, self.clock = grace_s, clock
        self._suspects: dict[str, tuple[LogPosition, float]] = {}  # session -> (event, since)
        self._copies: dict[str, tuple[str, LogPosition]] = {}  # session -> (last_event, its copy)
        self._unreadable: set[tuple[str, LogPosition]] = set()  # reported once, not read again
        self.actions: Counter = Counter()  # "resent", "unreadable" (/metrics)

    def lost(self, now: float) -> dict[str, LogPosition]:
        """Sessions whose event has been committed past, unprocessed, for ``grace_s`` or more."""
        committed = {(tp.topic, tp.partition): offset
                     for tp, offset in committed_offsets(self.app.consumer).items()}
        suspects, copies = {}, {}
        for session_id, status in list(self.table.items()):  # every 5 s: ~40 ms per 100k statuses
            if status.get("status") in FINISHED:
                continue
            copy = self._copies.get(session_id)
            if copy and copy[0] == status.get("last_event"):  # not moved on since: wait on the copy
                copies[session_id] = copy
            else:
                copy = None
            where = waiting_on(status, committed, copy[1] if copy else None)
            if where is None:
                continue
            seen = self._suspects.get(session_id)
            suspects[session_id] = seen if seen and seen[0] == where else (where, now)
        self._suspects, self._copies = suspects, copies
        return {sid: where for sid, (where, since) in suspects.items() if now - since >= self.grace_s}

    async def check(self) -> None:
        now = self.clock()
        if self.app.rebalancing or not self.app.tables.recovery.completed.is_set():
            self._suspects = {}  # committed offsets are being re-read: judge afresh after
            return
        for session_id, where in self.lost(now).items():
            if (session_id, where) in self._unreadable:
                continue
            try:
                await self._resend(session_id, where)
            except Exception as exc:  # the broker is away: the next sweep tries again
                log.warning("sweeper: could not send %s again for session %s: %s", where, session_id, exc)

    async def _resend(self, session_id: str, where: LogPosition) -> None:
        record = await self.read_record(where)
        if record is None:  # retention or compaction took it: nothing to send, say so loudly
            log.error("sweeper: session %s lost its event %s, and the log no longer has it",
                      session_id, where)
            self._unreadable.add((session_id, where))
            self.actions["unreadable"] += 1
            return
        sent = LogPosition.of(await self.outbox.send_raw(where.topic, record.key, record.value))
        log.warning("sweeper: session %s: its event %s was committed but never processed; "
                    "sent again as %s", session_id, where, sent)
        self.actions["resent"] += 1
        last_event = self.table[session_id].get("last_event")
        self._copies[session_id] = (last_event, sent)
        self._suspects.pop(session_id, None)
