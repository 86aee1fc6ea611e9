"""The operator page and the signed-in user's own routes.

Fast tier (no stack): who may see ``/ops`` and ``/v1/me/*``, bad input, the profile view, and
that the pages load nothing from elsewhere. Stack tier: the operator API over the real log
(topics, lag, sessions, one session's records, dead letters, idempotent replay), and the
operator page in headless Chromium, with screenshots.
"""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import httpx
import pytest

from aurasense.client import GatewayClient
from gateway.profile_view import profile_view
from tests.test_gateway_fakes import fake_gateway
from tests.test_gateway_page import screenshot_dir  # noqa: F401  (fixture)

OPERATOR = "op-secret-for-tests"
STATIC = Path(__file__).parent.parent / "gateway" / "static"


def basic(password: str, user: str = "operator") -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


# --- fast tier ----------------------------------------------------------------------------------

def test_the_operator_page_is_off_without_a_configured_token():
    client, _ = fake_gateway()
    with client:
        r = client.get("/ops", headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "AURASENSE_OPERATOR_TOKEN" in r.json()["error"]


@pytest.mark.parametrize("path", ["/ops", "/ops/api/topics", "/ops/api/sessions",
                                  "/ops/api/dead-letters", "/ops/api/sessions/abc/records"])
def test_operator_routes_ask_for_the_token_and_refuse_a_wrong_one(path):
    client, _ = fake_gateway(operator_token=OPERATOR)
    with client:
        missing = client.get(path)
        wrong = client.get(path, headers=basic("not-it"))
        user_token = client.post("/v1/users", json={}).json()["token"]
        as_user = client.get(path, headers={"Authorization": f"Bearer {user_token}"})
    for r in (missing, wrong, as_user):
        assert r.status_code == 401, (path, r.status_code, r.text)
        assert r.headers["www-authenticate"].startswith("Basic ")


def test_the_operator_page_opens_with_basic_auth_or_bearer():
    client, _ = fake_gateway(operator_token=OPERATOR)
    with client:
        by_basic = client.get("/ops", headers=basic(OPERATOR))
        by_bearer = client.get("/ops", headers={"Authorization": f"Bearer {OPERATOR}"})
    for r in (by_basic, by_bearer):
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        assert "Dead letters" in r.text and r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("body, reason", [
    ({}, "dead_letter"), ({"dead_letter": "0@1", "session_id": "s"}, "dead_letter"),
    ({"dead_letter": "zero@one"}, "<partition>@<offset>"), ({"session_id": "../x"}, "session_id"),
])
def test_replay_refuses_what_it_cannot_name_before_touching_the_log(body, reason):
    client, _ = fake_gateway(operator_token=OPERATOR)
    with client:
        r = client.post("/ops/api/replay", json=body, headers=basic(OPERATOR))
    assert r.status_code == 400 and reason in r.json()["error"], r.text


def test_replay_takes_only_json_so_a_cross_site_form_cannot_post_it():
    client, _ = fake_gateway(operator_token=OPERATOR)
    with client:
        r = client.post("/ops/api/replay", content=b'{"session_id": "s"}',
                        headers={**basic(OPERATOR), "Content-Type": "text/plain"})
    assert r.status_code == 415


def test_bad_session_ids_and_limits_are_400():
    client, _ = fake_gateway(operator_token=OPERATOR)
    with client:
        bad_id = client.get("/ops/api/sessions/-x/records", headers=basic(OPERATOR))
        bad_limit = client.get("/ops/api/sessions?limit=0", headers=basic(OPERATOR))
        token = client.post("/v1/users", json={}).json()["token"]
        mine = client.get("/v1/me/sessions?limit=lots", headers={"Authorization": f"Bearer {token}"})
    assert bad_id.status_code == 400 and bad_limit.status_code == 400 and mine.status_code == 400
    assert "limit" in mine.json()["error"]


@pytest.mark.parametrize("path", ["/v1/me/sessions", "/v1/me/profile"])
def test_my_history_and_profile_need_a_valid_token(path):
    client, _ = fake_gateway()
    with client:
        anonymous = client.get(path)
        forged = client.get(path, headers={"Authorization": "Bearer dXNyLXg6OTk5OTk5OTk5OQ.AAAA"})
    assert anonymous.status_code == 401 and "sign in" in anonymous.json()["error"]
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert forged.status_code == 401


def test_the_profile_view_shows_allergies_with_their_severity():
    user = {"id": "usr-1", "name": "Ada", "home_city": "Lagos", "diets": ["vegetarian"],
            "allergies": ["peanut", "sesame"], "allergy_severity": ["peanut=severe"], "onboarded": True,
            "name_key": "ada"}
    view = profile_view(user)
    assert view["known"] and view["onboarded"] and view["name"] == "Ada" and view["home_city"] == "Lagos"
    assert view["allergies"] == [{"name": "peanut", "severity": "severe"},
                                 {"name": "sesame", "severity": None}]
    assert view["diets"] == ["vegetarian"] and "name_key" not in view and "id" not in view
    assert profile_view(None) == {**profile_view({}), "known": False}
    assert not profile_view(None)["known"] and profile_view(None)["allergies"] == []


@pytest.mark.parametrize("page", ["index.html", "ops.html"])
def test_the_pages_load_nothing_from_elsewhere(page):
    html = (STATIC / page).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert not re.search(r"""(fetch|EventSource)\(\s*["'`]https?:""", html)
    assert "@import" not in html and "url(" not in html


@pytest.mark.parametrize("page", ["index.html", "ops.html"])
def test_every_field_has_a_label_and_progress_is_announced(page):
    html = (STATIC / page).read_text(encoding="utf-8")
    inputs = re.findall(r'<input [^>]*id="([^"]+)"', html)
    assert inputs and all(f'<label for="{i}"' in html for i in inputs), inputs
    assert 'aria-live="polite"' in html and '<html lang="en">' in html
    assert 'name="viewport"' in html


# --- over the real log (stack) ----------------------------------------------------------------

def _wait(what, probe, timeout: float = 60.0, poll_s: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(poll_s)


@pytest.fixture(scope="module")
def ops(worker, settings):
    http = httpx.Client(base_url=worker.gateway_url, headers=basic(settings.operator_token), timeout=60)
    yield http
    http.close()


@pytest.fixture(scope="module")
def answered(worker):
    """A registered user's typed turn, answered: (client, session_id, status)."""
    user = GatewayClient(worker.gateway_url)
    user.register()
    sent = user.submit_text("I'm hungry, what can I eat in Paris tonight?")
    done = user.wait_done(sent["session_id"])
    assert done["status"] == "completed", done
    yield user, sent["session_id"], done
    user.close()


@pytest.fixture(scope="module")
def dead_letter(settings):
    """An unparseable event on a stage topic: (topic, offset) of what the stage dead-letters."""
    import asyncio

    from aurasense.ops.log import publish

    garbage = b"not json at all: ops page test " + str(time.time_ns()).encode()
    sent = asyncio.run(publish(settings.kafka_bootstrap, [("audio-transcribed", b"ops-dl", garbage)]))
    return sent[0].topic, sent[0].partition, sent[0].offset, garbage.decode()


def _dead_letters(ops) -> list[dict]:
    r = ops.get("/ops/api/dead-letters")
    assert r.status_code == 200, r.text
    return r.json()["dead_letters"]


def _mine(ops, dead_letter) -> list[dict]:
    topic, partition, offset, payload = dead_letter
    return [d for d in _dead_letters(ops) if d.get("payload") == payload]


@pytest.mark.stack
def test_topics_show_record_counts_and_the_pipelines_lag(ops, answered, dead_letter):
    _wait("the dead letter", lambda: _mine(ops, dead_letter))
    r = ops.get("/ops/api/topics")
    assert r.status_code == 200, r.text
    by_name = {t["name"]: t for t in r.json()["topics"]}
    for name in ("text-submitted", "audio-transcribed", "request-routed", "audio-responded", "dead-letter"):
        assert by_name[name]["records"] >= 1 and by_name[name]["partitions"] >= 1, by_name[name]
    assert isinstance(by_name["request-routed"]["lag"], int) and by_name["request-routed"]["lag"] >= 0
    assert by_name["audio-responded"]["lag"] is None  # nothing in the pipeline reads it


@pytest.mark.stack
def test_latest_sessions_have_status_agent_and_stage_timings(ops, answered):
    _, session_id, done = answered
    rows = ops.get("/ops/api/sessions", params={"limit": 200}).json()["sessions"]
    row = next(s for s in rows if s["session_id"] == session_id)
    assert row["status"] == "completed" and row["agent_used"] == done["agent_used"]
    assert {"route", "respond"} <= set(row["timings"]) and all(ms >= 0 for ms in row["timings"].values())
    assert "cultural_context" not in row
    created = [s["created_at"] for s in rows]
    assert created == sorted(created, reverse=True)


@pytest.mark.stack
def test_one_sessions_records_across_every_topic(ops, answered):
    _, session_id, _ = answered
    records = ops.get(f"/ops/api/sessions/{session_id}/records").json()["records"]
    topics = [r["topic"] for r in records]
    for topic in ("text-submitted", "audio-transcribed", "request-routed", "audio-responded"):
        assert topic in topics, topics
    # Each names the session: its key, its session_id, or (bucket events, e.g. the reply's WAV
    # landing in the bucket) an object key.
    strangers = [r for r in records if r["key"] != session_id and r["value"].get("session_id") != session_id
                 and not (r["topic"] == "bucket-events" and session_id in str(r["value"]))]
    assert not strangers, strangers
    stamps = [r["timestamp_ms"] for r in records]
    assert stamps == sorted(stamps)


@pytest.mark.stack
def test_a_dead_letter_shows_its_reason_and_origin_and_replays_to_it(ops, dead_letter):
    topic, partition, offset, payload = dead_letter
    [row] = _wait("the dead letter", lambda: _mine(ops, dead_letter))
    assert row["origin"] == f"{topic}[{partition}]@{offset}" and row["origin_topic"] == topic
    assert row["error"] and row["stage"]
    r = ops.post("/ops/api/replay", json={"dead_letter": row["id"]})
    assert r.status_code == 202, r.text
    dl_partition, dl_offset = row["id"].split("@")
    assert r.json()["replayed"] == [{"from": f"dead-letter[{dl_partition}]@{dl_offset}",
                                     "to": topic, "key": "ops-dl"}]
    # Still unparseable where it came back to: dead-lettered again, from its new offset.
    again = _wait("the replayed dead letter", lambda: len(_mine(ops, dead_letter)) == 2 and _mine(ops, dead_letter))
    assert {d["origin"] for d in again} > {row["origin"]}


@pytest.mark.stack
def test_replaying_a_session_is_idempotent(ops, answered, settings):
    import asyncio

    from aurasense.ops.log import read_all
    from aurasense.ops.records import matches_session

    user, session_id, done = answered
    r = ops.post("/ops/api/replay", json={"session_id": session_id})
    assert r.status_code == 202, r.text
    assert [x["to"] for x in r.json()["replayed"]] == ["text-submitted"]
    after = _wait("the replay to be skipped",
                  lambda: (s := user.status(session_id))["duplicates_ignored"] > done["duplicates_ignored"] and s)
    assert after["status"] == "completed" and after["response_text"] == done["response_text"]
    replies = [rec for rec in asyncio.run(read_all(settings.kafka_bootstrap, ["audio-responded"]))
               if matches_session(rec, session_id)]
    assert len(replies) == 1
    assert ops.post("/ops/api/replay", json={"session_id": "no-such-session-here"}).status_code == 404


@pytest.mark.stack
def test_my_history_is_mine_only(worker, answered):
    user, session_id, done = answered
    mine = user.http.get("/v1/me/sessions").json()["sessions"]
    assert [s["session_id"] for s in mine] == [session_id]
    assert mine[0]["response_text"] == done["response_text"]
    assert mine[0]["response_audio_url"].startswith("http")
    assert httpx.get(mine[0]["response_audio_url"], timeout=30).content[:4] == b"RIFF"
    other = GatewayClient(worker.gateway_url)
    other_id = other.register()
    try:
        assert other.http.get("/v1/me/sessions").json()["sessions"] == []
        assert other.http.get("/v1/me/profile").json() == {**profile_view(None), "user_id": other_id}
    finally:
        other.close()


# --- the operator page in headless Chromium ----------------------------------------------------

@pytest.mark.stack
def test_the_operator_page_shows_the_sessions_records_and_a_dead_letter(
        ops, answered, dead_letter, settings, tmp_path, screenshot_dir):  # noqa: F811
    from tests.test_gateway_page import CHROMIUM, open_chromium, screenshots

    if CHROMIUM is None:
        pytest.skip("chromium not installed (Debian: apt-get install -y chromium)")
    _, session_id, _ = answered
    _wait("the dead letter", lambda: _mine(ops, dead_letter))
    silence = tmp_path / "silence.wav"
    silence.write_bytes(_silent_wav())
    with open_chromium(silence, tmp_path / "profile") as chromium:
        chromium.call("Network.enable")
        chromium.call("Network.setExtraHTTPHeaders", headers=basic(settings.operator_token))
        chromium.call("Page.enable")
        chromium.call("Page.navigate", url=f"{str(ops.base_url).rstrip('/')}/ops")
        _wait("the operator page", lambda: chromium.evaluate("typeof window.opsPage") == "object")
        chromium.evaluate("opsPage.ready")
        chromium.evaluate(f"opsPage.showRecords({session_id!r})")
        shown = chromium.evaluate("""({
            sessions: document.getElementById('sessions').innerText,
            topics: document.getElementById('topics').innerText,
            dead: document.getElementById('dead-letters').innerText,
            records: [...document.querySelectorAll('#records li')].map((li) => li.dataset.topic),
            notice: document.getElementById('notice').textContent})""")
        screenshots(chromium, screenshot_dir, "ops")
        chromium.evaluate("document.querySelector('#dead-letters button').click()")
        deadline = time.monotonic() + 30
        while not (replayed := chromium.evaluate("document.getElementById('notice').textContent")):
            assert time.monotonic() < deadline, "the replay button did nothing"
            time.sleep(0.1)
    assert not shown["notice"], shown["notice"]
    assert session_id in shown["sessions"] and "completed" in shown["sessions"]
    assert "dead-letter" in shown["topics"] and "audio-transcribed" in shown["topics"]
    topic, partition, offset, payload = dead_letter
    assert f"{topic}[{partition}]@{offset}" in shown["dead"] and payload[:40] in shown["dead"]
    assert {"text-submitted", "request-routed", "audio-responded"} <= set(shown["records"])
    assert replayed.startswith("Replayed 1 record(s): dead-letter[") and f"→ {topic}." in replayed, replayed


def _silent_wav(seconds: float = 0.1) -> bytes:
    import io
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * int(16000 * seconds))
    return buf.getvalue()
