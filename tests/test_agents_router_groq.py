"""GroqIntentClassifier against a local server in Groq's chat-completions shape (real groq SDK)."""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agents.base import AgentContext, AgentRequest
from agents.providers.errors import ProviderUnavailable
from agents.providers.llm import ROUTER_MODEL, GroqIntentClassifier, make_intent_classifier
from agents.registry import routing_descriptions
from agents.router import route

PATH = "/openai/v1/chat/completions"


def completion(content: str) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": ROUTER_MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "logprobs": None, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 200, "completion_tokens": 12, "total_tokens": 212}}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # clients that time out reset the socket
        pass


class FakeGroqChat:
    """Answers each POST with the next scripted behaviour: a content string, ("status", n) or ("slow", s)."""

    def __init__(self):
        self.script, self.requests = [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                fake.requests.append((self.path, dict(self.headers), body))
                action = fake.script.pop(0) if fake.script else '{"intent": "food", "confidence": 0.9}'
                if isinstance(action, tuple) and action[0] == "slow":
                    time.sleep(action[1])
                    action = '{"intent": "food", "confidence": 0.9}'
                if isinstance(action, tuple):
                    error = {"error": {"message": "Internal server error", "type": "internal_server_error"}}
                    return self._send(action[1], error)
                self._send(200 if self.path == PATH else 404, completion(action))

            def _send(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def fake():
    server = FakeGroqChat()
    yield server
    server.server.shutdown()
    server.server.server_close()


def classify(fake, text, timeout_s=2.0):
    classifier = GroqIntentClassifier("test-key", routing_descriptions(), base_url=fake.base_url, timeout_s=timeout_s)
    return asyncio.run(classifier.classify(text))


def test_json_answer_becomes_a_route_decision_and_the_request_asks_for_json(fake):
    fake.script.append('{"intent": "travel", "confidence": 0.83}')
    decision = classify(fake, "hotel in lake gus")
    assert (decision.agent, decision.confidence) == ("travel", 0.83)
    path, headers, body = fake.requests[0]
    assert path == PATH and headers["Authorization"] == "Bearer test-key"
    assert body["response_format"] == {"type": "json_object"} and body["model"] == ROUTER_MODEL
    assert body["messages"][0]["role"] == "system" and body["messages"][1]["content"] == "hotel in lake gus"
    assert all(f"- {label}:" in body["messages"][0]["content"] for label in routing_descriptions())


def test_clarify_has_zero_confidence(fake):
    fake.script.append('{"intent": "clarify", "confidence": 0.95}')
    decision = classify(fake, "blorp")
    assert (decision.agent, decision.confidence) == ("clarify", 0.0)


@pytest.mark.parametrize("action", ["I think this is food", '{"agent": "food"}', '{"intent": "weather"}',
                                    '{"intent": "food", "confidence": "high"}', ("status", 500)])
def test_bad_answers_raise_provider_unavailable(fake, action):
    fake.script.append(action)
    with pytest.raises(ProviderUnavailable):
        classify(fake, "I'm hungry")
    assert len(fake.requests) == 1  # no retries: the offline router is the retry


def test_timeout_raises_provider_unavailable(fake):
    fake.script.append(("slow", 1.5))
    start = time.perf_counter()
    with pytest.raises(ProviderUnavailable):
        classify(fake, "I'm hungry", timeout_s=0.3)
    assert time.perf_counter() - start < 1.4


class Graph:
    async def get_user(self, user_id):
        return {"id": user_id, "name": "Ada", "onboarded": True}


def test_route_falls_back_offline_on_a_malformed_answer(fake):
    """Groq says nonsense -> rules (+ embeddings when loaded) still route "find me a hotel"."""
    intents = GroqIntentClassifier("k", routing_descriptions(), base_url=fake.base_url)
    ctx = AgentContext(graph=Graph(), intents=intents)
    req = AgentRequest("u", "s", "find me a hotel in Lagos")
    fake.script += ['{"intent": "social", "confidence": 0.7}', "not json at all"]
    assert asyncio.run(route(req, ctx)).agent == "social"   # the classifier answered
    decision = asyncio.run(route(req, ctx))                 # malformed -> offline
    assert decision.agent == "travel" and "groq" not in decision.reason


def test_an_answer_to_a_pending_passphrase_is_never_sent_to_groq(fake):
    class Asked:
        async def get_user(self, user_id):
            return {"id": user_id, "name": "Ada", "onboarded": True, "awaiting": "passphrase",
                    "last_turn_at": time.time()}

    ctx = AgentContext(graph=Asked(), intents=GroqIntentClassifier("k", routing_descriptions(), base_url=fake.base_url))
    fake.script.append('{"intent": "food", "confidence": 0.9}')  # what a model that can't see the question says
    decision = asyncio.run(route(AgentRequest("u", "s", "blue mango sunrise"), ctx))
    assert decision.agent == "auth" and not fake.requests


def test_no_key_no_classifier():
    class S:
        groq_api_key = ""
    assert make_intent_classifier(S(), routing_descriptions()) is None
