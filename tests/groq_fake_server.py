"""A local HTTP server that answers like Groq's transcription endpoint.

``POST /openai/v1/audio/transcriptions`` (multipart/form-data) -> ``verbose_json``.
Each request is recorded (headers, form fields, uploaded file) so a test can check what
the real ``groq`` SDK sends.  ``script`` is a queue of behaviours, one per request; when it
is empty the server answers normally:

* ``"ok"`` — 200 with text, language ("English"), duration, segments;
* ``("429", retry_after)`` — 429 rate_limit_exceeded with a ``retry-after`` header;
* ``"500"`` — 500 internal error in Groq's error shape;
* ``"401"`` — invalid API key;
* ``("slow", seconds)`` — sleeps, then answers normally (beyond the client's timeout);
* ``"malformed"`` — 200 with a body that is not JSON.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/openai/v1/audio/transcriptions"


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    fields: dict[str, str]  # form fields other than the file
    file_name: str | None
    file_type: str | None
    file_bytes: bytes
    at: float


@dataclass
class FakeGroq:
    text: str = "I would like jollof rice in Lagos."
    language: str = "English"  # verbose_json names it
    script: list = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeGroq":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.requests.append(_record(self.path, self.headers, body))
                if self.path != PATH:
                    return self._json(404, _error("Unknown request URL", "invalid_request_error"))
                action = fake.script.pop(0) if fake.script else "ok"
                kind, arg = (action, None) if isinstance(action, str) else action
                if kind == "slow":
                    time.sleep(arg)
                    kind = "ok"
                if kind == "ok":
                    return self._json(200, _verbose(fake.text, fake.language))
                if kind == "429":
                    return self._json(429, _error("Rate limit reached for model", "rate_limit_exceeded"),
                                      {"retry-after": str(arg)})
                if kind == "500":
                    return self._json(500, _error("Internal server error", "internal_server_error"))
                if kind == "401":
                    return self._json(401, _error("Invalid API Key", "invalid_api_key"))
                if kind == "malformed":
                    return self._raw(200, b'{"text": "I would like', "application/json")
                raise AssertionError(f"unknown script action {action!r}")

            def _json(self, status, payload, headers=None):
                self._raw(status, json.dumps(payload).encode(), "application/json", headers)

            def _raw(self, status, data, ctype, headers=None):
                try:
                    self.send_response(status)
                    self.send_header("content-type", ctype)
                    self.send_header("content-length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout)
                    pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that timed out and hung up is part of the tests

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _error(message: str, code: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


def _verbose(text: str, language: str = "English") -> dict:
    return {
        "task": "transcribe", "language": language, "duration": 2.5, "text": " " + text,
        "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 2.5, "text": " " + text,
                      "tokens": [50365, 286], "temperature": 0.0, "avg_logprob": -0.2,
                      "compression_ratio": 0.9, "no_speech_prob": 0.01}],
        "x_groq": {"id": "req_fake"},
    }


def _record(path: str, headers, body: bytes) -> Recorded:
    ctype = headers.get("content-type", "")
    fields, name, ftype, data = {}, None, None, b""
    if ctype.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"content-type: " + ctype.encode() + b"\r\n\r\n" + body)
        for part in message.iter_parts():
            key = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                name, ftype, data = filename, part.get_content_type(), payload
            else:
                fields[key] = payload.decode()
    return Recorded(path, {k.lower(): v for k, v in headers.items()}, fields, name, ftype, data,
                    time.monotonic())
