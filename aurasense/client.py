"""A small gateway client: presigned upload (or typed text), then poll the session until it is done.

Used by ``make run``, the tests and the benchmarks, the way an app would use the API.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import httpx


class ClientError(RuntimeError):
    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code  # the gateway's answer, when it refused a request


@dataclass(frozen=True)
class Upload:
    session_id: str
    key: str
    put_url: str
    put_headers: dict
    post_url: str
    post_fields: dict


class GatewayClient:
    def __init__(self, base_url: str, timeout: float = 30.0, token: str | None = None) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout)
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def register(self) -> str:
        """A new registered user (``POST /v1/users``); later calls send its bearer token."""
        r = self.http.post("/v1/users", json={})
        if r.status_code != 201:
            raise ClientError(f"register failed: {r.status_code} {r.text}")
        d = r.json()
        self.http.headers["Authorization"] = f"Bearer {d['token']}"
        return d["user_id"]

    def close(self) -> None:
        self.http.close()

    def wait_ready(self, timeout: float = 120.0) -> dict:
        """Block until /healthz says ready (worker joined, tables recovered)."""
        deadline, last = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            try:
                r = self.http.get("/healthz")
                last = r.json()
                if r.status_code == 200:
                    return last
            except httpx.HTTPError as exc:
                last = {"error": str(exc)}
            time.sleep(0.2)
        raise ClientError(f"gateway not ready after {timeout:.0f}s: {last}")

    def create_upload(self, user_id: str, content_type: str = "audio/wav",
                      session_id: str | None = None) -> Upload:
        body = {"user_id": user_id, "content_type": content_type}
        if session_id:
            body["session_id"] = session_id
        r = self.http.post("/v1/uploads", json=body)
        if r.status_code != 200:
            raise ClientError(f"presign failed: {r.status_code} {r.text}")
        d = r.json()
        return Upload(d["session_id"], d["key"], d["put"]["url"], d["put"]["headers"],
                      d["post"]["url"], d["post"]["fields"])

    def put(self, upload: Upload, data: bytes) -> None:
        r = httpx.put(upload.put_url, content=data, headers=upload.put_headers, timeout=30)
        if r.status_code != 200:
            raise ClientError(f"upload failed: {r.status_code} {r.text[:200]}")

    def post_form(self, upload: Upload, data: bytes, filename: str = "audio.wav") -> None:
        r = httpx.post(upload.post_url, data=upload.post_fields,
                       files={"file": (filename, data)}, timeout=30)
        if r.status_code not in (200, 201, 204):
            raise ClientError(f"form upload failed: {r.status_code} {r.text[:200]}")

    def submit_text(self, text: str, session_id: str | None = None) -> dict:
        """Typed text as an utterance (``POST /v1/utterances``): ``{session_id, user_id, status, ...}``.
        Sending the same ``session_id`` and text again is a safe retry."""
        body = {"text": text, **({"session_id": session_id} if session_id else {})}
        r = self.http.post("/v1/utterances", json=body)
        if r.status_code != 202:
            try:
                reason = r.json().get("error", r.text)
            except (ValueError, AttributeError):  # not the gateway's JSON error (a proxy's page)
                reason = r.text[:200]
            raise ClientError(f"text refused ({r.status_code}): {reason}", r.status_code)
        return r.json()

    def status(self, session_id: str) -> dict | None:
        r = self.http.get(f"/v1/sessions/{session_id}")
        if r.status_code == 404:
            return None
        r.raise_for_status()
        return r.json()

    def wait_done(self, session_id: str, timeout: float = 120.0, poll_s: float = 0.05,
                  on_change: Callable[[dict], None] | None = None) -> dict:
        """Poll until ``completed`` or ``failed``; ``on_change(status)`` at every new stage."""
        deadline, last, seen = time.monotonic() + timeout, None, None
        while time.monotonic() < deadline:
            last = self.status(session_id)
            step = last and (last["status"], last.get("stage"), last.get("attempt"))
            if on_change is not None and step and step != seen:
                seen = step
                on_change(last)
            if last and last["status"] in ("completed", "failed"):
                return last
            time.sleep(poll_s)
        raise ClientError(f"session {session_id} not done after {timeout:.0f}s: {last}")
