"""``aurasense drill``: kill a part of a local pipeline with uploads in flight; nothing may be lost."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import orjson

from aurasense.cli_common import EXIT_FAILURE, EXIT_OK, UsageError
from aurasense.ops import drills
from aurasense.ops.stats import format_table


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "drill", parents=[common], help="crash drills on a throw-away local stack",
        description=drills.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("drills", nargs="*", default=["all"], metavar="DRILL",
                   help="a, b, c, d or all (default: all)")
    p.add_argument("--uploads", type=int, default=12, metavar="N", help="uploads per drill (default 12)")
    p.add_argument("--rate", type=float, default=0.5, metavar="R", help="uploads per second (default 0.5)")
    p.add_argument("--timeout", type=float, default=240.0, metavar="S",
                   help="seconds after the last upload before an unfinished session counts as lost")
    p.add_argument("--keep", metavar="DIR", help="keep each drill's stack and logs under DIR")
    p.add_argument("--json", metavar="FILE", help="write the reports as JSON to FILE")
    p.set_defaults(run=main)


def main(args: argparse.Namespace) -> int:
    keys = list(drills.DRILLS) if args.drills in (["all"], []) else args.drills
    unknown = [k for k in keys if k not in drills.DRILLS]
    if unknown:
        raise UsageError(f"unknown drill(s) {', '.join(unknown)}: choose from a, b, c, d, all")
    reports = []
    for key in keys:
        if args.keep:
            root = Path(args.keep) / f"drill-{key}"
            root.mkdir(parents=True, exist_ok=True)
            reports.append(drills.run(drills.DRILLS[key], root, args.uploads, args.rate, args.timeout))
        else:
            with tempfile.TemporaryDirectory(prefix=f"aurasense-drill-{key}-") as tmp:
                reports.append(drills.run(drills.DRILLS[key], Path(tmp), args.uploads, args.rate,
                                          args.timeout))
    rows = [[r.drill, r.sent, r.completed_once, r.failed, r.lost, r.duplicate_replies,
             _s(r.slowest_session_s), _s(r.recovery_s), {None: "-", True: "yes", False: "NO"}[r.durable],
             "ok" if r.passed else "FAILED"] for r in reports]
    print(format_table(["drill", "sent", "completed once", "failed", "lost", "duplicate replies",
                        "slowest s", "recovery s", "durable", "result"], rows))
    for r in reports:
        for note in r.notes:
            print(f"{r.drill}: {note}")
    if args.json:
        Path(args.json).write_text(orjson.dumps([drills.as_dict(r) for r in reports],
                                                option=orjson.OPT_INDENT_2).decode() + "\n")
    return EXIT_OK if all(r.passed for r in reports) else EXIT_FAILURE


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
