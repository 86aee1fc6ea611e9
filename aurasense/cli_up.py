"""``aurasense up | status | down | demo``: run the product as a service on one data directory.

    aurasense up [--workers N] [--data-dir D] [--detach] [--no-demo]
    aurasense status [--data-dir D] [--json]
    aurasense down [--data-dir D]
    aurasense demo                          today's one-shot run: three utterances, then stop
"""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson

from aurasense import demo, up_runner, up_state
from aurasense.cli_common import EXIT_FAILURE, EXIT_OK, UsageError
from aurasense.ops.group import health
from core.settings import Settings

DEFAULT_DATA_DIR = Path(".aurasense") / "data"


def _data_dir_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="D",
                   help=f"where the log dirs, the bucket and the graph live (default {DEFAULT_DATA_DIR})")


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("up", help="start the product and stay up (Ctrl-C stops it)",
                       description="Start the local stack (Kafka, S3 server, graph, notifier), N workers and "
                                   "the gateway on one persistent data directory and stable ports (the "
                                   "AURASENSE_* settings), speak the three demo utterances through it, print "
                                   "the page URL, the S3 endpoint and the Kafka bootstrap, and stay up.")
    _data_dir_option(p)
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--detach", action="store_true", help="run in the background; `aurasense down` stops it")
    p.add_argument("--no-demo", dest="demo", action="store_false",
                   help="do not speak the three demo utterances at start")
    p.set_defaults(run=up)

    p = sub.add_parser("status", help="what `aurasense up` runs on a data directory, and where")
    _data_dir_option(p)
    p.add_argument("--json", action="store_true", help="print the state as JSON")
    p.set_defaults(run=status)

    p = sub.add_parser("down", help="stop a detached `aurasense up` cleanly")
    _data_dir_option(p)
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="seconds to wait for it to stop (default 120)")
    p.set_defaults(run=down)

    p = sub.add_parser("demo", help="one-shot run: start, speak three utterances, stop (exit 0 if all completed)")
    p.set_defaults(run=lambda _args: demo.main())


def up(args: argparse.Namespace) -> int:
    partitions = Settings.from_env().topic_partitions  # a worker without a partition is never ready
    if not 1 <= args.workers <= partitions:
        raise UsageError(f"--workers must be 1 to {partitions} (the partitions per topic, "
                         f"AURASENSE_TOPIC_PARTITIONS), not {args.workers}")
    if args.detach:
        return up_runner.detach(args.data_dir, args.workers, args.demo)
    return up_runner.run_foreground(args.data_dir, args.workers, args.demo)


def status(args: argparse.Namespace) -> int:
    state = up_state.running_state(args.data_dir)
    if state is None:
        stale = up_state.read_state(args.data_dir)
        note = f" (a state file of pid {stale['pid']} is left: it did not stop cleanly)" if stale else ""
        print(f"aurasense: nothing runs on {args.data_dir.resolve()}{note}")
        return EXIT_FAILURE
    state["gateway_health"] = {url: _readiness(health(url)) for url in state.get("gateways", [])}
    state["running_pids"] = [pid for pid in state.get("pids", []) if up_state.alive(pid)]
    if args.json:
        print(orjson.dumps(state, option=orjson.OPT_INDENT_2).decode())
        return EXIT_OK
    print(f"aurasense: {state['status']} (pid {state['pid']}), data in {state['data_dir']}")
    if state["status"] == "ready":
        print(f"  page:             {state['page']}")
        for url, said in state["gateway_health"].items():
            print(f"  gateway:          {url} ({said})")
        print(f"  S3 endpoint:      {state['s3_endpoint']} (bucket {state['bucket']})")
        print(f"  Kafka bootstrap:  {state['kafka_bootstrap']}")
        print(f"  processes:        {len(state['running_pids'])} of {len(state['pids'])} children running")
    return EXIT_OK


def _readiness(answer: dict) -> str:
    if not answer:
        return "unreachable"
    return "ready" if answer.get("ready") else "not ready (starting or rebalancing)"


def down(args: argparse.Namespace) -> int:
    return up_runner.down(args.data_dir, args.timeout)
