"""``aurasense topics``: every topic with its partitions and records."""

from __future__ import annotations

import argparse

from aurasense.cli_common import EXIT_OK, run, settings_of
from aurasense.ops.log import describe_topics
from aurasense.ops.stats import format_table


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("topics", parents=[common], help="list topics with partition and record counts",
                       description="List the broker's topics with partition counts and record counts "
                                   "(log end from a Fetch high watermark).")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    settings = settings_of(args)
    infos = run(describe_topics(settings.kafka_bootstrap))
    if args.json:
        import orjson
        print(orjson.dumps([i.__dict__ for i in infos]).decode())
    else:
        print(format_table(["topic", "partitions", "records"],
                           [[i.name, i.partitions, i.records] for i in infos]))
    return EXIT_OK
