"""The agents as MCP clients: a local places server (tests/mcp_places_fake.py) started here is
asked by the food and travel agents; its dishes still pass the safety check; a server that is
down, slow or answers garbage leaves the catalogue's answer. Real graph (FalkorDB), real MCP
transports (streamable HTTP and stdio)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agents.base import AgentContext, AgentRequest
from agents.catalogue.loader import load_catalogue
from agents.food_agent import FoodAgent
from agents.providers.graph_backend import make_graph_store
from agents.providers.mcp_places import close_sources
from agents.travel_agent import TravelAgent
from core.settings import Settings
from stack.processes import free_port, port_open

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graph_ctx(falkor_socket, loop):
    """The agents' context on this module's FalkorDB, catalogue loaded, no external servers."""
    settings = Settings(falkordb_socket=falkor_socket)
    graph = make_graph_store(settings)
    loop.run_until_complete(graph.connect())
    loop.run_until_complete(load_catalogue(graph))
    loop.run_until_complete(graph.upsert_user("mcp-peanut", {"name": "Ada", "home_city": "Lagos",
                                                             "allergies": ["peanut"], "onboarded": True}))
    loop.run_until_complete(graph.upsert_user("mcp-free", {"name": "Bo", "home_city": "Lagos", "onboarded": True}))
    yield AgentContext(graph=graph, settings=settings)
    loop.run_until_complete(graph.close())


@pytest.fixture(autouse=True)
def closed_connections(run):
    """The agents keep their connections to external servers: close them after each test."""
    yield
    run(close_sources())


def with_servers(ctx: AgentContext, servers: str, timeout_s: float = 2.0) -> AgentContext:
    return dataclasses.replace(ctx, settings=ctx.settings.with_(mcp_servers=servers, mcp_timeout_s=timeout_s))


class FakePlaces:
    """tests/mcp_places_fake.py on a free port (streamable HTTP), and the calls it logged."""

    def __init__(self, tmp: Path, *flags: str, port: int | None = None) -> None:
        self.port, self.calls = port or free_port(), tmp / f"calls-{time.monotonic_ns()}.jsonl"
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.mcp_places_fake", "--port", str(self.port),
                                      "--calls", str(self.calls), *flags], cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not port_open(self.port):
            assert self.proc.poll() is None and time.monotonic() < deadline, "fake places server did not start"
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def logged(self) -> list[dict]:
        return [json.loads(line) for line in self.calls.read_text().splitlines()] if self.calls.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    server = FakePlaces(tmp_path_factory.mktemp("places"))
    yield server
    server.stop()


def food(run, ctx, user: str, text: str):
    return run(FoodAgent().reply(AgentRequest(user, f"s-{time.monotonic_ns()}", text), ctx))


def test_food_agent_offers_the_external_servers_safe_dishes_only(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    names = [i["name"] for i in reply.items]
    assert names == ["Harbour Jollof"], reply  # the groundnut stew has peanut; the mystery bowl is unknown
    assert reply.items[0]["id"] == "mcp:places:d1" and "Harbour Jollof" in reply.text
    assert {"tool": "find_dishes", "arguments": {"city": "Lagos", "query": "what can I eat tonight?"}} in [
        {k: c[k] for k in ("tool", "arguments")} for c in places.logged()]
    # No allergy and no diet: nothing to decide, so all three may be offered, best rated first.
    free = food(run, ctx, "mcp-free", "what can I eat tonight?")
    assert {i["name"] for i in free.items} == {"Harbour Jollof", "Harbour Groundnut Stew", "Harbour Mystery Bowl"}


def test_travel_agent_offers_the_external_servers_stays(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = run(TravelAgent().reply(AgentRequest("mcp-free", "s-stay", "where should I stay in Paris?"), ctx))
    assert [i["id"] for i in reply.items] == ["mcp:places:s1", "mcp:places:s2"]
    assert "Fake Canal Rooms" in reply.text
    assert any(c["tool"] == "find_stays" and c["arguments"]["city"] == "Paris" for c in places.logged())


def test_a_city_the_server_has_nothing_for_is_answered_from_the_catalogue(run, graph_ctx, places):
    ctx = with_servers(graph_ctx, f"places={places.url}")
    reply = run(TravelAgent().reply(AgentRequest("mcp-free", "s-stay2", "where should I stay in London?"), ctx))
    assert reply.items and not any(i["id"].startswith("mcp:") for i in reply.items)


def catalogue_only(reply) -> bool:
    return bool(reply.items) and not any(str(i["id"]).startswith("mcp:") for i in reply.items)


def test_a_down_server_falls_back_to_the_catalogue(run, graph_ctx):
    ctx = with_servers(graph_ctx, f"places=http://127.0.0.1:{free_port()}/mcp")
    started = time.monotonic()
    reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    assert catalogue_only(reply), reply
    assert time.monotonic() - started < 10


def test_a_slow_server_is_cut_off_at_the_timeout_and_the_catalogue_answers(run, graph_ctx, tmp_path):
    slow = FakePlaces(tmp_path, "--delay", "20")
    try:
        ctx = with_servers(graph_ctx, f"places={slow.url}", timeout_s=1.0)
        started = time.monotonic()
        reply = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
        took = time.monotonic() - started
        assert catalogue_only(reply), reply
        assert slow.logged(), "the slow server was never asked"
        assert took < 8, f"the agent waited {took:.1f} s for a server with a 1 s timeout"
    finally:
        slow.stop()


def test_a_server_that_goes_away_is_skipped_and_asked_again_once_it_is_back(run, graph_ctx, tmp_path):
    server = FakePlaces(tmp_path)
    ctx = with_servers(graph_ctx, f"places={server.url}")
    try:
        assert food(run, ctx, "mcp-peanut", "what can I eat tonight?").items[0]["id"] == "mcp:places:d1"
        server.stop()
        started = time.monotonic()
        assert catalogue_only(food(run, ctx, "mcp-peanut", "what can I eat tonight?"))
        assert time.monotonic() - started < 8
        server = FakePlaces(tmp_path, port=server.port)
        deadline = time.monotonic() + 60  # the connection is opened again (at most every 5 s)
        while not food(run, ctx, "mcp-peanut", "what can I eat tonight?").items[0]["id"].startswith("mcp:"):
            assert time.monotonic() < deadline, "the server, back, was never asked again"
            time.sleep(0.2)  # between polls
    finally:
        server.stop()


def test_garbage_from_a_server_falls_back_to_the_catalogue(run, graph_ctx, tmp_path):
    bad = FakePlaces(tmp_path, "--garbage")
    try:
        reply = food(run, with_servers(graph_ctx, f"places={bad.url}"), "mcp-peanut", "what can I eat tonight?")
        assert catalogue_only(reply) and bad.logged()
    finally:
        bad.stop()


def test_a_stdio_server_is_asked_after_one_that_is_down_and_kept_connected(run, graph_ctx, tmp_path):
    calls = tmp_path / "stdio-calls.jsonl"
    servers = json.dumps([{"name": "down", "url": f"http://127.0.0.1:{free_port()}/mcp"},
                          {"name": "local", "command": [sys.executable, "-m", "tests.mcp_places_fake",
                                                        "--calls", str(calls)]}])
    ctx = with_servers(graph_ctx, servers, timeout_s=0.3)
    first = food(run, ctx, "mcp-peanut", "what can I eat tonight?")
    assert catalogue_only(first)  # a Python server takes over a second to start: the agent did not wait for it
    deadline = time.monotonic() + 60
    while not (reply := food(run, ctx, "mcp-peanut", "what can I eat tonight?")).items[0]["id"].startswith("mcp:"):
        assert time.monotonic() < deadline, "the stdio server never answered"
        time.sleep(0.2)  # between polls
    assert [i["id"] for i in reply.items] == ["mcp:local:d1"]
    again = food(run, ctx, "mcp-peanut", "anything cheap?")
    assert [i["id"] for i in again.items] == ["mcp:local:d1"]
    pids = {json.loads(line)["pid"] for line in calls.read_text().splitlines()}
    assert len(pids) == 1  # one process, one kept connection, for every call
