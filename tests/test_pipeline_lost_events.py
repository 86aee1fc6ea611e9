"""An event committed but never processed is found and sent again: the session still completes.

The worker is run with ``AURASENSE_CHAOS_DROP=<stage>:1``: the stage acknowledges the first event
it gets without processing it, so its offset is committed and the session stays where it was,
which is what a lost delivery leaves behind (streams/sweeper.py). For transcribe that is before
the session has a status of its own: ingest's ``upload-logged`` note is what the sweeper follows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import httpx

from aurasense.client import GatewayClient
from aurasense.worker_process import WorkerProcess
from schemas import topics
from tests.pipeline_helpers import events_for, new_user, reply_objects


@pytest.mark.parametrize("stage, lost_topic", [("respond", topics.REQUEST_ROUTED),
                                               ("transcribe", topics.AUDIO_UPLOADED)])
def test_a_lost_event_is_sent_again_and_the_session_completes(stage, lost_topic, worker, settings,
                                                              s3, say):
    worker.stop()  # the session worker makes way for one that loses an event
    drill = WorkerProcess(settings.with_(chaos_drop=f"{stage}:1", lost_event_grace_s=2.0),
                          Path(settings.data_dir) / "logs" / "worker-chaos.log", name="worker-chaos")
    try:
        drill.start()
        client = GatewayClient(drill.gateway_url)
        client.wait_ready()
        user = new_user()
        upload = client.create_upload(user)
        client.put(upload, say("Where should I stay in Paris?"))
        status = client.wait_done(upload.session_id, timeout=120)
        metrics = httpx.get(f"{drill.gateway_url}/metrics", timeout=30).text
    finally:
        drill.stop()
        worker.start()
        GatewayClient(worker.gateway_url).wait_ready()

    assert status["status"] == "completed", status
    assert status["response_text"] and status["agent_used"] == "onboarding"  # a new user
    lost = events_for(settings, lost_topic, upload.session_id)
    assert len(lost) == 2 and lost[0] == lost[1]  # the very event, sent once more
    assert status["last_event"].startswith(f"{topics.AUDIO_RESPONDED}/")
    assert len(events_for(settings, topics.AUDIO_RESPONDED, upload.session_id)) == 1
    assert reply_objects(s3, settings, user) == [status["response_audio_key"]]
    assert 'aurasense_delivery_repairs{kind="lost_resent"} 1.0' in metrics
    log = (Path(settings.data_dir) / "logs" / "worker-chaos.log").read_text()
    assert f"chaos: {stage} event" in log
    assert f"sweeper: session {upload.session_id}: its event {lost_topic}/" in log
