"""The lost-event sweeper's judgement, with a plain table, committed offsets and clock in hand;
the chaos drill that exercises it.

The real thing (a worker losing an event on a real broker, the sweeper sending it again) is
tests/test_pipeline_lost_events.py.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from faust.types import TP

from streams.chaos import DropChaos
from streams.log_position import LogPosition
from streams.sweeper import LostEventSweeper, waiting_on
from streams.topic_reader import LogRecord

ROUTED = "request-routed"


def _status(last_event: str | None, status: str = "processing") -> dict:
    return {"session_id": "s1", "status": status, "stage": "route", "last_event": last_event}


def test_a_status_waits_on_its_last_event_once_the_committed_offset_has_passed_it():
    committed = {(ROUTED, 0): 6}
    assert waiting_on(_status("request-routed/0@5"), committed) == LogPosition(ROUTED, 0, 5)
    assert waiting_on(_status("request-routed/0@6"), committed) is None  # not consumed yet
    assert waiting_on(_status("request-routed/1@5"), committed) is None  # another worker's
    assert waiting_on(_status("request-routed/0@5", "completed"), committed) is None
    assert waiting_on(_status(None), committed) is None  # stored before positions were recorded
    # sent again: the session now waits on the copy
    assert waiting_on(_status("request-routed/0@5"), committed, LogPosition(ROUTED, 0, 9)) is None
    assert waiting_on(_status("request-routed/0@5"), {(ROUTED, 0): 10},
                      LogPosition(ROUTED, 0, 9)) == LogPosition(ROUTED, 0, 9)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Outbox:
    """Where the sweeper sends: the records it sent, each landing at the log's next offset."""

    def __init__(self, next_offset: int) -> None:
        self.sent, self.next_offset = [], next_offset

    async def send_raw(self, topic, key, value):
        self.sent.append((topic, key, value))
        self.next_offset += 1
        return SimpleNamespace(topic=topic, partition=0, offset=self.next_offset - 1)


def _sweeper(table, committed, log_records, clock, rebalancing=False):
    app = SimpleNamespace(consumer=SimpleNamespace(_committed_offset=committed), rebalancing=rebalancing,
                          tables=SimpleNamespace(recovery=SimpleNamespace(
                              completed=SimpleNamespace(is_set=lambda: True))))
    reads = []

    async def read_record(where):
        reads.append(where)
        return log_records.get(where)
    sweeper = LostEventSweeper(app, table, Outbox(next_offset=8), read_record, grace_s=10, clock=clock)
    return sweeper, reads


def test_an_event_committed_past_for_the_grace_period_is_read_back_and_sent_again_once():
    where = LogPosition(ROUTED, 0, 5)
    table = {"s1": _status(str(where))}
    committed = {TP(ROUTED, 0): 8}
    record = LogRecord(ROUTED, 0, 5, 0, b"s1", b'{"session_id":"s1"}')
    copy = LogRecord(ROUTED, 0, 8, 0, b"s1", b'{"session_id":"s1"}')
    clock = Clock()
    sweeper, reads = _sweeper(table, committed, {where: record, LogPosition(ROUTED, 0, 8): copy}, clock)

    asyncio.run(sweeper.check())
    clock.now = 9.9
    asyncio.run(sweeper.check())
    assert sweeper.outbox.sent == [] and reads == []  # within the grace period: maybe in flight

    clock.now = 10.0
    asyncio.run(sweeper.check())
    assert reads == [where]
    assert sweeper.outbox.sent == [(ROUTED, b"s1", b'{"session_id":"s1"}')]  # the very record
    assert sweeper.actions["resent"] == 1

    clock.now = 30.0  # the copy (offset 8) is not consumed yet: nothing more to do
    asyncio.run(sweeper.check())
    assert sweeper.actions["resent"] == 1

    committed[TP(ROUTED, 0)] = 9  # the copy consumed too, and still nothing moved: again
    asyncio.run(sweeper.check())
    clock.now = 40.0
    asyncio.run(sweeper.check())
    assert sweeper.actions["resent"] == 2 and reads[-1] == LogPosition(ROUTED, 0, 8)

    table["s1"] = _status("audio-responded/0@3", "completed")  # it moved on
    asyncio.run(sweeper.check())
    assert sweeper.lost(clock.now + 100) == {} and sweeper._copies == {}


def test_nothing_is_judged_during_a_rebalance():
    table = {"s1": _status("request-routed/0@5")}
    clock = Clock()
    sweeper, reads = _sweeper(table, {TP(ROUTED, 0): 8}, {}, clock, rebalancing=True)
    for clock.now in (0.0, 20.0, 40.0):
        asyncio.run(sweeper.check())
    assert reads == [] and sweeper.outbox.sent == []


def test_an_event_the_log_no_longer_has_is_reported_once(caplog):
    table = {"s1": _status("request-routed/0@5")}
    clock = Clock()
    sweeper, reads = _sweeper(table, {TP(ROUTED, 0): 8}, {}, clock)
    for clock.now in (0.0, 10.0, 20.0, 30.0):
        asyncio.run(sweeper.check())
    assert reads == [LogPosition(ROUTED, 0, 5)] and sweeper.outbox.sent == []
    assert sweeper.actions["unreadable"] == 1
    assert [r.levelname for r in caplog.records if "no longer has it" in r.getMessage()] == ["ERROR"]


def test_a_log_position_reads_back_what_it_prints():
    where = LogPosition("audio-transcribed", 3, 42)
    assert str(where) == "audio-transcribed/3@42"
    assert LogPosition.parse(str(where)) == where
    try:
        LogPosition.parse("audio-transcribed@42")
    except ValueError as exc:
        assert "topic/partition@offset" in str(exc)
    else:
        raise AssertionError("a position without a partition was accepted")


def test_a_chaos_drill_loses_exactly_what_it_says_and_refuses_a_typo():
    stages = ("transcribe", "route", "respond")
    chaos = DropChaos("respond:2", stages)
    message = SimpleNamespace(topic=ROUTED, partition=0, offset=1)
    assert [chaos.drops("respond", message) for _ in range(3)] == [True, True, False]
    assert not chaos.drops("route", message)
    assert not DropChaos("", stages).drops("respond", message)
    with pytest.raises(ValueError, match="'respnd:1'"):
        DropChaos("respnd:1", stages)
