"""streams.delivery.consume with lanes: partitions side by side, each partition in offset order,
an event acked only after its handler and the flush, nothing acked past an unfinished event."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from streams.delivery import consume


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int

    @property
    def tp(self) -> tuple[str, int]:
        return (self.topic, self.partition)


@dataclass
class Event:
    message: Message
    log: list = field(repr=False)
    value: bytes = b""

    def ack(self) -> None:
        self.log.append(("ack", self.message.partition, self.message.offset))


class Stream:
    """What consume reads: ``noack().events()``, here a fixed list then an idle wait."""

    def __init__(self, events: list[Event]) -> None:
        self._events = events

    def noack(self) -> "Stream":
        return self

    async def events(self):
        for event in self._events:
            yield event
        await asyncio.Event().wait()  # a live stream: no more events, never ends


class Handlers:
    """Handlers that wait until the test releases them, recording what ran when."""

    def __init__(self, log: list) -> None:
        self.log, self.gates, self.running, self.most = log, {}, 0, 0

    def gate(self, partition: int, offset: int) -> asyncio.Event:
        return self.gates.setdefault((partition, offset), asyncio.Event())

    async def handle(self, event: Event) -> None:
        key = (event.message.partition, event.message.offset)
        self.running += 1
        self.most = max(self.most, self.running)
        self.log.append(("start", *key))
        try:
            await self.gate(*key).wait()
        finally:
            self.running -= 1
        self.log.append(("done", *key))

    async def flush(self) -> None:
        self.log.append(("flush",))


async def no_dead_letter(event, exc) -> None:
    raise AssertionError(f"dead-lettered {event.message}: {exc}")


def events(log: list, *where: tuple[int, int]) -> list[Event]:
    return [Event(Message("audio-uploaded", p, o), log) for p, o in where]


async def until(condition, timeout: float = 2.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.001)


def started(log: list) -> set:
    return {(e[1], e[2]) for e in log if e[0] == "start"}


def acked(log: list) -> list:
    return [(e[1], e[2]) for e in log if e[0] == "ack"]


async def run(stream: Stream, handlers: Handlers, lanes: int) -> asyncio.Task:
    return asyncio.ensure_future(consume(stream, handlers.handle, handlers.flush, no_dead_letter,
                                         attempts=1, lanes=lanes))


def test_two_partitions_at_once_one_partition_in_order():
    async def scenario() -> None:
        log: list = []
        handlers = Handlers(log)
        task = await run(Stream(events(log, (0, 10), (0, 11), (1, 20))), handlers, lanes=2)
        await until(lambda: started(log) == {(0, 10), (1, 20)})  # two partitions side by side
        await asyncio.sleep(0.02)
        assert (0, 11) not in started(log)  # its partition's earlier event is not done
        handlers.gate(1, 20).set()
        await until(lambda: (1, 20) in acked(log))
        assert (0, 11) not in started(log)
        handlers.gate(0, 11).set()  # released first: must still wait for offset 10
        await asyncio.sleep(0.02)
        assert (0, 11) not in started(log) and acked(log) == [(1, 20)]
        handlers.gate(0, 10).set()
        await until(lambda: len(acked(log)) == 3)
        assert acked(log) == [(1, 20), (0, 10), (0, 11)]
        assert handlers.most == 2
        task.cancel()
    asyncio.run(scenario())


def test_each_ack_follows_its_handler_and_a_flush():
    async def scenario() -> None:
        log: list = []
        handlers = Handlers(log)
        for key in ((0, 1), (1, 1), (2, 1)):
            handlers.gate(*key).set()
        task = await run(Stream(events(log, (0, 1), (1, 1), (2, 1))), handlers, lanes=2)
        await until(lambda: len(acked(log)) == 3)
        for p, o in acked(log):
            at = log.index(("ack", p, o))
            done = log.index(("done", p, o))
            assert ("flush",) in log[done + 1:at]
        task.cancel()
    asyncio.run(scenario())


def test_never_more_handlers_than_lanes():
    async def scenario() -> None:
        log: list = []
        handlers = Handlers(log)
        task = await run(Stream(events(log, (0, 1), (1, 1), (2, 1), (3, 1))), handlers, lanes=2)
        await until(lambda: len(started(log)) == 2)
        await asyncio.sleep(0.02)
        assert len(started(log)) == 2
        for key in list(started(log)):
            handlers.gate(*key).set()
        await until(lambda: len(started(log)) == 4)
        for key in ((0, 1), (1, 1), (2, 1), (3, 1)):
            handlers.gate(*key).set()
        await until(lambda: len(acked(log)) == 4)
        assert handlers.most == 2
        task.cancel()
    asyncio.run(scenario())


def test_stopping_leaves_work_in_flight_unacked():
    async def scenario() -> None:
        log: list = []
        handlers = Handlers(log)
        handlers.gate(1, 5).set()
        task = await run(Stream(events(log, (0, 4), (0, 5), (1, 5))), handlers, lanes=2)
        await until(lambda: (1, 5) in acked(log) and (0, 4) in started(log))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        handlers.gate(0, 4).set()
        handlers.gate(0, 5).set()
        await asyncio.sleep(0.02)
        assert acked(log) == [(1, 5)]  # partition 0's events come again after a restart
    asyncio.run(scenario())


def test_one_lane_is_the_plain_loop():
    async def scenario() -> None:
        log: list = []
        handlers = Handlers(log)
        task = await run(Stream(events(log, (0, 1), (1, 1))), handlers, lanes=1)
        await until(lambda: started(log) == {(0, 1)})
        await asyncio.sleep(0.02)
        assert started(log) == {(0, 1)}  # one at a time, whatever the partition
        handlers.gate(0, 1).set()
        handlers.gate(1, 1).set()
        await until(lambda: len(acked(log)) == 2)
        assert acked(log) == [(0, 1), (1, 1)]
        task.cancel()
    asyncio.run(scenario())


def test_only_transcribe_gets_lanes_as_many_as_whisper_runs_at_once():
    from core.settings import Settings
    from streams.pipeline import STAGES, stage_lanes

    two = Settings(stt_parallel=2)
    assert stage_lanes("transcribe", two) == 2
    assert stage_lanes("transcribe", Settings(stt_parallel=1)) == 1  # the plain loop
    assert {s.name: stage_lanes(s.name, two) for s in STAGES if s.name != "transcribe"} == \
        dict.fromkeys((s.name for s in STAGES if s.name != "transcribe"), 1)
