"""Graphiti profile memory on both backends: real FalkorDB and Neo4j, both local processes.

Every behaviour test runs against each backend (``memory`` follows ``graph_backend``,
tests/graph_backends.py).  Group isolation has one test per meaning of ``group_id``: a graph
per user on FalkorDB, a property in one database on Neo4j.
No LLM or embedding API is called (offline hashing embedder; no GROQ_API_KEY).
"""

import asyncio
import itertools
import logging
import os
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest


from agents.memory import KINDS, group_id_for  # noqa: E402
from agents.memory_setup import make_llm_client, make_memory  # noqa: E402
from core.settings import Settings  # noqa: E402

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
_ids = itertools.count()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_user(prefix: str = "user") -> str:
    return f"{prefix}-{next(_ids)}-{os.getpid()}"


# --- memories on the module's graphs (tests/graph_backends.py) --------------------------------
@pytest.fixture(scope="module")
def falkor_memory(falkor_socket, loop):
    memory = make_memory(Settings(falkordb_socket=falkor_socket))
    loop.run_until_complete(memory.connect())
    yield memory
    loop.run_until_complete(memory.close())


@pytest.fixture(scope="module")
def neo4j_memory(neo4j_settings, loop):
    memory = make_memory(neo4j_settings)
    loop.run_until_complete(memory.connect())
    yield memory
    loop.run_until_complete(memory.close())


@pytest.fixture(scope="module")
def memory(graph_backend, request):
    return request.getfixturevalue({"falkordb": "falkor_memory", "neo4j": "neo4j_memory"}[graph_backend])


# --- remember / forget / current / history ---------------------------------------------------
def test_remember_and_current(run, memory):
    user = new_user()
    run(memory.remember(user, "allergy", "peanuts", at(0), {"severity": "anaphylactic"}))
    run(memory.remember(user, "allergy", "shellfish", at(0), {"severity": "mild"}))
    run(memory.remember(user, "diet", "vegetarian", at(1)))
    run(memory.remember(user, "language", "pt", at(1)))
    run(memory.remember(user, "cultural_background", "Portuguese", at(1)))
    run(memory.remember(user, "home_city", "Lisbon", at(2)))
    run(memory.remember(user, "budget", "cheap", at(2)))
    now = run(memory.current(user))
    assert sorted(now["allergies"]) == ["peanuts", "shellfish"]
    assert now["details"]["allergy"]["peanuts"]["severity"] == "anaphylactic"
    assert now["details"]["allergy"]["peanuts"]["valid_at"] == at(0).isoformat()
    assert now["diets"] == ["vegetarian"] and now["language"] == "pt"
    assert now["cultural_background"] == ["Portuguese"]
    assert now["home_city"] == "Lisbon" and now["budget"] == "cheap"
    facts = run(memory.facts(user))
    assert {f.kind for f in facts} == set(KINDS)
    assert all(f.valid_at is not None and f.current for f in facts)
    assert "is allergic to peanuts (severity: anaphylactic)" in {f.fact.split(" ", 1)[1] for f in facts}


def test_forget_invalidates_and_keeps_history(run, memory):
    user = new_user()
    run(memory.remember(user, "diet", "vegetarian", at(0)))
    run(memory.remember(user, "diet", "halal", at(0)))
    assert run(memory.forget(user, "diet", "Vegetarian", at(30))) == 1  # "I'm not vegetarian any more"
    now = run(memory.current(user))
    assert now["diets"] == ["halal"]
    [old] = run(memory.history(user, "diet"))[:1]
    assert old.value == "vegetarian" and not old.current
    assert old.valid_at == at(0) and old.invalid_at == at(30)
    assert old.expired_at is not None and old.expired_at >= old.created_at
    assert [f.value for f in run(memory.history(user, "diet"))] == ["vegetarian", "halal"]
    assert run(memory.forget(user, "diet", "vegetarian", at(31))) == 0  # already ended
    # becoming vegetarian again is a new fact; the first period stays in history
    run(memory.remember(user, "diet", "vegetarian", at(60)))
    periods = [(f.valid_at, f.invalid_at) for f in run(memory.history(user, "diet")) if f.value == "vegetarian"]
    assert periods == [(at(0), at(30)), (at(60), None)]


def test_single_valued_change_supersedes(run, memory):
    user = new_user()
    run(memory.remember(user, "home_city", "Lisbon", at(0)))
    run(memory.remember(user, "home_city", "Porto", at(10)))
    assert run(memory.current(user))["home_city"] == "Porto"
    lisbon, porto = run(memory.history(user, "home_city"))
    assert (lisbon.value, lisbon.invalid_at, lisbon.current) == ("Lisbon", at(10), False)
    assert (porto.value, porto.invalid_at, porto.current) == ("Porto", None, True)
    assert run(memory.forget(user, "home_city", at=at(20))) == 1  # value=None: whatever holds
    assert run(memory.current(user))["home_city"] is None
    assert len(run(memory.history(user, "home_city"))) == 2


def test_allergy_severity_change_is_a_new_version(run, memory):
    user = new_user()
    run(memory.remember(user, "allergy", "sesame", at(0), {"severity": "mild"}))
    run(memory.remember(user, "allergy", "sesame", at(5), {"severity": "severe"}))
    assert run(memory.current(user))["details"]["allergy"]["sesame"]["severity"] == "severe"
    versions = run(memory.history(user, "allergy"))
    assert [(f.attrs["severity"], f.current) for f in versions] == [("mild", False), ("severe", True)]
    assert versions[0].invalid_at == at(5)


def test_idempotent_under_redelivery(run, memory):
    user = new_user()
    for _ in range(3):  # at-least-once delivery of the same utterance
        run(memory.remember(user, "diet", "vegan", at(0)))
    run(memory.remember(user, "diet", "VEGAN ", at(3)))  # same value, nothing new
    assert len(run(memory.history(user, "diet"))) == 1
    run(memory.forget(user, "diet", "vegan", at(10)))
    run(memory.remember(user, "diet", "vegan", at(0)))  # late replay of the first statement
    assert len(run(memory.history(user, "diet"))) == 1
    assert run(memory.current(user))["diets"] == []


def test_late_older_statement_becomes_history(run, memory):
    user = new_user()
    run(memory.remember(user, "home_city", "Porto", at(10)))
    run(memory.remember(user, "home_city", "Lisbon", at(0)))  # delivered out of order
    assert run(memory.current(user))["home_city"] == "Porto"
    lisbon, porto = run(memory.history(user, "home_city"))
    assert (lisbon.value, lisbon.valid_at, lisbon.invalid_at) == ("Lisbon", at(0), at(10))
    assert porto.current


def test_bad_input_rejected(run, memory):
    user = new_user()
    with pytest.raises(ValueError):
        run(memory.remember(user, "favourite_colour", "blue"))
    with pytest.raises(ValueError):
        run(memory.remember(user, "diet", "   "))
    with pytest.raises(ValueError):
        run(memory.remember(user, "allergy", "nuts", attrs={"valid_at": "x"}))


def test_search_over_facts(run, memory):
    user = new_user()
    run(memory.remember(user, "allergy", "peanuts", at(0), {"severity": "severe"}))
    run(memory.remember(user, "home_city", "Tokyo", at(0)))
    run(memory.remember(user, "diet", "pescatarian", at(0)))
    run(memory.forget(user, "diet", "pescatarian", at(5)))
    hits = run(memory.search(user, "peanuts allergy"))
    assert hits and "peanuts" in hits[0]
    assert not any("pescatarian" in h for h in run(memory.search(user, "pescatarian diet")))


# --- group_id: its two meanings --------------------------------------------------------------
def _two_users(run, memory):
    a, b = new_user("alice"), new_user("bob")
    run(memory.remember(a, "allergy", "peanuts", at(0), {"severity": "severe"}))
    run(memory.remember(a, "home_city", "Lisbon", at(0)))
    run(memory.remember(b, "home_city", "Tokyo", at(0)))
    run(memory.remember(b, "diet", "vegan", at(0)))
    run(memory.forget(b, "diet", "vegan", at(1)))
    ca, cb = run(memory.current(a)), run(memory.current(b))
    assert ca["allergies"] == ["peanuts"] and ca["home_city"] == "Lisbon" and ca["diets"] == []
    assert cb["allergies"] == [] and cb["home_city"] == "Tokyo"
    assert {f.value for f in run(memory.history(a))} == {"peanuts", "Lisbon"}
    assert {f.value for f in run(memory.history(b))} == {"Tokyo", "vegan"}
    return a, b


def test_group_isolation_falkordb_graph_per_user(run, falkor_memory, falkor_socket):
    from falkordb.asyncio import FalkorDB

    a, b = _two_users(run, falkor_memory)
    db = FalkorDB(unix_socket_path=falkor_socket)
    try:
        graphs = set(run(db.list_graphs()))
        assert {group_id_for(a), group_id_for(b)} <= graphs
        for user, other in ((a, b), (b, a)):
            g = db.select_graph(group_id_for(user))
            rows = run(g.query("MATCH (n:Entity) RETURN DISTINCT n.group_id")).result_set
            assert rows == [[group_id_for(user)]]  # only this user's nodes in this graph
            names = {r[0] for r in run(g.query("MATCH (n:Entity) RETURN n.name")).result_set}
            assert user in names and other not in names
    finally:
        run(db.aclose())


def test_group_isolation_neo4j_property(run, neo4j_memory, neo4j_settings):
    from neo4j import AsyncGraphDatabase

    a, b = _two_users(run, neo4j_memory)

    async def groups():
        driver = AsyncGraphDatabase.driver(neo4j_settings.neo4j_uri,
                                           auth=(neo4j_settings.neo4j_user, neo4j_settings.neo4j_password))
        try:
            res = await driver.execute_query(
                "MATCH (n:Entity) WHERE n.group_id IN $g RETURN n.group_id AS g, count(n) AS n",
                g=[group_id_for(a), group_id_for(b)])
            return {r["g"]: r["n"] for r in res.records}
        finally:
            await driver.close()

    counts = run(groups())  # one database, both users' nodes, told apart by the property
    assert counts[group_id_for(a)] == 3 and counts[group_id_for(b)] == 3


def test_group_id_naming():
    assert group_id_for("user-1") == "mem_user-1"
    assert group_id_for("aurasense") != "aurasense"  # never the catalogue graph
    odd = group_id_for("ana@example.com")
    assert odd.startswith("memx_") and odd == group_id_for("ana@example.com")


def test_odd_user_ids_are_isolated(run, memory):
    run(memory.remember("ana@example.com", "diet", "kosher", at(0)))
    run(memory.remember("ana@example.org", "diet", "halal", at(0)))
    assert run(memory.current("ana@example.com"))["diets"] == ["kosher"]
    assert run(memory.current("ana@example.org"))["diets"] == ["halal"]


# --- episodes --------------------------------------------------------------------------------
def test_no_llm_no_episodes(run, memory):
    assert make_llm_client(Settings()) is None
    assert not memory.episodes_enabled
    user = new_user()
    run(memory.remember(user, "diet", "vegetarian", at(0)))
    assert memory.note_episode(user, "I had a lovely ramen in Tokyo yesterday") is None
    run(asyncio.sleep(0.05))
    assert run(memory.episode_count(user)) == 0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_episode_failure_is_logged_not_raised(run, graph_settings, caplog):
    """With an LLM configured the episode runs in the background; a dead endpoint only logs."""
    settings = graph_settings.with_(groq_api_key="test-key-not-real",
                                    groq_base_url=f"http://127.0.0.1:{_closed_port()}", groq_timeout_s=2.0)
    memory = make_memory(settings)
    assert memory.episodes_enabled
    user = new_user()

    async def reply_path():
        started = time.perf_counter()
        task = memory.note_episode(user, "I'm off to Kyoto next week with my sister")
        assert time.perf_counter() - started < 0.05  # not awaited on the reply path
        await asyncio.wait({task}, timeout=60)
        return task

    with caplog.at_level(logging.ERROR, logger="agents.memory"):
        task = run(reply_path())
    assert task.done() and task.exception() is not None
    assert any("graph memory episode failed" in r.getMessage() for r in caplog.records)
    assert run(memory.episode_count(user)) == 0
    run(memory.close())


# --- timings ---------------------------------------------------------------------------------
def test_fact_write_and_read_latency(run, memory):
    user = new_user()
    run(memory.remember(user, "home_city", "Lisbon", at(0)))  # first write: user node, indexes
    writes, reads = [], []
    for i in range(20):
        t = time.perf_counter()
        run(memory.remember(user, "budget", f"band-{i}", at(i + 1)))
        writes.append(time.perf_counter() - t)
        t = time.perf_counter()
        run(memory.current(user))
        reads.append(time.perf_counter() - t)
    writes.sort()
    reads.sort()
    print(f"\n{memory.backend}: write median {writes[10] * 1000:.1f} ms p95 {writes[18] * 1000:.1f} ms; "
          f"read median {reads[10] * 1000:.1f} ms p95 {reads[18] * 1000:.1f} ms")
    assert len(run(memory.history(user, "budget"))) == 20
    assert writes[10] < 0.5 and reads[10] < 0.5
