"""``aurasense tail``: decoded records of one topic, or of every pipeline topic."""

from __future__ import annotations

import argparse
import asyncio
import sys

from aurasense.cli_common import EXIT_OK, UsageError, run, settings_of, topic_alias
from aurasense.ops.log import follow, next_positions, read_all, topic_names
from aurasense.ops.records import PIPELINE_TOPICS, json_line, matches_session, pretty


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "tail", parents=[common], help="print decoded records of a topic (or all)",
        description="Print decoded records. TOPIC is a topic name, 'all' (every pipeline topic, "
                    "merged by time) or 'status' (the session-status changelog). Without "
                    "--from-beginning the last --lines records are shown; --session always "
                    "shows the session's whole history.")
    p.add_argument("topic", metavar="TOPIC|all|status")
    p.add_argument("--session", metavar="ID",
                   help="only this session's records (key, session_id, or the S3 object key)")
    p.add_argument("--json", action="store_true", help="JSON lines instead of pretty text")
    p.add_argument("--from-beginning", action="store_true", help="every record, not the last --lines")
    p.add_argument("-n", "--lines", type=int, default=20, metavar="N",
                   help="how many of the latest records to show (default 20)")
    p.add_argument("--follow", action=argparse.BooleanOptionalAction, default=False,
                   help="keep printing new records until Ctrl-C (default: --no-follow)")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    try:
        return run(_tail(args))
    except KeyboardInterrupt:
        return EXIT_OK


async def _tail(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    names = await _resolve(args.topic, settings)
    records = await read_all(settings.kafka_bootstrap, names)
    shown = [r for r in records if not args.session or matches_session(r, args.session)]
    if not (args.from_beginning or args.session):
        shown = shown[-args.lines:] if args.lines > 0 else []
    show = json_line if args.json else pretty
    for r in shown:
        print(show(r), flush=True)
    if args.follow:
        try:
            async for r in follow(settings.kafka_bootstrap, names, next_positions(records)):
                if not args.session or matches_session(r, args.session):
                    print(show(r), flush=True)
        except asyncio.CancelledError:
            pass
    elif not shown:
        print("(no records)", file=sys.stderr)
    return EXIT_OK


async def _resolve(topic: str, settings) -> list[str]:
    existing = set(await topic_names(settings.kafka_bootstrap))
    names = list(PIPELINE_TOPICS) if topic == "all" else [topic_alias(topic, settings)]
    missing = [n for n in names if n not in existing]
    if topic != "all" and missing:
        raise UsageError(f"no topic {missing[0]!r} (topics: {', '.join(sorted(existing))})")
    return [n for n in names if n in existing]
