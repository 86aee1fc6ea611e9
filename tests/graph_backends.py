"""Graph fixtures: every test that uses the graph runs on FalkorDB and on Neo4j.

A pytest plugin (``pytest_plugins = ["tests.graph_backends"]`` in tests/conftest.py).

* ``graph_backend``: "falkordb" or "neo4j", a module-scoped parameter; ``graph_settings`` and
  ``ctx`` follow it, so each test that takes them runs once per backend (``test_x[neo4j]``).
* FalkorDB: a server per test module (``falkor_socket``), started in a few milliseconds.
* Neo4j: one server for the whole session (``neo4j_server``; startup takes seconds), wiped at
  the start of each module that uses it (``neo4j_settings``): nodes, indexes and constraints,
  as community edition has a single user database.
Neo4j needs Java and the jars ``make`` fetches; without them its tests skip, saying which.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest

from core.settings import Settings

BACKENDS = ("falkordb", "neo4j")


def require_local_neo4j() -> None:
    """Skip, saying what is missing, unless the local Neo4j can start (Java and the jars)."""
    from stack import jars

    if shutil.which("java") is None:
        pytest.skip("no java on PATH: the local Neo4j runs on Java 17+")
    if not jars.is_fetched("neo4j"):
        pytest.skip("the Neo4j jars are not fetched: run `make jars` (python -m stack.jars fetch neo4j)")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    from stack.neo4j import Neo4jServer

    require_local_neo4j()
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def neo4j_settings(neo4j_server) -> Settings:
    """Settings for the session's Neo4j, emptied for this module."""
    settings = Settings(**neo4j_server.settings_fields())
    asyncio.run(wipe_neo4j(settings))
    return settings


async def wipe_neo4j(settings: Settings) -> None:
    from agents.providers.neo4j_graph import Neo4jGraphStore

    store = Neo4jGraphStore(settings)
    await store.connect()
    try:
        await store.drop()
    finally:
        await store.close()


@pytest.fixture(scope="module")
def falkor_socket(tmp_path_factory):
    """A FalkorDB of this module's own (its unix socket path)."""
    from stack.falkordb import FalkorDBServer

    server = FalkorDBServer(tmp_path_factory.mktemp("falkor"))
    server.start()
    yield str(server.socket)
    server.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def graph_backend(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def graph_settings(graph_backend, request) -> Settings:
    """Settings that reach this module's graph on ``graph_backend``."""
    if graph_backend == "neo4j":
        return request.getfixturevalue("neo4j_settings")
    return Settings(falkordb_socket=request.getfixturevalue("falkor_socket"))


@pytest.fixture(scope="module")
def ctx(graph_settings, loop):
    """The agents' context (catalogue loaded, memory) on this module's graph."""
    from agents.wiring import build_context, close_context

    context = loop.run_until_complete(build_context(graph_settings))
    yield context
    loop.run_until_complete(close_context(context))
