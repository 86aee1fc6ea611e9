"""The stall guard's decision: act only on events parked for a while with nothing running."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from faust.types import TP

from streams.stall_guard import StallGuard

UPLOADED, CHANGELOG = TP("audio-uploaded", 0), TP("aurasense-session-status-changelog", 0)


class FakeConsumer:
    def __init__(self, highwaters, committed):
        self._highwaters, self._committed_offset = highwaters, committed
        self.seeks = []

    async def seek(self, tp, offset):
        self.seeks.append((tp, offset))

    def assignment(self):
        return set(self._highwaters)

    def highwater(self, tp):
        return self._highwaters[tp]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def guard_for(highwaters, committed, rebalancing=False):
    app = SimpleNamespace(consumer=FakeConsumer(highwaters, committed), rebalancing=rebalancing)
    guard = StallGuard(app, idle_s=10, clock=Clock())
    guard.rejoins = 0
    guard._rejoin = lambda: setattr(guard, "rejoins", guard.rejoins + 1)
    return guard


def later(guard, seconds):
    """Let ``seconds`` pass, then run one check."""
    guard.clock.now += seconds
    asyncio.run(guard.check())


def test_parked_events_on_an_idle_worker_are_rewound_then_the_group_rejoined():
    guard = guard_for({UPLOADED: 5, CHANGELOG: 9}, {UPLOADED: 4, CHANGELOG: 0})
    assert guard.parked() == [UPLOADED]  # changelogs are the tables' business
    later(guard, 0)
    later(guard, 5)
    assert guard.app.consumer.seeks == []  # behind, but not yet for long
    later(guard, 6)
    assert guard.app.consumer.seeks == [(UPLOADED, 4)] and guard.rejoins == 0  # local first
    later(guard, 5)
    assert guard.rejoins == 0  # the rewind gets its time
    later(guard, 6)  # still parked after the rewind
    assert guard.rejoins == 1 and len(guard.app.consumer.seeks) == 1
    assert guard.actions == {"rewind": 1, "rejoin": 1}  # what /metrics reports


def test_a_partition_never_committed_is_rewound_to_its_start():
    guard = guard_for({UPLOADED: 2}, {})
    later(guard, 0)
    later(guard, 11)
    assert guard.app.consumer.seeks == [(UPLOADED, 0)]


def test_records_just_arrived_after_an_idle_spell_are_not_parked():
    """A worker idle for minutes, then given an event: not parked until it sits there idle_s."""
    guard = guard_for({UPLOADED: 4}, {UPLOADED: 4})
    later(guard, 300)  # idle and caught up
    guard.app.consumer._highwaters[UPLOADED] = 5  # an event arrives
    later(guard, 2.5)
    assert guard.app.consumer.seeks == []
    guard.app.consumer._committed_offset[UPLOADED] = 5  # ...and is processed
    later(guard, 2.5)
    later(guard, 60)
    assert guard.app.consumer.seeks == [] and guard.rejoins == 0


def test_a_rebalance_restarts_the_count():
    guard = guard_for({UPLOADED: 5}, {UPLOADED: 4})
    later(guard, 0)
    guard.app.rebalancing = True
    later(guard, 30)
    guard.app.rebalancing = False
    later(guard, 2.5)  # the partition was behind before the rebalance, but the count starts now
    assert guard.app.consumer.seeks == []
    later(guard, 10)
    assert guard.app.consumer.seeks == [(UPLOADED, 4)]


def test_no_rejoin_while_busy_recently_active_rebalancing_or_caught_up():
    for guard, idle in ((guard_for({UPLOADED: 5}, {UPLOADED: 4}), 1),
                        (guard_for({UPLOADED: 5}, {UPLOADED: 4}, rebalancing=True), 60),
                        (guard_for({UPLOADED: 5}, {UPLOADED: 5}), 60)):
        later(guard, 0)
        later(guard, idle)
        assert guard.rejoins == 0 and guard.app.consumer.seeks == []

    busy = guard_for({UPLOADED: 5}, {UPLOADED: 4})

    async def while_working():
        async with busy.working():
            busy.clock.now += 60
            await busy.check()
    asyncio.run(while_working())
    assert busy.rejoins == 0 and busy.app.consumer.seeks == []


def test_a_handler_running_too_long_is_reported_once_with_where_it_waits(caplog):
    guard = guard_for({UPLOADED: 5}, {UPLOADED: 4})
    guard.slow_s = 0.05

    async def stuck_in_a_thread():
        await asyncio.to_thread(time.sleep, 0.3)

    async def main():
        async with guard.working("transcribe audio-uploaded/1@7"):
            task = asyncio.create_task(guard_checks())
            await stuck_in_a_thread()
            return await task

    async def guard_checks():
        await asyncio.sleep(0.1)
        first = guard.report_slow()
        return first, guard.report_slow()

    with caplog.at_level("WARNING"):
        first, second = asyncio.run(main())
    assert first == ["transcribe audio-uploaded/1@7"] and second == []
    report = caplog.text
    assert "in stuck_in_a_thread" in report and "in to_thread" in report
    assert "threads:" in report
