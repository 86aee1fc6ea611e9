"""A header timeout for the gateway's HTTP server: the one module that reaches into uvicorn.

uvicorn 0.54 has no timeout for a request's headers: a client that sends half of them holds its
connection open for ever (200 such connections were still open after 90 s). This protocol closes
a connection whose request headers are not complete ``header_timeout_s`` after its first byte (or
after the connection opened). It subclasses uvicorn's httptools protocol, so it refuses to import
on a uvicorn version it was not tested with.
"""

from __future__ import annotations

import asyncio
from importlib.metadata import version

TESTED_UVICORN = "0.54.0"



def check_version(installed=version) -> None:
    if installed("uvicorn") != TESTED_UVICORN:
        raise RuntimeError(f"gateway/uvicorn_compat.py subclasses uvicorn's httptools protocol, "
                           f"tested on uvicorn {TESTED_UVICORN}, found {installed('uvicorn')}: "
                           f"re-test it and update TESTED_UVICORN")


check_version()

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol  # noqa: E402


def with_header_timeout(header_timeout_s: float) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, closing connections whose headers are too slow."""

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        _header_timer: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = asyncio.get_running_loop().call_later(
                header_timeout_s, self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderTimeoutProtocol
