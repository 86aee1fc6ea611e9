"""Runs the ingest stage for one bucket notification: the I/O around ``stages.ingest.process``.

A notification carries S3 event JSON, not a session event, and may hold several records: every
valid record goes on as an ``AudioUploaded`` (to the stage's sink), each invalid one is
dead-lettered alone with its origin, and an object already seen (bucket, key, version, eTag,
sequencer in ``seen-objects``) is not sent twice. Before an object counts as seen, where its
upload landed on the log is noted on its session (``UploadLogged``), for the sweeper.
"""

from __future__ import annotations

import logging
from typing import Any

from schemas.events import UploadLogged
from schemas.records import SchemaError
from schemas.s3_events import parse_bucket_records
from streams.log_position import LogPosition
from streams.outbox import Outbox

log = logging.getLogger(__name__)


class IngestRunner:
    def __init__(self, stage: Any, settings: Any, seen_objects: Any, outbox: Outbox) -> None:
        self.stage, self.settings, self.seen, self.outbox = stage, settings, seen_objects, outbox

    async def handle(self, value: bytes, origin: Any) -> None:
        try:
            objects, errors = parse_bucket_records(value)
        except SchemaError as exc:
            errors, objects = [exc], []
        for error in errors:
            await self.outbox.dead_letter(self.stage.name, origin, value, error)
        for obj in objects:
            await self._ingest(obj)

    async def _ingest(self, obj: Any) -> None:
        uploaded = self.stage.process(obj, self.settings)
        if uploaded is None:
            return
        if self.seen.get(obj.identity):
            log.info("ingest: duplicate notification for %s/%s ignored", obj.bucket, obj.key)
            return
        sent = await self.outbox.send_event(uploaded, self.stage.sink)
        await self.outbox.send_event(UploadLogged(session_id=uploaded.session_id, user_id=uploaded.user_id,
                                                  attempt=uploaded.attempt, at=str(LogPosition.of(sent))))
        self.seen[obj.identity] = True
