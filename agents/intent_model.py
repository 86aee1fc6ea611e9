"""The router's trained intent classifier: features of an utterance and its conversation state,
and a softmax over the seven labels (the six agents and "clarify").

Features (``featurize``), all from the normalised text in one spelling (``one_spelling``):

* the sentence embeddings (``agents.embeddings``: MiniLM and multilingual USE) of its words
  without punctuation (``without_punctuation``), what the sentence means;
* hashed character 2-5-grams inside word boundaries (``CHAR_DIMS``), what survives a
  transcription slip ("jello off", "sign me and") and French, Hinglish or Pidgin spellings;
* hashed word uni- and bigrams (``WORD_DIMS``), "my allergies" against "her allergies";
* the conversation state (``STATE_FEATURES``): not onboarded yet, the agent of the previous turn
  (recent only), and what the assistant is waiting for (a passphrase).

The weights are trained by ``agents.router_training`` (``python -m agents.router_training``) and
stored with the hashes of the data they came from in ``agents/router_data/intent_model.npz``;
applying them needs only numpy. Hashing is ``zlib.crc32``: stable across runs and machines
(Python's ``hash`` is salted per process).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agents.base import CLARIFY
from agents.registry import AGENT_NAMES
from agents.slots import normalise
from agents.turn_state import ASKED_PASSPHRASE

LABELS: tuple[str, ...] = AGENT_NAMES + (CLARIFY,)
CHAR_DIMS = 1 << 13
WORD_DIMS = 1 << 12
AWAITING = (ASKED_PASSPHRASE,)
STATE_FEATURES: tuple[str, ...] = (
    ("not_onboarded",) + tuple(f"previous:{name}" for name in LABELS)
    + tuple(f"awaiting:{what}" for what in AWAITING))
MODEL_FILE = Path(__file__).resolve().parent / "router_data" / "intent_model.npz"

_WORD = re.compile(r"[a-z0-9']+")
# Whisper writes American spellings; the training lines are mostly British. One spelling for
# both, so "favorite" weighs what "favourite" does (it had sent "what's Kemi's favorite
# cuisine?" to food and the typed line to social).
_SPELLINGS = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"\bfavorit", "favourit"), (r"\bneighbor", "neighbour"), (r"\bflavor", "flavour"),
    (r"\bcolor", "colour"), (r"\bhumor", "humour"), (r"\bcenter", "centre"),
    (r"\btheater", "theatre"), (r"\btravel(ed|ing|er)", r"travell\1"),
    (r"\bcancel(ed|ing)", r"cancell\1"), (r"\bsulf", "sulph"), (r"\byogurt", "yoghurt"),
    (r"\b(organ|apolog|recogn|real|custom|personal|special)iz", r"\1is"),
    (r"\bcatalog\b", "catalogue"), (r"\bmom(s?)\b", r"mum\1"), (r"\bgray\b", "grey"),
))
# Whisper punctuates what it hears; typed lines mostly are not. The embedding reads the words
# only, so a transcript weighs what the same words typed do (5-fold CV on dev: typed 93.7 ->
# 94.0 %, as heard 83.3 -> 83.7 %).
_PUNCTUATION = re.compile(r"[.?!,;:\"]+")


@dataclass(frozen=True)
class ConversationState:
    """What the router knows besides the sentence: a plain value, built from the user's profile
    by ``agents.router.conversation_state`` (or from an evaluation line)."""

    onboarded: bool = True
    previous_agent: str | None = None  # the agent of the user's previous turn, if recent
    awaiting: str | None = None        # what the assistant asked for last ("passphrase")

    @classmethod
    def from_dict(cls, state: dict | None) -> "ConversationState":
        state = state or {}
        onboarded = state.get("onboarded")
        return cls(onboarded=onboarded is not False, previous_agent=state.get("previous_agent"),
                   awaiting=state.get("awaiting"))


def _bucket(token: str, dims: int) -> int:
    return zlib.crc32(token.encode()) % dims


def _hashed(tokens: list[str], dims: int) -> np.ndarray:
    """Log-scaled counts of ``tokens`` in ``dims`` buckets, L2-normalised."""
    vector = np.zeros(dims, dtype=np.float32)
    for token in tokens:
        vector[_bucket(token, dims)] += 1.0
    np.log1p(vector, out=vector)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def char_ngrams(text: str) -> list[str]:
    grams = []
    for word in _WORD.findall(text):
        padded = f" {word} "
        for n in range(2, 6):
            grams += [padded[i:i + n] for i in range(max(1, len(padded) - n + 1))]
    return grams


def word_ngrams(text: str) -> list[str]:
    words = _WORD.findall(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def state_vector(state: ConversationState) -> np.ndarray:
    names = {"not_onboarded"} if not state.onboarded else set()
    if state.previous_agent in LABELS:
        names.add(f"previous:{state.previous_agent}")
    if state.awaiting in AWAITING:
        names.add(f"awaiting:{state.awaiting}")
    return np.array([1.0 if name in names else 0.0 for name in STATE_FEATURES], dtype=np.float32)


def one_spelling(text: str) -> str:
    """``normalise``d text with American spellings written the British way."""
    text = normalise(text)
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def without_punctuation(text: str) -> str:
    return re.sub(r"\s+", " ", _PUNCTUATION.sub(" ", text)).strip()


def featurize(texts: list[str], states: list[ConversationState], embedder) -> np.ndarray:
    """One row per utterance: [embedding | char n-grams | word n-grams | state]."""
    normalised = [one_spelling(t) for t in texts]
    embedded = embed_in_batches([without_punctuation(t) for t in normalised], embedder)
    rows = [np.concatenate([embedded[i], _hashed(char_ngrams(t), CHAR_DIMS),
                            _hashed(word_ngrams(t), WORD_DIMS), state_vector(s)])
            for i, (t, s) in enumerate(zip(normalised, states))]
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dims()), np.float32)


def embed_in_batches(texts: list[str], embedder, size: int = 32) -> np.ndarray:
    """Embeddings in the order given, computed in batches of similar length: one batch pads
    every sentence to its longest, which made training's thousands of sentences slow."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), embedder.embed(["x"]).shape[1]), dtype=np.float32)
    for start in range(0, len(order), size):
        chunk = order[start:start + size]
        out[chunk] = embedder.embed([texts[i] for i in chunk])
    return out


def dims() -> int:
    from agents.embeddings import DIM

    return DIM + CHAR_DIMS + WORD_DIMS + len(STATE_FEATURES)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class IntentModel:
    """Weights [features, labels] and bias [labels] of a multinomial logistic regression."""

    weights: np.ndarray
    bias: np.ndarray
    labels: tuple[str, ...] = LABELS
    trained_on: str = ""  # sha256 of the training data (agents.router_training)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        return softmax(features @ self.weights + self.bias)

    def save(self, path: Path = MODEL_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:  # np.savez would add ".npz" to a name without it
            np.savez_compressed(f, weights=self.weights.astype(np.float16), bias=self.bias,
                                labels=np.array(self.labels), trained_on=np.array(self.trained_on))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> "IntentModel":
        with np.load(path) as data:
            model = cls(data["weights"].astype(np.float32), data["bias"].astype(np.float32),
                        tuple(str(x) for x in data["labels"]), str(data["trained_on"]))
        if model.labels != LABELS or model.weights.shape != (dims(), len(LABELS)):
            raise ValueError(f"{path} was trained for other labels or features: "
                             "run python -m agents.router_training")
        return model

