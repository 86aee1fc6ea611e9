"""Two and three workers in one consumer group share the partitions; killing one moves its
partitions and its table slice to the others, and its in-flight sessions still complete. Any
gateway answers for any session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aurasense.client import GatewayClient
from aurasense.ops.group import session_partitions, wait_shared
from aurasense.worker_process import WorkerProcess
from stack.processes import free_port
from tests.pipeline_helpers import new_user, reply_objects

SENTENCES = ("Where should I stay in Paris?", "What can I eat for dinner in London?",
             "Find me a hotel in Mumbai.", "Recommend a vegetarian dish in New York.",
             "Where should I stay in London?", "I'm hungry, what's good for lunch in Paris?")


@pytest.fixture(params=[2, 3], ids=["two-workers", "three-workers"])
def group(request, worker, settings):
    """The session worker plus ``param - 1`` more, in one consumer group."""
    extra = [WorkerProcess(settings.with_(gateway_port=free_port()),
                           Path(settings.data_dir) / "logs" / f"worker-{request.param}-{i}.log",
                           name=f"worker-{i}") for i in range(1, request.param)]
    for proc in extra:
        proc.start()
    yield [worker, *extra]
    for proc in extra:
        proc.stop()
    GatewayClient(worker.gateway_url).wait_ready(timeout=120)  # the first takes all back


def test_workers_share_partitions_and_survive_a_kill(group, settings, s3, say):
    urls = [w.gateway_url for w in group]
    shares = wait_shared(urls, settings.topic_partitions)
    owners = [w for w in group if shares[w.gateway_url]]
    assert len(owners) >= 2  # the partitions really are spread
    clients = [GatewayClient(u) for u in urls]
    first = GatewayClient(owners[0].gateway_url)

    user = new_user()
    onboard = first.create_upload(user)
    first.put(onboard, say("Hi, I'm new. My name is Kim and I live in Paris."))
    first.wait_done(onboard.session_id)
    sessions = []
    for text in SENTENCES:
        upload = first.create_upload(user)
        first.put(upload, say(text))
        sessions.append(upload.session_id)
    for sid in sessions[:2]:  # any gateway answers for any session, whichever worker holds it
        assert {c.wait_done(sid)["status"] for c in clients} == {"completed"}

    victim = owners[-1]  # a worker holding partitions, never the session-wide fixture's
    assert victim is not group[0]
    victim.kill()
    survivors = [w.gateway_url for w in group if w is not victim]
    wait_shared(survivors, settings.topic_partitions)  # its partitions moved to the others
    done = {sid: first.wait_done(sid, timeout=180) for sid in sessions}
    assert all(s["status"] == "completed" for s in done.values()), done
    assert sorted(sum((session_partitions(u) for u in survivors), [])) == list(range(settings.topic_partitions))
    assert len(reply_objects(s3, settings, user)) == len(sessions) + 1
