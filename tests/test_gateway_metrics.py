"""/metrics: request counts by route, session and stage histograms, lag and dead letters."""

from __future__ import annotations

import httpx

from schemas.events import SessionStatus
from schemas.topics import STREAM_TOPICS
from tests.test_gateway_fakes import fake_gateway


def _value(text: str, prefix: str) -> float:
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(prefix))


def test_metrics_fold_requests_sessions_lag_and_dead_letters():
    done = SessionStatus(session_id="s1", user_id="u", status="completed", stage="respond",
                         created_at=100.0, completed_at=103.0,
                         timings={"transcribe": {"started_at": 100.5, "finished_at": 101.5,
                                                 "compute_ms": 900.0}}).to_dict()
    busy = SessionStatus(session_id="s2", user_id="u", status="processing").to_dict()
    source = {"statuses": [done, busy], "consumer_lag": {("audio-uploaded", 0): 7},
              "messages_sent": {"dead-letter": 2},
              "delivery_repairs": {"refetched": 3, "lost_resent": 1}}
    client, _ = fake_gateway(metrics_source=lambda: source)
    client.get("/v1/sessions/s-unknown")
    client.get("/v1/sessions/s-unknown")
    client.get("/nowhere")
    text = client.get("/metrics").text
    client.get("/metrics")  # a second scrape observes nothing twice
    text = client.get("/metrics").text
    assert _value(text, 'aurasense_gateway_requests_total{method="GET",route="/v1/sessions/{session_id}",status="404"}') == 2
    assert _value(text, 'aurasense_gateway_requests_total{method="GET",route="unmatched"') == 1
    assert _value(text, 'aurasense_session_processing_seconds_count{status="completed"}') == 1
    assert _value(text, 'aurasense_session_processing_seconds_sum{status="completed"}') == 3.0
    assert _value(text, 'aurasense_stage_seconds_sum{stage="transcribe"}') == 1.0
    assert _value(text, 'aurasense_active_sessions{status="processing"}') == 1
    assert _value(text, 'aurasense_consumer_lag{partition="0",topic="audio-uploaded"}') == 7
    assert _value(text, "aurasense_dead_letters ") == 2
    assert _value(text, 'aurasense_delivery_repairs{kind="refetched"}') == 3
    assert _value(text, 'aurasense_delivery_repairs{kind="lost_resent"}') == 1


def test_worker_metrics_after_a_session(worker, say):
    from tests.test_gateway_flow import seed_client_flow
    assert seed_client_flow(worker.gateway_url, say("Where should I stay in Rome?"))["status"] == "completed"
    text = httpx.get(f"{worker.gateway_url}/metrics", timeout=30).text
    assert _value(text, 'aurasense_session_processing_seconds_count{status="completed"}') >= 1
    assert _value(text, 'aurasense_stage_seconds_count{stage="respond"}') >= 1
    assert _value(text, "aurasense_upload_bytes_count") >= 1
    assert "aurasense_consumer_lag{" in text
    assert 'aurasense_delivery_repairs{kind="refetched"}' in text


def test_worker_healthz_reports_the_fetch_state_of_its_stream_partitions(worker):
    health = httpx.get(f"{worker.gateway_url}/healthz", timeout=30).json()
    fetch = health["fetch"]
    assert health["ready"] and fetch, health
    for where, state in fetch.items():
        assert where.split("/")[0] in STREAM_TOPICS
        assert {"position", "highwater", "read_offset", "committed"} <= set(state), state
