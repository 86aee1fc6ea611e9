"""``aurasense``: operate the pipeline from a terminal.

    aurasense topics                       topics, partitions, record counts
    aurasense tail TOPIC|all|status        decoded records (--session, --json, --follow)
    aurasense replay --topic T ...         print, save or re-publish records (dead letters too)
    aurasense loadtest --uploads N ...     drive uploads through the pipeline, check none is lost
    aurasense drill a|b|c|d|all            crash drills on a throw-away local stack
    aurasense say TEXT                     typed text through the pipeline; prints the answer
    aurasense mcp [--transport stdio|http] the product's tools as an MCP server (cli_mcp.py)
    aurasense up / status / down / demo    run the product as a service on one data dir (cli_up.py)

Exit codes: 0 ok, 1 a failure was found (lost sessions, nothing matched), 2 usage error,
3 the broker or the gateway cannot be reached. Connection: ``--bootstrap`` and ``--app-id``,
defaulting to the ``AURASENSE_*`` environment (core.settings).
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

import httpx

from aurasense import cli_drill, cli_loadtest, cli_replay, cli_say, cli_tail, cli_topics
from aurasense import cli_mcp
from aurasense import cli_up
from aurasense.cli_common import EXIT_UNREACHABLE, EXIT_USAGE, UsageError
from aurasense.ops.loadgen import GatewayUnreachable
from aurasense.ops.log import BrokerUnreachable

COMMANDS = (cli_topics, cli_tail, cli_replay, cli_loadtest, cli_drill, cli_say, cli_up, cli_mcp)


def _connection_options(defaults_suppressed: bool) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if defaults_suppressed else None
    group = common.add_argument_group("connection")
    group.add_argument("--bootstrap", metavar="HOST:PORT", default=default,
                       help="Kafka bootstrap servers (default: AURASENSE_KAFKA_BOOTSTRAP or 127.0.0.1:9092)")
    group.add_argument("--app-id", metavar="ID", default=default,
                       help="Faust app id, names the table changelogs (default: AURASENSE_APP_ID or aurasense)")
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aurasense", parents=[_connection_options(False)],
        description="Operate the Aurasense pipeline: inspect topics, tail and replay records, load-test, "
                    "talk to it in typed text.",
        epilog="exit codes: 0 ok, 1 failure found, 2 usage error, 3 broker/gateway unreachable",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _connection_options(True)
    for command in COMMANDS:
        command.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return args.run(args)
    except UsageError as exc:
        print(f"aurasense {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (BrokerUnreachable, GatewayUnreachable) as exc:
        print(f"aurasense {args.command}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except httpx.TransportError as exc:
        print(f"aurasense {args.command}: cannot reach the gateway: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
