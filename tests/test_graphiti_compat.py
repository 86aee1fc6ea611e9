"""agents/graphiti_compat.py refuses a graphiti-core it was not tested with, and finds the drivers'
index-building task where that version keeps it."""

import asyncio

import pytest

from agents import graphiti_compat


def test_an_untested_version_is_refused_by_name():
    with pytest.raises(graphiti_compat.UntestedLibraryVersion, match="graphiti-core 9.9.9"):
        graphiti_compat.check_versions(lambda name: "9.9.9")


def test_the_index_build_of_a_driver_made_in_a_loop_is_found_and_awaited():
    from graphiti_core.driver.neo4j_driver import Neo4jDriver

    async def build_and_cancel():
        # No server at this address: the index build fails or is cancelled, never silently absent.
        driver = Neo4jDriver("bolt://127.0.0.1:9", "neo4j", "x")
        task = graphiti_compat.index_build(driver)
        assert isinstance(task, asyncio.Task)
        await graphiti_compat.cancel_index_build(driver)
        assert task.done()
        await driver.close()

    asyncio.run(build_and_cancel())
