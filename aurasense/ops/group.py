"""Watching the workers of one consumer group through their gateways' /healthz."""

from __future__ import annotations

import time

import httpx


def health(url: str) -> dict:
    try:
        return httpx.get(f"{url}/healthz", timeout=5).json()
    except (httpx.HTTPError, ValueError):
        return {}


def session_partitions(url: str) -> list[int]:
    """The session partitions a worker processes."""
    return health(url).get("session_partitions", [])


def wait_shared(urls: list[str], partitions: int, timeout: float = 180) -> dict[str, list[int]]:
    """Until every session partition has exactly one owner among ``urls`` and no worker is
    rebalancing, for three polls in a row. With more workers than partitions allow, a worker may
    hold none (it keeps standby table replicas)."""
    deadline, settled, shares = time.monotonic() + timeout, 0, {}
    while time.monotonic() < deadline:
        states = {u: health(u) for u in urls}
        shares = {u: s.get("session_partitions", []) for u, s in states.items()}
        stable = all(s and not s.get("recovering") for s in states.values())
        owned = sorted(sum(shares.values(), [])) == list(range(partitions))
        settled = settled + 1 if stable and owned else 0
        if settled >= 3:
            return shares
        time.sleep(0.5)
    raise TimeoutError(f"partitions not shared by {len(urls)} workers within {timeout}s: {shares}")
