"""Fault injection for drills and tests: lose a stage's events the way a broken delivery does.

``AURASENSE_CHAOS_DROP=respond:1`` makes the worker acknowledge the first event the ``respond``
stage would process without processing it (its offset is committed, the session does not move
on), which is what streams/sweeper.py must repair. Redeliveries the stage skips anyway do not
count: losing one would change nothing. Empty (the default): no fault.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)


class DropChaos:
    def __init__(self, spec: str, stages: tuple[str, ...]) -> None:
        self.left: Counter = Counter()
        for part in filter(None, (p.strip() for p in spec.split(","))):
            stage, _, count = part.partition(":")
            if stage not in stages or not count.isdigit():
                raise ValueError(f"AURASENSE_CHAOS_DROP: expected stage:count with a stage of "
                                 f"{', '.join(stages)}; got {part!r}")
            self.left[stage] += int(count)
        if self.left:
            log.warning("chaos drill on: events to lose per stage %s (AURASENSE_CHAOS_DROP)", dict(self.left))

    def armed(self, stage: str) -> bool:
        """Whether ``drops`` may still lose one of ``stage``'s events."""
        return self.left[stage] > 0

    def drops(self, stage: str, message: Any) -> bool:
        """Whether to lose this event (logged, so a drill is never mistaken for a defect)."""
        if not self.armed(stage):
            return False
        self.left[stage] -= 1
        log.warning("chaos: %s event %s/%d@%d acknowledged and not processed (AURASENSE_CHAOS_DROP)",
                    stage, message.topic, message.partition, message.offset)
        return True
