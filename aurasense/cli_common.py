"""What every ``aurasense`` command shares: exit codes, settings, running coroutines."""

from __future__ import annotations

import argparse
import asyncio
import re
from typing import Any, Coroutine

from core.settings import Settings
from schemas import topics

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3


class UsageError(Exception):
    """Bad arguments found after parsing (exit 2)."""


def settings_of(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    changes = {}
    if getattr(args, "bootstrap", None):
        changes["kafka_bootstrap"] = args.bootstrap
    if getattr(args, "app_id", None):
        changes["app_id"] = args.app_id
    return settings.with_(**changes) if changes else settings


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(coro)


def topic_alias(name: str, settings: Settings) -> str:
    """``status`` is the session-status table's changelog."""
    if name == "status":
        return topics.changelog_topic(settings.app_id, topics.SESSION_STATUS_TABLE)
    return name


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")


def duration_s(text: str) -> float:
    """``90``, ``90s``, ``10m``, ``2h``, ``1d`` → seconds (argparse type)."""
    m = _DURATION.match(text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 30s, 10m, 2h)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
