"""Where webhooks may be sent: the allow-list that stops server-side request forgery.

A URL is allowed when it is ``http(s)``, carries no credentials, its host matches
``AURASENSE_WEBHOOK_ALLOWED_HOSTS`` (exact names or addresses, ``*.example.com`` for subdomains,
``*`` for any host), and **every** address the host resolves to is public, or lies in
``AURASENSE_WEBHOOK_ALLOWED_NETWORKS`` (e.g. ``127.0.0.0/8`` for a receiver on this machine).
Loopback, private, link-local (cloud metadata, 169.254.169.254), shared, multicast and reserved
addresses are refused otherwise. The check runs when a client registers (a clear 400) and again
at every connection (streams/webhooks/sender.py), so a name re-pointed at an inside address
later is still refused.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any, Awaitable, Callable
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# host, port -> the addresses it resolves to (tests pass their own)
Resolve = Callable[[str, int], Awaitable[list[str]]]

MAX_URL_LENGTH = 2048


class RefusedTarget(ValueError):
    """A webhook URL, or one of its addresses, that the allow-list refuses (the reason is the text)."""


@dataclass(frozen=True)
class TargetPolicy:
    hosts: tuple[str, ...] = ()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, hosts: str, networks: str = "") -> "TargetPolicy":
        """From the two comma-separated settings; a malformed network is a configuration error."""
        try:
            nets = tuple(ipaddress.ip_network(n.strip(), strict=False)
                         for n in networks.split(",") if n.strip())
        except ValueError as exc:
            raise ValueError(f"AURASENSE_WEBHOOK_ALLOWED_NETWORKS: {exc}") from None
        return cls(tuple(h.strip().lower().rstrip(".") for h in hosts.split(",") if h.strip()), nets)

    @classmethod
    def from_settings(cls, settings: Any) -> "TargetPolicy":
        return cls.parse(settings.webhook_allowed_hosts, settings.webhook_allowed_networks)

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(p == "*" or p == host or (p.startswith("*.") and host.endswith(p[1:]))
                   for p in self.hosts)

    def address_problem(self, address: str) -> str:
        """Why a webhook may not connect to ``address`` ('' when it may)."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
        if any(ip in net for net in self.networks):
            return ""
        kind = _non_public_kind(ip)
        return f"{ip}, a {kind} address" if kind else ""


def _non_public_kind(ip: IPAddress) -> str:
    for kind, flag in (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified),
                       ("link-local (metadata)", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("private", ip.is_private), ("reserved", ip.is_reserved)):
        if flag:
            return kind
    return "" if ip.is_global else "non-public"


def check_url(url: object, policy: TargetPolicy) -> SplitResult:
    """The parsed URL if its form and host are allowed (addresses are checked by ``check_addresses``)."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise RefusedTarget(f"must be an http(s) URL of at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError as exc:
        raise RefusedTarget(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget("must be an http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedTarget("must not carry credentials (user:password@)")
    if not policy.hosts:
        raise RefusedTarget("no webhook host is allowed here (AURASENSE_WEBHOOK_ALLOWED_HOSTS is empty)")
    if not policy.host_allowed(parts.hostname):
        raise RefusedTarget(f"host {parts.hostname} is not in AURASENSE_WEBHOOK_ALLOWED_HOSTS")
    return parts


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


async def check_addresses(host: str, port: int, policy: TargetPolicy,
                          resolve: Resolve = system_resolve) -> list[str]:
    """Every address ``host`` resolves to, if all are allowed; else ``RefusedTarget``."""
    try:
        addresses = [str(ipaddress.ip_address(host))]  # a literal address is its own answer
    except ValueError:
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise RefusedTarget(f"host {host} does not resolve ({exc})") from None
    if not addresses:
        raise RefusedTarget(f"host {host} resolves to no address")
    for address in addresses:
        problem = policy.address_problem(address)
        if problem:
            raise RefusedTarget(f"host {host} resolves to {problem}, which is not in "
                                "AURASENSE_WEBHOOK_ALLOWED_NETWORKS")
    return addresses


async def check_target(url: object, policy: TargetPolicy, resolve: Resolve = system_resolve) -> str:
    """The URL, if the allow-list lets a webhook be sent there now; else ``RefusedTarget``."""
    parts = check_url(url, policy)
    await check_addresses(parts.hostname, default_port(parts), policy, resolve)
    return str(url)
