"""Status lookups per second and latency percentiles under concurrent load, on loopback.

    python -m bench.gateway_status [--concurrency 32] [--seconds 5] [--url URL --session ID]

Without ``--url`` it starts the gateway (the same app and uvicorn config as the worker) in a
child process over an in-memory status table of 10,000 sessions, so the number is the
gateway's own cost. The load comes from keep-alive HTTP/1.1 connections driven by one asyncio
loop (a raw client: httpx would be the bottleneck). Scenarios: the seed's status route (guest
session), the native route with a bearer token (HMAC check per request), an unknown id (404),
and a burst of identical requests for one failed session (the seed client's retry loop).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
import uuid

from stack.processes import free_port, port_open

N_SESSIONS = 10_000


def serve(port: int) -> None:
    """Child: the gateway over fakes, on uvicorn as the worker runs it."""
    import uvicorn

    from gateway.auth import issue_token
    from tests.test_gateway_fakes import fake_gateway
    from schemas.events import SessionStatus

    client, fakes = fake_gateway()
    config = client.app.state.deps.config
    for n in range(N_SESSIONS):
        owner = "usr-bench" if n % 2 else f"guest-{n}"
        state = "failed" if n == 0 else "completed"
        fakes.statuses[f"s-{n}"] = SessionStatus(
            session_id=f"s-{n}", user_id=owner, status=state, transcription="where should I stay",
            response_text="try the hotel by the river", agent_used="travel",
            created_at=time.time(), completed_at=time.time())
    print(issue_token(config, "usr-bench"), flush=True)
    uvicorn.run(client.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")


async def _one(reader, writer, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return int(head[9:12])


async def _worker(host, port, requests, stop_at, latencies, statuses) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = 0
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        statuses[await _one(reader, writer, requests[i % len(requests)])] += 1
        latencies.append(time.perf_counter() - started)
        i += 1
    writer.close()


async def load(host: str, port: int, paths: list[str], headers: str, concurrency: int,
               seconds: float) -> dict:
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n".encode() for p in paths]
    latencies: list[float] = []
    statuses: dict[int, int] = __import__("collections").Counter()
    started = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, requests[k::concurrency] or requests,
                                   started + seconds, latencies, statuses)
                           for k in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"rps": len(latencies) / elapsed, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "max_ms": latencies[-1] * 1000, "statuses": dict(statuses)}


def scenarios(token: str) -> list[tuple[str, list[str], str]]:
    guests = [f"/api/audio/status/s-{n}" for n in range(2, N_SESSIONS, 2)][:2000]
    owned = [f"/v1/sessions/s-{n}" for n in range(1, N_SESSIONS, 2)][:2000]
    return [("seed status, guest sessions", guests, ""),
            ("native status, bearer token", owned, f"Authorization: Bearer {token}\r\n"),
            ("unknown session (404)", [f"/v1/sessions/{uuid.uuid4()}" for _ in range(500)], ""),
            ("burst on one failed session", ["/api/audio/status/s-0"], "")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--url", help="an already running gateway, e.g. http://127.0.0.1:8000")
    parser.add_argument("--session", help="with --url: a session id to look up")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.url:
        host, port = args.url.split("//", 1)[1].rsplit(":", 1)
        runs = [("status of one session", [f"/v1/sessions/{args.session}"], "")]
        return report(host, int(port), runs, args)
    port = free_port()
    child = subprocess.Popen([sys.executable, "-m", "bench.gateway_status", "--serve", str(port)],
                             stdout=subprocess.PIPE, text=True)
    try:
        token = child.stdout.readline().strip()
        while not port_open(port):
            time.sleep(0.05)
        report("127.0.0.1", port, scenarios(token), args)
    finally:
        child.terminate()
        child.wait(10)


TARGET_RPS = 2000


def report(host: str, port: int, runs: list, args) -> None:
    try:
        import httptools  # noqa: F401  (uvicorn's fast HTTP parser, chosen when installed)
        parser = "httptools"
    except ImportError:
        parser = "h11 (pip install httptools for ~1.5x)"
    print(f"gateway status lookups on {host}:{port}, {args.concurrency} keep-alive connections, "
          f"{args.seconds:.0f} s each; uvicorn parser: {parser}")
    worst = float("inf")
    for name, paths, headers in runs:
        r = asyncio.run(load(host, port, paths, headers, args.concurrency, args.seconds))
        worst = min(worst, r["rps"])
        print(f"  {name:30s} {r['rps']:8.0f} req/s   p50 {r['p50_ms']:6.2f} ms   "
              f"p99 {r['p99_ms']:6.2f} ms   max {r['max_ms']:6.1f} ms   {r['statuses']}")
    print(f"slowest scenario {worst:.0f} req/s: target {TARGET_RPS}/s "
          f"{'met' if worst >= TARGET_RPS else 'MISSED'}")


if __name__ == "__main__":
    main()
