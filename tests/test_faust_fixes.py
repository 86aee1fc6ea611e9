"""The commit rule of streams/faust_fixes.py: never commit over an offset that was not acked."""

from __future__ import annotations

from collections import defaultdict

import pytest
from faust.transport.drivers.aiokafka import Consumer as FaustConsumer
from faust.types import TP
from intervaltree import IntervalTree

from streams.faust_fixes import SafeCommitConsumer

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
