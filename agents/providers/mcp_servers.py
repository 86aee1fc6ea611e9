"""The configured external MCP servers as one set: a tool is asked of the servers that offer it.

Routing is by tool, never by server name: the SDK's ``list_tools`` on each kept connection
(mcp_link.py) says what a server offers, so one offering ``find_dishes`` is a places server, one
offering ``find_route`` a maps server, one offering ``reserve_table`` a reservations server, and
one server may be all three. The servers offering a tool are asked in the configured order and the
first valid answer wins. Each server gets ``Settings.mcp_timeout_s`` for the listing and the call
together; a server that is down, still connecting, slower, or answers an error or garbage is
skipped (logged once), and no answer at all tells the agent to use its own knowledge.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable

from agents.providers.mcp_config import ServerSpec, parse_servers
from agents.providers.mcp_link import LinkDown, McpLink, reason_of
from agents.providers.mcp_values import json_of

log = logging.getLogger(__name__)

NOT_OFFERED = object()  # the server does not offer the tool: not asked


@dataclass(frozen=True)
class Asked:
    """What asking the servers for one tool gave: the first valid answer (parsed) and who gave it."""

    value: Any = None  # None: no server answered usably
    server: str = ""
    offered: bool = False  # a server listed the tool (so it was asked, even if it failed)


class McpServers:
    """The configured servers, one kept connection each, asked by tool (see the module docstring)."""

    def __init__(self, servers: tuple[ServerSpec, ...], timeout_s: float) -> None:
        from mcp import StdioServerParameters  # here, not in a call: importing the SDK takes ~1.5 s

        self.timeout_s = timeout_s
        self.links = [McpLink(s.name, s.url or StdioServerParameters(command=s.command[0], args=list(s.command[1:])))
                      for s in servers]

    async def first(self, tool: str, args: dict, parse: Callable[[Any, str], Any], prefer: str = "") -> Asked:
        """The first answer ``parse(data, server)`` accepts (not None) from the servers offering ``tool``;
        the server named ``prefer`` (e.g. where a dish came from) is asked first."""
        offered = False
        for link in sorted(self.links, key=lambda lk: lk.name != prefer):
            data = await self._ask(link, tool, args)
            offered = offered or tool in link.listed
            if data is NOT_OFFERED:
                continue
            value = None if data is None else parse(data, link.name)  # None: down or failed, logged already
            if value is not None:
                return Asked(value, link.name, True)
            if data is not None:
                log.warning("mcp server %s: %s answered nothing usable; falling back", link.name, tool)
        return Asked(offered=offered)

    async def _ask(self, link: McpLink, tool: str, args: dict) -> Any:
        """The tool's JSON answer; ``NOT_OFFERED``; None (down, slow, an error, not JSON)."""
        try:
            async with asyncio.timeout(self.timeout_s):
                if tool not in await link.tools():
                    return NOT_OFFERED
                return json_of(await link.call_tool(tool, args))
        except LinkDown:  # unreachable now: the link logged why when it went down
            return None
        except ValueError:
            log.warning("mcp server %s: %s answered an error or no JSON; falling back", link.name, tool)
            return None
        except Exception as exc:
            if not link.connected:  # still connecting: left to finish, the next call finds it ready
                log.info("mcp server %s: not connected yet (%s); falling back", link.name, reason_of(exc))
                return None
            log.warning("mcp server %s: %s failed (%s); falling back", link.name, tool, reason_of(exc))
            await link.close()  # slow or broken: the next call opens a fresh connection
            return None

    async def close(self) -> None:
        await asyncio.gather(*(link.close() for link in self.links))


_SETS: dict[tuple, McpServers] = {}


def servers_for(settings) -> McpServers | None:
    """The servers the settings configure (one set per configuration and event loop: its connections
    belong to the loop), or None: none configured. Call inside the loop."""
    if settings is None or not settings.mcp_servers:
        return None
    key = (settings.mcp_servers, settings.mcp_timeout_s, asyncio.get_running_loop())
    if key not in _SETS:
        _SETS[key] = McpServers(parse_servers(settings.mcp_servers), settings.mcp_timeout_s)
    return _SETS[key]


async def ask(settings, tool: str, args: dict, parse: Callable[[Any, str], Any], prefer: str = "") -> Asked:
    """``McpServers.first`` on the configured servers; nothing offered when none is configured."""
    servers = servers_for(settings)
    return await servers.first(tool, args, parse, prefer) if servers else Asked()


async def close_sources() -> None:
    """Close the connections opened on this event loop (tests; a worker keeps them until it exits)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _SETS if k[2] is loop]:
        await _SETS.pop(key).close()
