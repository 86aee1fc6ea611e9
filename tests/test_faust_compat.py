"""streams/faust_compat.py: never commit over an offset that was not acked; re-fetch records
fetched but not handed on. Each repair has a reproduction of the Faust behaviour on Kafka."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from faust.transport.drivers.aiokafka import Consumer as FaustConsumer
from faust.types import TP
from intervaltree import IntervalTree

from streams.faust_compat import SafeCommitConsumer

TP0 = TP("audio-uploaded", 0)


def consumer(cls, committed, acked, gaps=()):
    c = object.__new__(cls)  # only the offset bookkeeping is used
    c._committed_offset = defaultdict(lambda: None, {TP0: committed})
    c._acked = defaultdict(list, {TP0: list(acked)})
    c._acked_index = defaultdict(set, {TP0: set(acked)})
    c._gap = defaultdict(IntervalTree)
    for begin, end in gaps:
        c._gap[TP0].addi(begin, end)
    return c


def test_faust_alone_commits_over_one_missing_event_at_the_head():
    # offset 5 (the next to read) never acked, 6 and 7 acked: Faust commits 8, losing 5.
    assert consumer(FaustConsumer, 5, [6, 7])._new_offset(TP0) == 8
    assert consumer(FaustConsumer, None, [1, 2])._new_offset(TP0) == 3


@pytest.mark.parametrize("committed, acked, gaps, expected", [
    (5, [6, 7], (), None),  # the event at 5 is still missing: nothing to commit
    (None, [1, 2], (), None),  # never committed: offset 0 first
    (5, [5, 6, 8], (), 7),  # a run from the committed offset commits up to the hole
    (None, [0, 1], (), 2),
    (5, [6], [(5, 6)], 7),  # offset 5 does not exist on the broker (a known gap)
])
def test_safe_consumer_commits_only_a_run_starting_at_the_committed_offset(committed, acked, gaps, expected):
    assert consumer(SafeCommitConsumer, committed, acked, gaps)._new_offset(TP0) == expected


class Refetching(SafeCommitConsumer):
    """The refetch decision with the consumer's position and assignment in hand."""

    def __init__(self, positions, assigned):
        self.positions, self.assigned, self.seeks, self.flow_active = positions, assigned, [], True
        self.cleared_on_resume = {}
        self.app = SimpleNamespace(tables=SimpleNamespace(changelog_topics={CHANGELOG.topic}))

    def assignment(self):
        return self.assigned

    async def seek(self, tp, offset):
        self.seeks.append((tp, offset))


def records(*offsets):
    return [SimpleNamespace(offset=o) for o in offsets]


def refetch(c, batch, handed, monkeypatch):
    monkeypatch.setattr("streams.faust_compat.fetch_position", lambda consumer, tp: consumer.positions.get(tp))
    asyncio.run(c._refetch_dropped(batch, handed))
    return c.seeks


TP1 = TP("audio-uploaded", 1)
CHANGELOG = TP("aurasense-session-status-changelog", 0)


def test_records_fetched_but_not_handed_on_are_fetched_again(monkeypatch):
    c = Refetching({TP0: 9, TP1: 6}, {TP0, TP1})
    # flow stopped mid-batch: TP0 handed 7 of 7..8, TP1 handed nothing of 5
    assert refetch(c, {TP0: records(7, 8), TP1: records(5)}, {TP0: 7}, monkeypatch) == [(TP0, 8), (TP1, 5)]
    assert c.refetched_records == 2  # what /metrics reports


def test_a_whole_batch_handed_on_or_already_rewound_or_revoked_is_left_alone(monkeypatch):
    c = Refetching({TP0: 9, TP1: 7, CHANGELOG: 3}, {TP0, CHANGELOG})
    batch = {TP0: records(7, 8), TP1: records(5, 6), CHANGELOG: records(1, 2)}
    assert refetch(c, batch, {TP0: 8}, monkeypatch) == []  # TP0 all handed; TP1 revoked; tables' own
    c = Refetching({TP0: 7}, {TP0})  # a rebalance already sought back to the committed offset 7
    assert refetch(c, {TP0: records(7, 8)}, {}, monkeypatch) == []


def event(tp, offset, generation_id=2):
    return SimpleNamespace(message=SimpleNamespace(tp=tp, offset=offset, generation_id=generation_id))


def test_records_emptied_from_the_stream_buffers_when_the_flow_resumes_are_fetched_again(monkeypatch):
    """Faust's flow control empties every stream buffer on resume, after the rebalance's seek."""
    from mode.utils.queues import FlowControlEvent, FlowControlQueue

    from streams.faust_compat import keep_records_cleared_on_resume

    async def scenario():
        flow = FlowControlEvent(initially_suspended=False)
        routed, uploaded = (FlowControlQueue(flow_control=flow, clear_on_resume=True) for _ in range(2))
        for e in (event(TP0, 4, generation_id=1), event(TP0, 6), event(TP0, 5)):  # 4: before the rebalance
            routed.put_nowait(e)
        for e in (event(TP1, 3), event(CHANGELOG, 9)):
            uploaded.put_nowait(e)
        c = Refetching({TP0: 7, TP1: 4, CHANGELOG: 10}, {TP0, TP1, CHANGELOG})
        c.app.consumer_generation_id = 2
        keep_records_cleared_on_resume(flow, c)
        flow.resume()
        assert routed.empty() and uploaded.empty()  # Faust's behaviour, kept
        assert c.seeks == []  # the seek waits for the next getmany, between batches
        await c.rewind_cleared(c.cleared_on_resume)
        return c

    monkeypatch.setattr("streams.faust_compat.fetch_position", lambda consumer, tp: consumer.positions.get(tp))
    c = asyncio.run(scenario())
    # the first record of this generation per stream partition; tables recover on their own
    assert sorted(c.seeks) == sorted([(TP0, 5), (TP1, 3)])
    assert c.refetched_records == (7 - 5) + (4 - 3)


def test_refuses_to_start_on_versions_it_was_not_tested_with():
    from streams.faust_compat import TESTED, UntestedLibraryVersion, check_versions

    check_versions(installed=TESTED.__getitem__)  # the tested set passes
    newer = {**TESTED, "aiokafka": "0.15.0"}
    with pytest.raises(UntestedLibraryVersion, match="aiokafka 0.15.0"):
        check_versions(installed=newer.__getitem__)


# --- reproductions on the real broker ------------------------------------------------------------

@contextmanager
def _probe(settings, tmp_path, module: str, scheme: str, records: list, until: str, *args: str,
           topics: tuple[str, ...] = ()):
    """A fresh one-partition topic holding ``records`` (and ``topics``, named after it), then
    ``python -m tests.probes.<module> <scheme>://BROKER TOPIC GROUP *args`` until its log shows
    ``until``; yields (topic, the log's last line with ``until``)."""
    import os
    import sys
    import uuid
    from pathlib import Path

    from aurasense.ops.log import publish
    from stack.processes import ManagedProcess
    from streams.admin import create_topic

    repo = Path(__file__).resolve().parents[1]
    name = f"{module.rsplit('_', 1)[-1]}-{scheme}-{uuid.uuid4().hex[:6]}"
    for topic in (name, *(t.format(name=name) for t in topics)):
        asyncio.run(create_topic(settings, topic, partitions=1))
    asyncio.run(publish(settings.kafka_bootstrap, [(name, key, value) for key, value in records]))
    log = tmp_path / f"{name}.log"
    probe = ManagedProcess("probe", [sys.executable, "-m", f"tests.probes.{module}",
                                     f"{scheme}://{settings.kafka_bootstrap}", name, name, *args], log,
                           ready=lambda: until.encode() in log.read_bytes(), start_timeout=90,
                           # Faust writes its data directory into the working directory
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(repo)})
    probe.start()
    try:
        yield name, [line.strip() for line in log.read_text().splitlines() if until in line][-1]
    finally:
        probe.stop()


def _commit_probe(settings, tmp_path, scheme: str) -> int | None:
    """Run tests/probes/faust_commit.py with ``scheme``; the group's committed offset after."""
    from aiokafka import TopicPartition

    from aurasense.ops.lag import committed_offsets

    records = [(b"k", b"%d" % i) for i in range(3)]
    with _probe(settings, tmp_path, "faust_commit", scheme, records, "COMMITTED") as (name, _):
        tp = TopicPartition(name, 0)
        return asyncio.run(committed_offsets(settings.kafka_bootstrap, name, [tp]))[tp]


def test_faust_alone_commits_over_an_unacked_event_on_kafka(settings, tmp_path):
    assert _commit_probe(settings, tmp_path, "kafka") == 3  # offset 0 would be lost


def test_the_safe_consumer_never_commits_over_an_unacked_event_on_kafka(settings, tmp_path):
    assert _commit_probe(settings, tmp_path, "kafka-safe") is None


def _refetch_probe(settings, tmp_path, scheme: str, mode: str, until: str) -> str:
    """Run tests/probes/faust_refetch.py; the last ``DELIVERED`` line once its log shows ``until``."""
    records = [(b"k", b"%d" % i) for i in range(6)]
    with _probe(settings, tmp_path, "faust_refetch", scheme, records, until, mode) as (_, line):
        return line


ALL = "DELIVERED [0, 1, 2, 3, 4, 5]"


@pytest.mark.parametrize("mode", ["generation", "resume"])
def test_faust_alone_never_hands_on_the_records_it_dropped_on_kafka(settings, tmp_path, mode):
    # the end marker, sent after the drop, arrives; offsets 1-5 never do (fetch position past them)
    assert _refetch_probe(settings, tmp_path, "kafka", mode, "DELIVERED").endswith("DELIVERED [0]")


@pytest.mark.parametrize("mode", ["generation", "resume"])
def test_the_safe_consumer_fetches_dropped_records_again_on_kafka(settings, tmp_path, mode):
    assert _refetch_probe(settings, tmp_path, "kafka-safe", mode, ALL).endswith(ALL)


def test_after_a_rebalance_aiokafka_reads_an_uncommitted_partition_from_its_start(settings):
    """Why there is no repair for ``seek_to_committed`` skipping partitions committed at 0 or
    never: a new assignment resets every fetch position to the committed offset (or the reset
    policy's), so records fetched and dropped before the rebalance are read again anyway."""
    import uuid

    from aiokafka import AIOKafkaConsumer, TopicPartition

    from aurasense.ops.log import publish
    from streams.admin import create_topic

    name = f"reassign-{uuid.uuid4().hex[:6]}"

    async def scenario() -> tuple[int, int]:
        for topic in (name, name + "-other"):
            await create_topic(settings, topic, partitions=1)
        await publish(settings.kafka_bootstrap, [(name, b"k", b"%d" % i) for i in range(10)])
        tp = TopicPartition(name, 0)
        kwargs = dict(bootstrap_servers=settings.kafka_bootstrap, group_id=name,
                      enable_auto_commit=False, auto_offset_reset="earliest")
        first = AIOKafkaConsumer(name, **kwargs)
        await first.start()
        second = AIOKafkaConsumer(name + "-other", **kwargs)
        try:
            await first.getmany(tp, timeout_ms=10_000, max_records=5)
            before = await first.position(tp)
            await second.start()  # joins the group: a rebalance; ``first`` keeps its partition
            while not second.assignment():
                await first.getmany(timeout_ms=200, max_records=1)
            await first.seek_to_committed()  # what Faust calls after the rebalance: skips tp
            return before, await first.position(tp)
        finally:
            await first.stop()
            await second.stop()

    before, after = asyncio.run(scenario())
    assert before == 5
    assert after < before  # positions only move forward unless reset: read from offset 0 again


def _changelog_probe(settings, tmp_path, scheme: str) -> str:
    """Run tests/probes/faust_changelog_pause.py; its ``CHANGELOG`` line."""
    records = [(b"k%d" % i, b"%d" % i) for i in range(3)]
    with _probe(settings, tmp_path, "faust_changelog_pause", scheme, records, "CHANGELOG",
                topics=("{name}-{name}-table-changelog",)) as (_, line):
        return line


def test_faust_alone_fetches_its_paused_changelog_back_on_kafka(settings, tmp_path):
    # every table write comes back as a fetched record nobody reads (it held fetches back 100 ms)
    assert _changelog_probe(settings, tmp_path, "kafka").endswith("paused=0/1 unread=1")


def test_the_safe_consumer_pauses_the_changelog_in_aiokafka_too_on_kafka(settings, tmp_path):
    assert _changelog_probe(settings, tmp_path, "kafka-safe").endswith("paused=1/1 unread=0")
