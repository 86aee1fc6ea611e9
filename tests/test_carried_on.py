"""A carried stage (streams/carried_on.py) runs straight after the stage before it, once: its own
agent, reading the same event from the topic, waits for the carried run and does not repeat it;
if the carried run did not finish, the agent runs the stage itself.  Plain events, no broker."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from schemas import topics
from schemas.events import AudioResponded
from streams.carried_on import CarriedRuns
from streams.chaos import DropChaos
from streams.pipeline import STAGES
from streams.runner import Stage, StageRunner
from streams.status import StatusTable
from tests.pipeline_helpers import RecordingOutbox
from tests.test_stage_units import NO_USERS, ORIGIN, unclear_speech


def linked(respond_process):
    """The route runner carrying on into a respond runner whose work is ``respond_process``."""
    by_name = {s.name: s for s in STAGES}
    route, respond = by_name["route"], by_name["respond"]
    assert respond.carried_on and respond.source == route.sink  # the table says so
    respond = Stage(respond.name, respond.source, respond.sink, respond.record, respond_process)
    statuses, outbox, carried = StatusTable({}), RecordingOutbox(), CarriedRuns()
    first = StageRunner(route, NO_USERS, statuses, outbox, 2, backoff_s=0.0, carried=carried)
    then = StageRunner(respond, None, statuses, outbox, 2, backoff_s=0.0, carried=carried)
    first.then = then
    return first, then, statuses, outbox


def reply(event):
    return AudioResponded(session_id=event.session_id, user_id=event.user_id, attempt=event.attempt,
                          timings=event.timings, agent=event.agent, text=event.text,
                          reply_text="Could you say that again?", reply_bucket="audio",
                          reply_key=f"replies/u1/{event.session_id}.wav", reply_url="http://s3.test/r")


def test_the_next_stage_runs_in_the_same_task_and_its_agent_does_not_repeat_it():
    calls, gate = [], None

    async def respond(event, deps):
        calls.append(event.session_id)
        await gate.wait()  # still working when the agent reads the routed event
        return reply(event)

    first, then, statuses, outbox = linked(respond)

    async def drill():
        nonlocal gate
        gate = asyncio.Event()
        carrying = asyncio.ensure_future(first.handle(unclear_speech().encode(), ORIGIN))
        while not outbox.sent:  # route's output is on its topic ...
            await asyncio.sleep(0)
        [(topic, routed)] = outbox.sent
        assert topic == topics.REQUEST_ROUTED
        origin = SimpleNamespace(topic=topic, partition=0, offset=0, key=b"s1")
        reading = asyncio.ensure_future(then.handle(routed.encode(), origin))  # ... its agent reads it
        await asyncio.sleep(0.01)
        assert not reading.done()  # the agent waits: no ack before the carried run's outputs are safe
        gate.set()
        await asyncio.gather(carrying, reading)

    asyncio.run(drill())
    assert calls == ["s1"]  # respond ran once
    assert [t for t, _ in outbox.sent] == [topics.REQUEST_ROUTED, topics.AUDIO_RESPONDED]
    status = statuses.get("s1")
    assert status.status == "completed" and status.stages_done == ["route", "respond"]
    assert status.duplicates_ignored == 0  # the agent's read is not a duplicate


class AckedOnRelease(RecordingOutbox):
    """A broker that acknowledges the routed record only when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def send_event(self, event, topic=None):
        if topic == topics.REQUEST_ROUTED:
            await self.release.wait()
        return await super().send_event(event, topic)


def test_the_carried_stage_works_while_its_input_is_acknowledged_but_writes_only_after():
    seen_unacked = []

    async def respond(event, deps):
        seen_unacked.append(not outbox.sent)  # the routed record is not acknowledged yet
        return reply(event)

    first, then, statuses, _ = linked(respond)
    outbox = first.outbox = then.outbox = AckedOnRelease()
    then.chaos = DropChaos("", ("route", "respond"))  # as in every worker: no drill, no wait

    async def drill():
        carrying = asyncio.ensure_future(first.handle(unclear_speech().encode(), ORIGIN))
        for _ in range(100):  # respond runs at once, without waiting for the ack
            if seen_unacked:
                break
            await asyncio.sleep(0)
        assert seen_unacked, "respond waited for the broker"
        for _ in range(10):
            await asyncio.sleep(0)
        assert outbox.sent == [] and not carrying.done()  # respond's reply waits for the ack
        outbox.release.set()
        await carrying

    asyncio.run(drill())
    assert seen_unacked == [True]
    assert [t for t, _ in outbox.sent] == [topics.REQUEST_ROUTED, topics.AUDIO_RESPONDED]
    assert statuses.get("s1").stages_done == ["route", "respond"]


def test_a_carried_run_that_did_not_finish_is_left_to_the_stages_agent():
    calls = []

    async def respond(event, deps):
        calls.append(event.session_id)
        if len(calls) == 1:
            raise asyncio.CancelledError  # the worker stopping mid-run
        return reply(event)

    first, then, statuses, outbox = linked(respond)

    async def drill():
        try:
            await first.handle(unclear_speech().encode(), ORIGIN)
        except asyncio.CancelledError:
            pass
        [(_, routed)] = outbox.sent
        await then.handle(routed.encode(), SimpleNamespace(topic=topics.REQUEST_ROUTED, partition=0,
                                                           offset=0, key=b"s1"))

    asyncio.run(drill())
    assert calls == ["s1", "s1"]  # the agent ran it
    assert statuses.get("s1").status == "completed"


def test_the_register_is_bounded():
    async def fill():
        carried = CarriedRuns(keep=2)
        events = [SimpleNamespace(session_id=f"s{i}", attempt=1) for i in range(3)]
        runs = [carried.start("respond", e) for e in events]
        assert not await carried.ran("respond", events[0])  # evicted: the agent decides by status
        carried.finish(runs[2], True)
        assert await carried.ran("respond", events[2])
        assert not await carried.ran("respond", events[2])  # claimed once

    asyncio.run(fill())
