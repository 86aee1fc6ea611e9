"""``aurasense replay``: select records of a topic; print them, save them, or re-publish them.

Re-publishing (``--into-pipeline``) sends each record back to its stage topic with its key;
the stages skip a (session, stage) that already ran, so this is idempotent. ``--reprocess``
sets the session events' ``attempt`` above any seen, so the stages run again as a new
attempt. Dead letters go back to their origin topic with their original payload.
"""

from __future__ import annotations

import argparse
import sys
import time

from aurasense.cli_common import (EXIT_FAILURE, EXIT_OK, UsageError, duration_s, run,
                                  settings_of, topic_alias)
from aurasense.ops.log import publish, read_all, topic_names
from aurasense.ops.records import (NotReplayable, replay_target, PIPELINE_TOPICS, SESSION_TOPICS, attempt_of, decode_value,
                                   from_json, json_line, matches_session, session_of, with_attempt)
from schemas import topics
from schemas.records import SchemaError
from streams.topic_reader import LogRecord


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "replay", parents=[common], help="print, save or re-publish records (dead letters too)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_argument_group("what to replay (filters combine)")
    src.add_argument("--topic", metavar="T", help="topic to read ('status' = session-status changelog)")
    src.add_argument("--from-file", metavar="F", help="records saved earlier with --to-file")
    src.add_argument("--from-offset", type=int, metavar="N", help="first offset (inclusive)")
    src.add_argument("--to-offset", type=int, metavar="M", help="last offset (inclusive)")
    src.add_argument("--partition", type=int, metavar="P", help="only this partition")
    src.add_argument("--since", type=duration_s, metavar="AGE", help="records newer than e.g. 30s, 10m, 2h")
    src.add_argument("--session", metavar="ID", help="only this session's records")
    out = p.add_argument_group("where to").add_mutually_exclusive_group()
    out.add_argument("--to-stdout", action="store_true", help="JSON lines on stdout (default)")
    out.add_argument("--to-file", metavar="F", help="JSON lines into F")
    out.add_argument("--into-pipeline", action="store_true", help="re-publish at the stage topic")
    p.add_argument("--reprocess", action="store_true",
                   help="with --into-pipeline: bump the attempt so stages run again")
    p.add_argument("--attempt", type=int, metavar="K", help="with --reprocess: this attempt number")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    if bool(args.topic) == bool(args.from_file):
        raise UsageError("give exactly one of --topic or --from-file")
    if (args.reprocess or args.attempt) and not args.into_pipeline:
        raise UsageError("--reprocess and --attempt need --into-pipeline")
    return run(_replay(args))


async def _replay(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    every = await _source(args, settings)
    chosen = [r for r in every if _selected(r, args)]
    if not chosen:
        print("replay: no records matched", file=sys.stderr)
        return EXIT_FAILURE
    if args.into_pipeline:
        messages = _republish_plan(chosen, every, args)
        if args.reprocess and not args.attempt:  # above any attempt already in the target topics
            targets = sorted({t for t, *_ in messages})
            messages = _republish_plan(chosen, every + await read_all(settings.kafka_bootstrap, targets), args)
        await publish(settings.kafka_bootstrap, [(t, k, v) for t, k, v, _ in messages])
        for topic, key, value, origin in messages:
            print(f"{origin.topic}[{origin.partition}]@{origin.offset} -> {topic} "
                  f"key={key.decode() if key else None} attempt={_attempt(value)}")
        print(f"replay: re-published {len(messages)} record(s)", file=sys.stderr)
    elif args.to_file:
        with open(args.to_file, "w", encoding="utf-8") as f:
            f.writelines(json_line(r) + "\n" for r in chosen)
        print(f"replay: wrote {len(chosen)} record(s) to {args.to_file}", file=sys.stderr)
    else:
        for r in chosen:
            print(json_line(r))
    return EXIT_OK


async def _source(args: argparse.Namespace, settings) -> list[LogRecord]:
    if args.from_file:
        with open(args.from_file, encoding="utf-8") as f:
            return [from_json(line) for line in f if line.strip()]
    topic = topic_alias(args.topic, settings)
    if topic not in await topic_names(settings.kafka_bootstrap):
        raise UsageError(f"no topic {topic!r}")
    return await read_all(settings.kafka_bootstrap, [topic])


def _selected(r: LogRecord, args: argparse.Namespace) -> bool:
    if args.partition is not None and r.partition != args.partition:
        return False
    if args.from_offset is not None and r.offset < args.from_offset:
        return False
    if args.to_offset is not None and r.offset > args.to_offset:
        return False
    if args.since is not None and r.timestamp_ms < (time.time() - args.since) * 1000:
        return False
    return not args.session or matches_session(r, args.session)


Message = tuple[str, bytes | None, bytes, LogRecord]


def _republish_plan(chosen: list[LogRecord], every: list[LogRecord],
                    args: argparse.Namespace) -> list[Message]:
    plan = [_target(r) for r in chosen]
    if not args.reprocess:
        return plan
    latest: dict[str, Message] = {}  # one new attempt per session: its latest record
    for msg in plan:
        topic, key, value, origin = msg
        if topic not in SESSION_TOPICS:
            raise UsageError(f"cannot --reprocess a {topic} record (no attempt field); "
                             "replay the session's audio-uploaded record instead")
        sid = next(iter(session_of(LogRecord(topic, 0, 0, 0, key, value))), key.decode() if key else "")
        latest[sid] = msg
    seen = _max_attempts(every, plan)
    out = []
    for sid, (topic, key, value, origin) in latest.items():
        attempt = args.attempt or seen.get(sid, 1) + 1
        try:
            out.append((topic, key, with_attempt(value, attempt), origin))
        except SchemaError as exc:
            raise UsageError(f"{origin.topic}@{origin.offset}: {exc}") from None
    return out


def _target(r: LogRecord) -> Message:
    try:
        return replay_target(r)
    except NotReplayable as exc:
        raise UsageError(str(exc)) from None


def _max_attempts(every: list[LogRecord], plan: list[Message]) -> dict[str, int]:
    """The highest attempt seen per session, in the source topic and the records to send."""
    out: dict[str, int] = {}
    for r in every + [LogRecord(t, 0, 0, 0, k, v) for t, k, v, _ in plan]:
        for sid in session_of(r):
            out[sid] = max(out.get(sid, 1), attempt_of(r))
    return out


def _attempt(value: bytes) -> object:
    data = decode_value(value)
    return data.get("attempt", "-") if isinstance(data, dict) else "-"
