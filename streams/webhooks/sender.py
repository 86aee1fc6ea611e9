"""One webhook POST, through the allow-list: every address is checked when the connection is made
(an aiohttp resolver that refuses what streams/webhooks/targets.py refuses), redirects are never
followed, and no proxy from the environment is used (it would connect on our behalf unchecked)."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from streams.webhooks.targets import RefusedTarget, TargetPolicy, check_addresses, check_target

USER_AGENT = "aurasense-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int = 0  # the receiver's HTTP status; 0 when it did not answer
    error: str = ""
    retryable: bool = True  # a refused address or a redirect will not get better by waiting


class AllowListResolver(AbstractResolver):
    """The system resolver, answering only when every address of the host is allowed."""

    def __init__(self, policy: TargetPolicy) -> None:
        self._policy = policy
        self._system = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        results = await self._system.resolve(host, port, family)
        await check_addresses(host, port, self._policy, _answered(results))
        return results

    async def close(self) -> None:
        await self._system.close()


def _answered(results: list[ResolveResult]):
    async def resolve(host: str, port: int) -> list[str]:
        return [r["host"] for r in results]
    return resolve


class WebhookSender:
    """POSTs signed bodies; ``start()`` before use, ``close()`` after."""

    def __init__(self, policy: TargetPolicy, timeout_s: float) -> None:
        self._policy = policy
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(resolver=AllowListResolver(self._policy), use_dns_cache=False)
        self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout,
                                              trust_env=False, headers={"User-Agent": USER_AGENT})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        assert self._session is not None, "WebhookSender.start() first"
        try:
            await check_target(url, self._policy)  # literal addresses never reach the resolver
            async with self._session.post(url, data=body, headers=headers,
                                          allow_redirects=False) as response:
                return _outcome(response)
        except RefusedTarget as exc:
            return Outcome(False, error=f"refused: {exc}", retryable=False)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            return Outcome(False, error=f"{type(exc).__name__}: {exc}"[:500])


def _outcome(response: aiohttp.ClientResponse) -> Outcome:
    if 200 <= response.status < 300:
        return Outcome(True, response.status)
    if 300 <= response.status < 400:
        return Outcome(False, response.status, f"HTTP {response.status}: redirects are not followed",
                       retryable=False)
    return Outcome(False, response.status, f"HTTP {response.status}")
