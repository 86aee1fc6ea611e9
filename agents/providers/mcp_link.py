"""A kept connection to one external MCP server, so a call does not pay for a new one.

A stdio server is a process (a Python one takes seconds to start) and every connection begins
with a handshake; opening one per request would spend the agents' whole timeout on it. The SDK's
``Client`` must be entered and left in one task, so the connection lives in a task of its own;
calls from any task of the same event loop use it. Connecting has ``connect_timeout_s`` of its
own: a call waits for it at most its own timeout (then the agent uses its catalogue), and the next
call finds the connection ready. A connection that fails or ends is opened again, at most once
every ``retry_s``. The tools a server offers are listed once per connection (``tools``): the
agents route a call by tool, to the servers that offer it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

MAX_TOOL_PAGES = 5  # a listing longer than this is not a server we need all of


class LinkDown(ConnectionError):
    """The server cannot be reached now (the reason was logged once)."""


class McpLink:
    """One server's connection, opened on the first call and kept (see the module docstring)."""

    def __init__(self, name: str, target: Any, connect_timeout_s: float = 30.0, retry_s: float = 5.0) -> None:
        self.name, self.target = name, target  # a URL (streamable HTTP) or StdioServerParameters
        self.connect_timeout_s, self.retry_s = connect_timeout_s, retry_s
        self._client: Any = None
        self._ready: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._retry_at = 0.0
        self._tools: frozenset[str] | None = None  # listed once per connection

    @property
    def connected(self) -> bool:
        return self._client is not None

    @property
    def listed(self) -> frozenset[str]:
        """The tools the last listing named (none before the first one)."""
        return self._tools or frozenset()

    async def call_tool(self, tool: str, arguments: dict) -> Any:
        """The tool's ``CallToolResult``; ``LinkDown`` while the server cannot be reached."""
        return await (await self._connected()).call_tool(tool, arguments)

    async def tools(self) -> frozenset[str]:
        """The names of the tools the server offers (the SDK's ``list_tools``, once per connection)."""
        client = await self._connected()
        if self._tools is None:
            names, cursor = set(), None
            for _ in range(MAX_TOOL_PAGES):
                page = await client.list_tools(cursor=cursor)
                names |= {tool.name for tool in page.tools}
                cursor = page.next_cursor
                if cursor is None:
                    break
            if self._client is client:  # not a listing of a connection lost meanwhile
                self._tools = frozenset(names)
            return frozenset(names)
        return self._tools

    async def _connected(self) -> Any:
        if self._task is None or self._task.done():
            if time.monotonic() < self._retry_at:
                raise LinkDown(f"{self.name}: not reachable, trying again in {self._retry_at - time.monotonic():.0f} s")
            self._ready, self._client, self._tools = asyncio.Event(), None, None
            self._task = asyncio.create_task(self._hold(), name=f"mcp-link-{self.name}")
        await self._ready.wait()
        if self._client is None:
            raise LinkDown(f"{self.name}: not reachable")
        return self._client

    async def _hold(self) -> None:
        """Open the connection, publish it, keep it until closed or until it fails."""
        from mcp import Client  # a worker without external servers never loads the SDK

        try:
            async with asyncio.timeout(self.connect_timeout_s) as connecting:
                async with Client(self.target) as client:
                    connecting.reschedule(None)  # the limit was for connecting only
                    self._client = client
                    self._ready.set()
                    await asyncio.Event().wait()  # until closed, or the session's own tasks fail
        except Exception as exc:  # down, refused, not an MCP server, too slow to start, connection lost
            state = "connection lost" if self._client is not None else "cannot connect"
            log.warning("mcp server %s: %s (%s)", self.name, state, reason_of(exc))
        finally:
            self._client = None
            self._retry_at = time.monotonic() + self.retry_s
            self._ready.set()  # callers waiting learn it is down

    async def close(self) -> None:
        """Close the connection (the next call opens a new one, after ``retry_s``)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def reason_of(exc: BaseException) -> str:
    """One line about a failure; an exception group names its first cause (no URLs or arguments)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
