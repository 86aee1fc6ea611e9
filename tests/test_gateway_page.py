"""The page at ``/`` in headless Chromium: a whole conversation, by voice (a fake microphone
speaks a WAV; the page records and uploads through the presigned form) and by typed text, with
the live progress (SSE), the history, the profile panel and a reload; screenshots at desktop and
phone widths go to ``<basetemp>/screenshots``.

Driven over the Chrome DevTools protocol with a minimal stdlib WebSocket client.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from stack.processes import free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed "
                                "(Debian: apt-get install -y chromium)")


class DevTools:
    """Just enough WebSocket (RFC 6455 text frames) to send CDP commands and read replies."""

    def __init__(self, ws_url: str, timeout: float = 60) -> None:
        url = urlsplit(ws_url)
        self.sock = socket.create_connection((url.hostname, url.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n", 1)[0], head
        self.ids = itertools.count(1)

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("devtools closed")
            data += chunk
        return data

    def _send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0xFE]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0xFF]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _recv(self) -> dict:
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            n = struct.unpack(">H", self._exact(2))[0] if n == 126 else (
                struct.unpack(">Q", self._exact(8))[0] if n == 127 else n)
            message += self._exact(n)
            if b0 & 0x80:
                return json.loads(message)

    def call(self, method: str, **params) -> dict:
        call_id = next(self.ids)
        self._send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            reply = self._recv()
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                return reply["result"]

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")


@contextlib.contextmanager
def open_chromium(wav: Path, profile: Path):
    """Headless Chromium whose fake microphone speaks ``wav``; ``profile`` keeps its storage."""
    port = free_port()
    proc = subprocess.Popen([
        CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        f"--remote-debugging-port={port}", f"--user-data-dir={profile}",
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required",
        "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (httpx.HTTPError, StopIteration, ValueError):
                assert time.monotonic() < deadline, "chromium did not start"
                time.sleep(0.2)
        yield DevTools(page["webSocketDebuggerUrl"])
    finally:
        _close_cleanly(proc, port)


def _close_cleanly(proc: subprocess.Popen, port: int) -> None:
    """Browser.close, so the profile (localStorage) is written out; SIGTERM if that fails."""
    try:
        browser = httpx.get(f"http://127.0.0.1:{port}/json/version", timeout=2).json()
        DevTools(browser["webSocketDebuggerUrl"])._send(json.dumps({"id": 1, "method": "Browser.close"}))
        proc.wait(15)
        return
    except (httpx.HTTPError, OSError, KeyError, ValueError, subprocess.TimeoutExpired):
        pass
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


WIDTHS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the browser tests write their screenshots (one place per test run)."""
    directory = tmp_path_factory.getbasetemp() / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory


def screenshots(chromium: DevTools, directory: Path, name: str) -> list[Path]:
    """The whole page at desktop and phone widths, as ``<name>-desktop.png`` and ``<name>-phone.png``."""
    written = []
    for width_name, (width, height, mobile) in WIDTHS.items():
        chromium.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                      deviceScaleFactor=1, mobile=mobile)
        full = chromium.evaluate("document.documentElement.scrollHeight")
        chromium.call("Emulation.setDeviceMetricsOverride", width=width, height=min(max(full, height), 4000),
                      deviceScaleFactor=1, mobile=mobile)
        shot = chromium.call("Page.captureScreenshot", format="png")
        path = directory / f"{name}-{width_name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        assert path.stat().st_size > 5000, path  # a page, not an empty canvas
        written.append(path)
    chromium.call("Emulation.clearDeviceMetricsOverride")
    return written


def load_page(chromium: DevTools, url: str) -> None:
    """Open ``url`` and wait for the page's first load (history and profile) to finish."""
    chromium.call("Page.enable")
    chromium.call("Page.navigate", url=url)
    wait_for(chromium, "typeof window.aurasense === 'object'", "the page to load")
    chromium.evaluate("aurasense.ready")


def wait_for(chromium: DevTools, condition: str, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not chromium.evaluate(condition):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def page_state(chromium: DevTools) -> dict:
    return chromium.evaluate("""({
        token: localStorage.getItem('aurasense.token'), who: document.getElementById('who').textContent,
        state: document.getElementById('state').textContent,
        stages: [...document.querySelectorAll('#stages li')].map((li) => [li.dataset.stage, li.className]),
        stage_text: document.getElementById('stages').innerText,
        turns: [...document.querySelectorAll('#history li.turn')].map((li) => ({
            session: li.dataset.session, status: li.dataset.status,
            said: li.querySelector('.said').textContent, reply: li.querySelector('.reply').textContent,
            agent: li.querySelector('.agent')?.textContent || '', time: li.querySelector('time').textContent,
            audio: li.querySelector('audio')?.src || ''})),
        allergies: [...document.querySelectorAll('#p-allergies li')].map((li) => li.textContent),
        name: document.getElementById('p-name').textContent,
        city: document.getElementById('p-city').textContent})""")


ONBOARD = "Hi, I'm new here. My name is Ada, I live in Lagos and I have a severe peanut allergy."
HUNGRY = "I'm hungry. Can you recommend something spicy for dinner?"


def test_a_whole_conversation_by_text_and_voice_survives_a_reload(worker, settings, tmp_path, say,
                                                                  screenshot_dir):
    """Register; onboard with an allergy by typing; the profile panel shows it; ask for food by
    voice; the reply honours the allergy and plays; reload: the same conversation is there."""
    import asyncio

    from tests.pipeline_helpers import assert_valid_wav
    from tests.test_conversations import _dishes, _named

    wav = tmp_path / "mic.wav"
    wav.write_bytes(say(HUNGRY))
    hold_ms = int(assert_valid_wav(wav.read_bytes()) * 1000) + 400  # the whole sentence once
    with open_chromium(wav, tmp_path / "profile") as chromium:
        load_page(chromium, f"{worker.gateway_url}/")
        chromium.evaluate("aurasense.register()")
        assert chromium.evaluate(f"aurasense.type({ONBOARD!r})") == {"status": "completed"}
        wait_for(chromium, "document.querySelector('#p-allergies li')?.textContent.includes('peanut')",
                 "the profile panel to show the allergy")
        typed = page_state(chromium)
        assert typed["allergies"] == ["peanut (severe)"], typed
        assert (typed["name"], typed["city"]) == ("Ada", "Lagos"), typed
        assert [s for s, cls in typed["stages"]] == ["text", "route", "respond"], typed
        assert all(cls == "done" for _, cls in typed["stages"]), typed
        assert re.search(r"routed in \d+\.\d s at \+\d+\.\d s", typed["stage_text"]), typed["stage_text"]

        assert chromium.evaluate(f"aurasense.talk({hold_ms})") == {"status": "completed"}
        spoken = page_state(chromium)
        wait_for(chromium, "[...document.querySelectorAll('#history audio')].some((a) => a.currentTime > 0)",
                 "the reply audio to play", timeout=15)
        screenshots(chromium, screenshot_dir, "conversation")

        chromium.call("Page.reload")
        wait_for(chromium, "typeof window.aurasense === 'object' && document.readyState === 'complete'",
                 "the page to reload")
        chromium.evaluate("aurasense.ready")
        reloaded = page_state(chromium)

        # Signed out, nothing of the conversation is shown; the token signs back in to all of it.
        chromium.evaluate("document.getElementById('signout').click()")
        signed_out = page_state(chromium)
        chromium.evaluate(f"aurasense.signIn({reloaded['token']!r})")
        signed_in = page_state(chromium)

    assert [t["status"] for t in spoken["turns"]] == ["completed", "completed"], spoken
    first, second = spoken["turns"]
    assert first["said"] == ONBOARD and first["agent"].startswith("onboarding")
    assert "spicy" in second["said"].lower() and second["agent"].startswith("food"), second
    assert all(t["reply"] and t["audio"].startswith("http") and t["time"] for t in spoken["turns"]), spoken
    assert [s for s, cls in spoken["stages"]] == ["ingest", "transcribe", "route", "respond"], spoken
    named = _named(second["reply"], asyncio.run(_dishes(settings)))
    assert named, second["reply"]  # a recommendation, not onboarding again
    assert not [d for d, (allergens, _) in named.items() if "peanut" in allergens], named

    assert reloaded["token"] == spoken["token"] and reloaded["token"]
    assert [(t["session"], t["said"], t["reply"]) for t in reloaded["turns"]] == \
        [(t["session"], t["said"], t["reply"]) for t in spoken["turns"]]
    assert reloaded["allergies"] == ["peanut (severe)"]
    assert signed_out["token"] is None and signed_out["turns"] == [] and signed_out["allergies"] == []
    assert signed_in["token"] == reloaded["token"]
    assert _unsigned(signed_in["turns"]) == _unsigned(reloaded["turns"])  # each read presigns afresh
    assert signed_in["allergies"] == ["peanut (severe)"]
    assert signed_in["who"] == reloaded["who"] and reloaded["who"].startswith("usr-")


def test_a_failed_turn_says_why_in_plain_words(worker, tmp_path, screenshot_dir):
    """Silence into the microphone: the turn ends failed, and the page says what went wrong."""
    from tests.test_gateway_ops import _silent_wav

    wav = tmp_path / "silence.wav"
    wav.write_bytes(_silent_wav(seconds=2.0))
    with open_chromium(wav, tmp_path / "profile") as chromium:
        load_page(chromium, f"{worker.gateway_url}/")
        chromium.evaluate("aurasense.register()")
        assert chromium.evaluate("aurasense.talk(1500)") == {"status": "failed"}
        shown = page_state(chromium)
        failed_class = chromium.evaluate("document.getElementById('state').className")
    assert shown["state"].startswith("Sorry, the ") and "no speech detected" in shown["state"], shown
    assert failed_class == "failed"
    [turn] = shown["turns"]
    assert turn["status"] == "failed" and "no speech detected" in turn["reply"], turn
    assert [cls for _, cls in shown["stages"]].count("failed") == 1, shown["stages"]


def _unsigned(turns: list[dict]) -> list[dict]:
    """Turns with their reply audio's presigned query left out: a URL is signed per read."""
    return [{**t, "audio": (t.get("audio") or "").split("?", 1)[0]} for t in turns]

