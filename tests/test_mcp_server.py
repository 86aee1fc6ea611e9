"""The product as an MCP server, called through the SDK's own client: every tool, on the test
session's stack and worker (real graph, broker and gateway); a profile or session of another user
is refused; ``aurasense mcp`` over stdio and streamable HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from agents.catalogue import data
from aurasense.client import GatewayClient
from aurasense.mcp_server import Backend, build_server
from stack.processes import free_port, port_open

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[1]
TOOLS = {"safe_dishes", "stays", "get_profile", "update_profile", "session_status", "session_tail",
         "session_replay"}
DISH_ALLERGENS = {d[0]: set(data.derive(d[4], d[5])[0]) for r in data.RESTAURANTS for d in r["dishes"]}


class User:
    """A registered user of the test gateway: its id, token and its own gateway client."""

    def __init__(self, worker) -> None:
        self.gateway = GatewayClient(worker.gateway_url)
        self.user_id = self.gateway.register()
        self.token = self.gateway.http.headers["Authorization"][7:]


@pytest.fixture(scope="module")
def ada(worker):
    return User(worker)


@pytest.fixture(scope="module")
def bo(worker):
    return User(worker)


@pytest.fixture(scope="module")
def backend(settings, worker, client):
    return Backend(settings, worker.gateway_url)


def call(backend, tool: str, **arguments):
    """One tool call through the SDK's client (in-process transport): (ok, JSON result or error text)."""
    async def go():
        async with Client(build_server(backend)) as mcp:
            return await mcp.call_tool(tool, arguments)
    result = asyncio.run(go())
    text = "".join(getattr(b, "text", "") for b in result.content)
    return (False, text) if result.is_error else (True, result.structured_content or json.loads(text))


def test_every_tool_is_listed_with_its_arguments(backend):
    async def go():
        async with Client(build_server(backend)) as mcp:
            return (await mcp.list_tools()).tools
    tools = {t.name: t for t in asyncio.run(go())}
    assert set(tools) == TOOLS
    assert tools["update_profile"].input_schema["required"] == ["statement"]
    assert "token" in tools["get_profile"].input_schema["properties"]


def test_profile_is_read_and_changed_by_its_owner_only(backend, ada, bo):
    ok, out = call(backend, "update_profile", statement="I'm Ada, I live in Lagos and I'm allergic to peanuts",
                   token=ada.token)
    assert ok, out
    assert {"allergies", "home_city"} <= set(out["changed"]) and out["user_id"] == ada.user_id
    ok, out = call(backend, "get_profile", token=ada.token)
    assert ok and out["found"] and out["profile"]["allergies"] == ["peanut"] and out["profile"]["home_city"] == "Lagos"

    ok, out = call(backend, "get_profile", user_id=ada.user_id, token=bo.token)  # another user's token
    assert not ok and "not allowed" in out and "own profile" in out and "peanut" not in out
    ok, out = call(backend, "get_profile", user_id=ada.user_id)  # no token at all
    assert not ok and "registered user" in out
    ok, out = call(backend, "get_profile", token=ada.token[:-4] + "AAAA")  # forged
    assert not ok and "invalid or expired token" in out
    ok, out = call(backend, "update_profile", statement="I'm vegan", user_id=ada.user_id, token=bo.token)
    assert not ok and "not allowed" in out
    assert call(backend, "get_profile", token=ada.token)[1]["profile"].get("diets") == []
    ok, out = call(backend, "get_profile", token=bo.token)
    assert ok and out == {"user_id": bo.user_id, "found": False, "profile": {}}


def test_a_profile_statement_not_understood_stores_nothing(backend, bo):
    ok, out = call(backend, "update_profile", statement="the weather is nice", token=bo.token)
    assert not ok and "nothing to change was understood" in out
    ok, out = call(backend, "update_profile", statement="", token=bo.token)
    assert not ok and "must not be empty" in out
    assert call(backend, "get_profile", token=bo.token)[1]["found"] is False


def test_safe_dishes_follow_the_callers_allergies(backend, worker):
    cy = User(worker)
    ok, out = call(backend, "update_profile", statement="I live in Lagos and I'm allergic to peanuts", token=cy.token)
    assert ok and out["profile"]["allergies"] == ["peanut"], out
    ok, out = call(backend, "safe_dishes", request="something spicy", limit=5, token=cy.token)
    assert ok, out
    assert out["city"] == "Lagos" and out["allergies"] == ["peanut"] and len(out["dishes"]) == 5
    for dish in out["dishes"]:  # checked against the ingredient table, not the safety module's verdict
        assert "peanut" not in DISH_ALLERGENS[dish["id"]], dish
        assert dish["currency"] == "NGN"
    ok, out = call(backend, "safe_dishes", city="Paris", request="no dairy please", limit=3)  # anonymous
    assert ok and out["user_id"] is None and out["allergies"] == ["dairy"]
    assert all("dairy" not in DISH_ALLERGENS[d["id"]] for d in out["dishes"]) and out["dishes"]
    ok, out = call(backend, "safe_dishes", city="Atlantis")
    assert not ok and "unknown city 'Atlantis'" in out and "Lagos" in out
    ok, out = call(backend, "safe_dishes", city="Lagos", limit=0)
    assert not ok and "limit must be between 1 and 20" in out


def test_stays_come_from_the_travel_catalogue(backend):
    ok, out = call(backend, "stays", city="Paris", request="something cheap", limit=2)
    assert ok, out
    paris = {s[0]: s for s in data.STAYS if s[1] == "Paris"}
    assert len(out["stays"]) == 2 and all(s["id"] in paris and s["currency"] == "EUR" for s in out["stays"])
    assert out["stays"][0]["price"] == min(s[4] for s in paris.values())  # "cheap": the cheapest first
    ok, out = call(backend, "stays", city="Paris", request="somewhere in Montmartre", limit=1)
    assert ok and out["stays"][0]["neighbourhood"] == "Montmartre", out
    assert not call(backend, "stays", city="")[0]


def wait_for(check, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_session_status_tail_and_replay_are_the_owners_only(backend, ada, bo):
    accepted = ada.gateway.submit_text("what can I eat in Lagos tonight?")
    sid = accepted["session_id"]
    done = ada.gateway.wait_done(sid)
    assert done["status"] == "completed"

    ok, status = call(backend, "session_status", session_id=sid, token=ada.token)
    assert ok and status["status"] == "completed" and status["response_text"] == done["response_text"], status
    for tool in ("session_status", "session_tail", "session_replay"):
        ok, out = call(backend, tool, session_id=sid, token=bo.token)
        assert not ok and "not found" in out, (tool, out)
        ok, out = call(backend, tool, session_id=sid)
        assert not ok and "registered user" in out, (tool, out)

    ok, tail = call(backend, "session_tail", session_id=sid, token=ada.token)
    assert ok
    topics = {r["topic"] for r in tail["records"]}
    assert {"text-submitted", "audio-transcribed", "request-routed", "audio-responded"} <= topics
    assert all(r["key"] == sid for r in tail["records"] if r["topic"] != "bucket-events")

    ok, replay = call(backend, "session_replay", session_id=sid, token=ada.token)
    assert ok and replay["attempt"] == 2 and replay["replayed"].startswith("text-submitted"), replay
    again = wait_for(lambda: (s := ada.gateway.status(sid)) and s["attempt"] == 2 and s["status"] == "completed" and s)
    assert again["response_text"] and again["timings"]  # answered again, as attempt 2
    ok, out = call(backend, "session_status", session_id="no such id!", token=ada.token)
    assert not ok and "session_id must be" in out


def test_aurasense_mcp_over_stdio_acts_for_its_token(settings, worker, ada):
    gateway_port = worker.gateway_url.rsplit(":", 1)[1]
    env = settings.to_env() | {"AURASENSE_TOKEN": ada.token, "AURASENSE_GATEWAY_PORT": gateway_port}
    params = StdioServerParameters(command=sys.executable, args=["-m", "aurasense.cli", "mcp"], env=env, cwd=ROOT)

    async def go():
        async with Client(params) as mcp:
            return await mcp.call_tool("get_profile", {})
    result = asyncio.run(go())
    assert not result.is_error and result.structured_content["user_id"] == ada.user_id


def test_aurasense_mcp_over_http_takes_the_bearer_header(settings, worker, ada, bo):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "aurasense.cli", "mcp", "--transport", "http", "--port", str(port),
                             "--gateway", worker.gateway_url], cwd=ROOT, env=os.environ | settings.to_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: port_open(port) or proc.poll() is not None, timeout=60)
        assert proc.poll() is None, "aurasense mcp --transport http exited"

        async def go(token: str | None, arguments: dict):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with httpx2.AsyncClient(headers=headers) as http:
                async with Client(streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)) as mcp:
                    return await mcp.call_tool("get_profile", arguments)
        mine = asyncio.run(go(ada.token, {}))
        assert not mine.is_error and mine.structured_content["user_id"] == ada.user_id
        theirs = asyncio.run(go(bo.token, {"user_id": ada.user_id}))
        assert theirs.is_error and "not allowed" in theirs.content[0].text
    finally:
        proc.terminate()
        proc.wait(20)
