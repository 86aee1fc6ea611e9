"""The local Neo4j (stack/neo4j.py): committed data survives a clean stop and a SIGKILL; auth is
on, with the generated password only the data dir's owner can read."""

import stat

import pytest

from stack.neo4j import Neo4jServer
from stack.processes import port_open
from tests.graph_backends import require_local_neo4j


def _count(server: Neo4jServer, cypher: str = "MATCH (p:Probe) RETURN count(p) AS n") -> int:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        return driver.execute_query(cypher).records[0]["n"]


def _write(server: Neo4jServer, probe_id: str) -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        driver.execute_query("CREATE (:Probe {id: $id})", id=probe_id)


def test_data_survives_stop_start_and_kill(tmp_path):
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    require_local_neo4j()
    server = Neo4jServer(tmp_path)
    try:
        server.start()
        _write(server, "before-stop")
        server.stop()
        assert not port_open(server.port)

        server.start()  # same data dir, same port
        assert _count(server) == 1
        _write(server, "before-kill")
        server.kill()  # no checkpoint: the next start replays the transaction log

        server.start()
        assert _count(server) == 2
        assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
        with GraphDatabase.driver(server.uri, auth=(server.user, "not-the-password")) as driver:
            with pytest.raises(AuthError):
                driver.verify_connectivity()
    finally:
        server.stop()
