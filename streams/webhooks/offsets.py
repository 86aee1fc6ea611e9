"""Which changelog offsets the webhook deliverer may commit: every offset before the first one whose
delivery is still going on (deliveries run side by side, so a slow receiver holds back the
commit, never the other sessions' callbacks)."""

from __future__ import annotations

from typing import Hashable, Iterable


class OffsetTracker:
    def __init__(self) -> None:
        self._next: dict[Hashable, int] = {}  # per partition: the offset after the last one read
        self._open: dict[Hashable, set[int]] = {}  # per partition: offsets whose delivery runs
        self._committed: dict[Hashable, int] = {}

    def read(self, partition: Hashable, offset: int) -> None:
        self._next[partition] = max(self._next.get(partition, 0), offset + 1)

    def opened(self, partition: Hashable, offset: int) -> None:
        self._open.setdefault(partition, set()).add(offset)

    def closed(self, partition: Hashable, offset: int) -> None:
        self._open.get(partition, set()).discard(offset)

    def committable(self, partitions: Iterable[Hashable] | None = None) -> dict[Hashable, int]:
        """Per partition, the offset to commit now, where it moved since the last call."""
        moved = {}
        for partition in self._next if partitions is None else partitions:
            if partition not in self._next:
                continue
            waiting = self._open.get(partition)
            upto = min(waiting) if waiting else self._next[partition]
            if upto > self._committed.get(partition, -1):
                moved[partition] = self._committed[partition] = upto
        return moved

    def forget(self, partitions: Iterable[Hashable]) -> None:
        """Partitions this deliverer no longer holds (a rebalance): their new owner goes on."""
        for partition in partitions:
            for table in (self._next, self._open, self._committed):
                table.pop(partition, None)
