"""The stall guard's decision: rejoin only when events are parked and nothing is running."""

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

    def assignment(self):
        return set(self._highwaters)

    def highwater(self, tp):
        return self._highwaters[tp]


def guard_for(highwaters, committed, rebalancing=False):
    app = SimpleNamespace(consumer=FakeConsumer(highwaters, committed), rebalancing=rebalancing)
    guard = StallGuard(app, idle_s=10)
    guard.rejoins = 0
    guard._rejoin = lambda: setattr(guard, "rejoins", guard.rejoins + 1)
    return guard


def test_parked_events_on_an_idle_worker_trigger_a_rejoin():
    guard = guard_for({UPLOADED: 5, CHANGELOG: 9}, {UPLOADED: 4, CHANGELOG: 0})
    assert guard.parked() == [UPLOADED]  # changelogs are the tables' business
    guard.last_progress = time.monotonic() - 11
    asyncio.run(guard.check())
    assert guard.rejoins == 1


def test_no_rejoin_while_busy_recently_active_rebalancing_or_caught_up():
    for guard, idle in ((guard_for({UPLOADED: 5}, {UPLOADED: 4}), 1),
                        (guard_for({UPLOADED: 5}, {UPLOADED: 4}, rebalancing=True), 60),
                        (guard_for({UPLOADED: 5}, {UPLOADED: 5}), 60)):
        guard.last_progress = time.monotonic() - idle
        asyncio.run(guard.check())
        assert guard.rejoins == 0

    busy = guard_for({UPLOADED: 5}, {UPLOADED: 4})

    async def while_working():
        async with busy.working():
            busy.last_progress = time.monotonic() - 60
            await busy.check()
    asyncio.run(while_working())
    assert busy.rejoins == 0
