"""External MCP servers through the whole pipeline: typed text to a worker whose
AURASENSE_MCP_SERVERS names a local fake server (tests/mcp_places_fake.py, over streamable HTTP);
the food agent's reply comes from that server, through the real broker, bucket, graph (FalkorDB and
Neo4j) and piper."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurasense.client import GatewayClient
from aurasense.worker_process import WorkerProcess
from tests.graph_backends import BACKENDS
from tests.mcp_places_fake import DISHES, FakeServer

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_typed_turn_is_answered_with_the_external_servers_dishes(worker, settings, tmp_path, request, backend):
    graph = {} if backend == "falkordb" else request.getfixturevalue("neo4j_server").settings_fields()
    server = FakeServer(tmp_path, "--offer", "places,maps,reservations")
    worker.stop()  # the session worker makes way for one configured with the server
    log_path = Path(settings.data_dir) / "logs" / f"worker-mcp-{backend}.log"
    # A generous timeout: the first call also connects, on a machine other tests share.
    mcp_worker = WorkerProcess(settings.with_(mcp_servers=f"lagos={server.url}", mcp_timeout_s=15.0, **graph),
                               log_path, name="worker-mcp")
    try:
        mcp_worker.start()
        client = GatewayClient(mcp_worker.gateway_url)
        client.wait_ready()
        client.register()
        statuses = []
        for text in ("Hi, I'm new here. My name is Ada and I live in Lagos.",
                     "I'm hungry. Can you recommend something for dinner?"):
            accepted = client.submit_text(text)
            statuses.append(client.wait_done(accepted["session_id"], timeout=120))
        client.close()
    finally:
        mcp_worker.stop()
        server.stop()
        worker.start()
        GatewayClient(worker.gateway_url).wait_ready()
    onboarding, food = statuses
    assert onboarding["status"] == "completed" and onboarding["agent_used"] == "onboarding", onboarding
    assert food["status"] == "completed" and food["agent_used"] == "food", food
    only_there = [d["name"] for d in DISHES]  # dish names no catalogue has
    assert any(name in food["response_text"] for name in only_there), food["response_text"]
    assert {"city": "Lagos", "query": "I'm hungry. Can you recommend something for dinner?"} in [
        c["arguments"] for c in server.logged("find_dishes")]
