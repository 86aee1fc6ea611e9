"""The page at ``/`` in headless Chromium: a fake microphone speaks a WAV, the page records,
uploads through the presigned form, follows the SSE stream and shows the transcription.

Driven over the Chrome DevTools protocol with a minimal stdlib WebSocket client.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
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


@pytest.fixture
def chromium(tmp_path, say):
    wav = tmp_path / "mic.wav"
    wav.write_bytes(say("Where should I stay in Paris?"))
    with open_chromium(wav, tmp_path / "profile") as devtools:
        yield devtools


def load_page(chromium, url: str) -> None:
    chromium.call("Page.enable")
    chromium.call("Page.navigate", url=url)
    deadline = time.monotonic() + 30
    while chromium.evaluate("typeof window.aurasense") != "object":
        assert time.monotonic() < deadline, "page did not load"
        time.sleep(0.1)


def test_page_records_uploads_and_shows_the_transcription(worker, chromium):
    load_page(chromium, f"{worker.gateway_url}/")
    end = chromium.evaluate("aurasense.talk(3500)")  # hold the button for 3.5 s
    shown = chromium.evaluate("({state: document.getElementById('state').textContent,"
                              " said: document.getElementById('transcription').textContent,"
                              " reply: document.getElementById('reply').textContent,"
                              " audio: document.getElementById('player').src})")
    assert end == {"status": "completed"}, shown
    assert "paris" in shown["said"].lower(), shown
    assert shown["reply"] and shown["audio"].startswith("http"), shown
    deadline = time.monotonic() + 15  # and the reply is playing
    while not chromium.evaluate("document.getElementById('player').currentTime > 0"):
        assert time.monotonic() < deadline, "reply audio did not play"
        time.sleep(0.1)


def test_the_page_holds_a_conversation_as_one_guest(worker, settings, tmp_path, say):
    """Two turns in two browser runs sharing one profile: the allergy given in the first is
    honoured in the second (the page keeps its guest id)."""
    import asyncio

    from tests.pipeline_helpers import assert_valid_wav
    from tests.test_conversations import _dishes, _named

    turns = ("Hi, I'm new here. My name is Ada, I live in Lagos and I'm allergic to peanuts.",
             "I'm hungry. Can you recommend something spicy for dinner?")
    said = []
    for n, text in enumerate(turns):
        wav = tmp_path / f"turn{n}.wav"
        wav.write_bytes(say(text))
        hold_ms = int(assert_valid_wav(wav.read_bytes()) * 1000) + 400  # the whole sentence once
        with open_chromium(wav, tmp_path / "profile") as chromium:
            load_page(chromium, f"{worker.gateway_url}/")
            assert chromium.evaluate(f"aurasense.talk({hold_ms})") == {"status": "completed"}
            said.append(chromium.evaluate("({guest: localStorage.getItem('aurasense.guest'),"
                                          " reply: document.getElementById('reply').textContent})"))
    assert said[0]["guest"] == said[1]["guest"] and said[0]["guest"].startswith("guest-")
    named = _named(said[1]["reply"], asyncio.run(_dishes(settings)))
    assert named, said[1]["reply"]  # a recommendation, not onboarding again
    assert not [d for d, (allergens, _) in named.items() if "peanut" in allergens], named
