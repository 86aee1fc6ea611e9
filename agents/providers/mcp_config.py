"""Which external MCP servers the agents use: ``Settings.mcp_servers`` (``AURASENSE_MCP_SERVERS``) read.

``name=target`` pairs separated by commas, or JSON (``{"places": "http://127.0.0.1:9000/mcp"}``,
or a list of ``{"name", "url"}`` / ``{"name", "command"}``). A target starting ``http://`` or
``https://`` is a streamable-HTTP endpoint; anything else is a command line started over stdio.
The name only labels a server in logs and in ids ("mcp:<name>:<id>"): what a server is asked is
decided by the tools it offers (agents/providers/mcp_servers.py).
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any


class ConfigError(ValueError):
    """``AURASENSE_MCP_SERVERS`` cannot be read (the message says why)."""


@dataclass(frozen=True)
class ServerSpec:
    """One external MCP server: a streamable-HTTP ``url`` or a stdio ``command``."""

    name: str
    url: str = ""
    command: tuple[str, ...] = ()


def parse_servers(text: str) -> tuple[ServerSpec, ...]:
    """The servers ``AURASENSE_MCP_SERVERS`` names, in order (``ConfigError`` when malformed)."""
    text = (text or "").strip()
    if not text:
        return ()
    if text[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"AURASENSE_MCP_SERVERS is not valid JSON: {exc}") from None
        pairs = data.items() if isinstance(data, dict) else [_entry(e) for e in data]
    else:
        pairs = [_pair(part) for part in text.split(",") if part.strip()]
    specs = tuple(_spec(name, target) for name, target in pairs)
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ConfigError(f"AURASENSE_MCP_SERVERS names a server twice: {names}")
    return specs


def _pair(part: str) -> tuple[str, str]:
    name, sep, target = part.partition("=")
    if not sep:
        raise ConfigError(f"AURASENSE_MCP_SERVERS: {part.strip()!r} is not name=url-or-command")
    return name.strip(), target.strip()


def _entry(entry: Any) -> tuple[str, Any]:
    if not isinstance(entry, dict) or "name" not in entry or not ({"url", "command"} & entry.keys()):
        raise ConfigError(f"AURASENSE_MCP_SERVERS: each entry needs a name and a url or a command, got {entry!r}")
    return entry["name"], entry.get("url") or entry["command"]


def _spec(name: Any, target: Any) -> ServerSpec:
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"AURASENSE_MCP_SERVERS: bad server name {name!r}")
    if isinstance(target, list) and target and all(isinstance(t, str) for t in target):
        return ServerSpec(name, command=tuple(target))
    if not isinstance(target, str) or not target.strip():
        raise ConfigError(f"AURASENSE_MCP_SERVERS: server {name!r} has no url or command")
    if target.startswith(("http://", "https://")):
        return ServerSpec(name, url=target)
    return ServerSpec(name, command=tuple(shlex.split(target)))
